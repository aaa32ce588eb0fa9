// One row of the delivery log (clicks are handled once, by the list). Memoised: with 100,000 rows loaded only the ~30 on screen ever render, and
// a row re-renders only when its delivery, its selection or (for times) the shared 1 s clock changes.
import type { Delivery } from '@shared';
import { type CSSProperties, memo } from 'react';
import { Duration, formatRelative, useNow } from '../../components';
import { AttemptsCell, DeliveryStatusBadge, errorWord, type PausedReason } from './delivery-state';
import { HttpStatus } from './http-parts';

function When({ delivery }: { delivery: Delivery }) {
  const now = useNow();
  return (
    <time dateTime={delivery.createdAt} title={new Date(delivery.createdAt).toLocaleString()}>
      {formatRelative(delivery.createdAt, now)}
    </time>
  );
}

/** "retry in 12 s" for a pending delivery with a scheduled attempt; state words otherwise. */
function NextRetry({ delivery, paused }: { delivery: Delivery; paused: PausedReason | null }) {
  const now = useNow();
  if (delivery.status === 'sending') return <span className="muted">sending…</span>;
  if (paused)
    return (
      // the Next column is narrow: the short word here, the endpoint's reason on hover
      <span className="dl-paused-why" title={paused.text}>
        {paused.auto ? 'auto-disabled' : 'endpoint disabled'}
      </span>
    );
  if (delivery.status !== 'pending' || !delivery.nextAttemptAt) return null;
  const due = Date.parse(delivery.nextAttemptAt);
  if (due <= now) return <span className="muted">due now</span>;
  return (
    <span className="next-retry" title={new Date(due).toLocaleString()}>
      {delivery.attemptCount > 0 ? 'retry' : 'send'} {formatRelative(delivery.nextAttemptAt, now)}
    </span>
  );
}

/** The last HTTP status, or for an attempt that got no answer a word for why (full error on hover). */
function LastOutcome({ delivery: d }: { delivery: Delivery }) {
  const word = d.lastStatus === null ? errorWord(d.lastError) : null;
  if (!word) return <HttpStatus status={d.lastStatus} />;
  return (
    <span className="http-status http-error" title={d.lastError ?? undefined}>
      {word}
    </span>
  );
}

export interface DeliveryRowProps {
  delivery: Delivery;
  endpointLabel: string;
  /** why a paused delivery waits (its endpoint is disabled), null otherwise */
  paused: PausedReason | null;
  selected: boolean;
  style: CSSProperties;
}

export const DeliveryRow = memo(function DeliveryRow({
  delivery: d,
  endpointLabel,
  paused,
  selected,
  style,
}: DeliveryRowProps) {
  return (
    <tr aria-selected={selected} className={selected ? 'dl-row selected' : 'dl-row'} style={style} data-id={d.id}>
      <td>
        <DeliveryStatusBadge delivery={d} title={paused?.text} />
      </td>
      <td className="mono dl-type" title={d.eventType}>
        {d.eventType}
      </td>
      <td className="dl-endpoint" title={endpointLabel}>
        {endpointLabel}
      </td>
      <td className="dl-num">
        <LastOutcome delivery={d} />
      </td>
      <AttemptsCell d={d} className="dl-num" />
      <td className="dl-num">
        <Duration ms={d.lastDurationMs} />
      </td>
      <td className="dl-time">
        <When delivery={d} />
      </td>
      <td className="dl-next">
        <NextRetry delivery={d} paused={paused} />
      </td>
    </tr>
  );
});
