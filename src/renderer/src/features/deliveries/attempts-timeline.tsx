// Every attempt of a delivery, oldest first, and the next scheduled one when it is still pending.
import type { DeliveryDetail } from '@shared';
import { Duration, formatRelative, inUiWords, StatusBadge, useNow } from '../../components';
import { HttpStatus } from './http-parts';

function NextAttempt({ delivery }: { delivery: DeliveryDetail }) {
  const now = useNow();
  if (delivery.status !== 'pending' || !delivery.nextAttemptAt) return null;
  const due = Date.parse(delivery.nextAttemptAt);
  const countdown = due <= now ? 'due now' : formatRelative(delivery.nextAttemptAt, now);
  return (
    <li className="timeline-item timeline-next">
      <span className="timeline-dot" />
      <div className="timeline-body">
        <strong>
          {delivery.attemptCount === 0 ? 'First attempt' : `Attempt ${delivery.attemptCount + 1}`} of{' '}
          {delivery.maxAttempts} scheduled {countdown}
        </strong>
        <span className="muted"> · {new Date(due).toLocaleString()}</span>
      </div>
    </li>
  );
}

export interface AttemptsTimelineProps {
  delivery: DeliveryDetail;
  /** the attempt Request/Response show */
  selected: number | null;
  onSelect: (attemptNumber: number) => void;
}

export function AttemptsTimeline({ delivery, selected, onSelect }: AttemptsTimelineProps) {
  return (
    <ol className="timeline" aria-label="Attempts">
      {delivery.attempts.length === 0 && delivery.status !== 'pending' ? (
        <li className="muted">No attempt was made.</li>
      ) : null}
      {delivery.attempts.map((a) => (
        <li key={a.number} className={`timeline-item ${a.succeeded ? 'ok' : 'err'}`}>
          <span className="timeline-dot" />
          <button
            type="button"
            className="timeline-body"
            aria-current={a.number === selected ? 'true' : undefined}
            onClick={() => onSelect(a.number)}
            title="Show this attempt's request and response"
          >
            <span className="row">
              <strong>Attempt {a.number}</strong>
              <StatusBadge status={a.succeeded ? 'succeeded' : 'failed'} />
              <HttpStatus status={a.response?.status} />
              <Duration ms={a.durationMs} />
              <span className="spacer" />
              <time dateTime={a.startedAt} className="muted">
                {new Date(a.startedAt).toLocaleTimeString()}
              </time>
            </span>
            {a.error ? <span className="attempt-error">{inUiWords(a.error)}</span> : null}
          </button>
        </li>
      ))}
      <NextAttempt delivery={delivery} />
    </ol>
  );
}
