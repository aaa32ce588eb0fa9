// One event and its fate per endpoint: status, attempts, the last answer (or why there was none, or when the next
// try is due) and a link to each delivery's inspector; its data copied, or opened in Compose to send again. Esc
// closes it.
import { type Endpoint, type EventDelivery, hideUrlPassword } from '@shared';
import { hrefTo } from '../../app/router';
import { useShortcut } from '../../app/shortcuts';
import { CopyButton, Duration, ErrorText, formatRelative, JsonView, RelativeTime, useNow } from '../../components';
import { useRoute } from '../../lib/query';
import { AttemptsCell, DeliveryStatusBadge, errorWord, isRetrying, pausedReason } from '../deliveries/delivery-state';
import { openInCompose, useComposeSource } from '../deliveries/edit-resend';
import { deliveriesPath } from '../deliveries/filters';
import { HttpStatus } from '../deliveries/http-parts';

export interface EventDetailProps {
  id: string;
  endpointOf: (endpointId: string) => Endpoint | undefined;
  endpointLabel: (endpointId: string) => string;
  onClose: () => void;
}

function LastResponse({ d }: { d: EventDelivery }) {
  if (d.attemptCount === 0) return <span className="muted">not attempted yet</span>;
  const word = d.lastStatus === null ? errorWord(d.lastError) : null;
  return (
    <span className="row ev-last">
      {word ? (
        <span className="http-status http-error" title={d.lastError ?? undefined}>
          {word}
        </span>
      ) : (
        <HttpStatus status={d.lastStatus} />
      )}
      <Duration ms={d.lastDurationMs} />
    </span>
  );
}

/** the status column already says "Retrying": here, when */
function NextTry({ at }: { at: string | null }) {
  const now = useNow();
  if (!at) return null;
  return <time dateTime={at}>next try {Date.parse(at) <= now ? 'now' : formatRelative(at, now)}</time>;
}

function Waiting({ d, endpoint }: { d: EventDelivery; endpoint: Endpoint | undefined }) {
  const paused = pausedReason(d, endpoint);
  if (paused)
    return (
      <span className="dl-paused-why" title={paused.text}>
        {paused.auto ? 'endpoint auto-disabled' : 'endpoint disabled'}
      </span>
    );
  if (isRetrying(d)) return <NextTry at={d.nextAttemptAt} />;
  if (d.status === 'failed' && d.lastError) return <span className="attempt-error">{d.lastError}</span>;
  return null;
}

export function EventDetail({ id, endpointOf, endpointLabel, onClose }: EventDetailProps) {
  const query = useRoute('events.get', { id });
  useShortcut(
    'escape',
    () => {
      onClose();
      return true;
    },
    { description: 'Close the event' },
  );
  const ev = query.data;
  const source = useComposeSource(ev?.type);
  return (
    <aside className="panel ev-detail" aria-label="Event detail">
      <div className="inspector-head">
        <div className="row">
          <h2 className="mono inspector-title">{ev?.type ?? 'Event'}</h2>
          <span className="spacer" />
          {ev ? (
            <a className="btn btn-sm" href={hrefTo(deliveriesPath({ eventId: id }))}>
              Show in Deliveries
            </a>
          ) : null}
          <button type="button" className="btn btn-ghost btn-sm" aria-label="Close event" onClick={onClose}>
            ✕
          </button>
        </div>
        <dl className="kv inspector-meta">
          <dt>Event</dt>
          <dd>{id}</dd>
          {ev ? (
            <>
              <dt>Created</dt>
              <dd>
                <RelativeTime iso={ev.createdAt} />
              </dd>
            </>
          ) : null}
        </dl>
      </div>
      {query.isPending ? <p className="muted inspector-pad">Loading…</p> : null}
      {query.error ? (
        <div className="inspector-pad">
          <ErrorText error={query.error} />
        </div>
      ) : null}
      {ev ? (
        <div className="inspector-pad stack">
          <h3 className="ev-h3">Deliveries ({ev.deliveries.length})</h3>
          {ev.deliveries.length === 0 ? (
            <p className="muted">No endpoint was subscribed to this event type when it was fired.</p>
          ) : (
            <table className="table ev-deliveries" aria-label="Deliveries of this event">
              <thead>
                <tr>
                  <th scope="col">Endpoint</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Attempts
                  </th>
                  <th scope="col">Last response</th>
                  <th scope="col">
                    <span className="visually-hidden">Inspect</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {ev.deliveries.map((d) => (
                  <tr key={d.id}>
                    <td className="ev-endpoint" title={d.endpointUrl ? hideUrlPassword(d.endpointUrl) : d.endpointId}>
                      {d.endpointUrl ? endpointLabel(d.endpointId) : <span className="muted">deleted endpoint</span>}
                      <div className="ev-waiting">
                        <Waiting d={d} endpoint={endpointOf(d.endpointId)} />
                      </div>
                    </td>
                    <td>
                      <DeliveryStatusBadge delivery={d} />
                    </td>
                    <AttemptsCell d={d} />
                    <td>
                      <LastResponse d={d} />
                    </td>
                    <td>
                      <a
                        className="btn btn-sm"
                        href={hrefTo(deliveriesPath({ eventId: id }, d.id))}
                        aria-label={`Inspect the delivery to ${endpointLabel(d.endpointId)}`}
                      >
                        Inspect
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="row">
            <h3 className="ev-h3">Data</h3>
            <span className="spacer" />
            <CopyButton text={() => JSON.stringify(ev.data, null, 2)} label="Copy data" />
            <button
              type="button"
              className="btn btn-sm"
              disabled={!source}
              title="Open this data in Compose, aimed at every subscribed endpoint"
              onClick={() => source && openInCompose(source, ev.data)}
            >
              Edit and resend
            </button>
          </div>
          <JsonView value={ev.data} className="code-block" />
        </div>
      ) : null}
    </aside>
  );
}
