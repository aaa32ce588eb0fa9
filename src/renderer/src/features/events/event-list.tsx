// Every event, newest first: its type, id, when, and one dot per endpoint it went to, coloured by how that
// delivery stands (hover for the endpoint and status). Rows are links: Tab reaches them, Enter opens one; a click
// anywhere on a row opens it too, as in the Deliveries log; j/k or the arrows open the next or previous one.
import type { Event } from '@shared';
import { useRef } from 'react';
import { hrefTo, navigate } from '../../app/router';
import { RelativeTime, statusLabels } from '../../components';
import { isRetrying } from '../deliveries/delivery-state';

type EventDeliveryRef = NonNullable<Event['deliveries']>[number];

/** dots shown per event before "+N" */
const MAX_DOTS = 8;

export interface EventListProps {
  events: Event[];
  selectedId: string | null;
  endpointLabel: (endpointId: string) => string;
}

/** "Retrying" for a pending delivery that failed before, as the Deliveries log says it */
const word = (d: EventDeliveryRef) => (isRetrying(d) ? 'Retrying' : statusLabels[d.status]);

function Fate({ event, endpointLabel }: { event: Event; endpointLabel: (id: string) => string }) {
  const deliveries = event.deliveries ?? [];
  if (deliveries.length === 0) return <span className="muted">no endpoint</span>;
  const counts = new Map<string, number>();
  for (const d of deliveries) counts.set(word(d), (counts.get(word(d)) ?? 0) + 1);
  const summary = [...counts].map(([s, n]) => `${n} ${s.toLowerCase()}`).join(', ');
  return (
    <span className="ev-fate" role="img" aria-label={summary} title={summary}>
      {deliveries.slice(0, MAX_DOTS).map((d) => (
        <span
          key={d.id}
          className={`ev-dot ${isRetrying(d) ? 'badge-warn' : `badge-${d.status}`}`}
          title={`${endpointLabel(d.endpointId)}: ${word(d)}`}
        />
      ))}
      {deliveries.length > MAX_DOTS ? <span className="muted">+{deliveries.length - MAX_DOTS}</span> : null}
    </span>
  );
}

const MOVES: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1 };

export function EventList({ events, selectedId, endpointLabel }: EventListProps) {
  const table = useRef<HTMLTableElement>(null);
  // From the focused row (or the open one), open the next or previous event and keep the focus on its link.
  const onKeyDown = (e: React.KeyboardEvent) => {
    const step = MOVES[e.key];
    if (step === undefined || e.altKey || e.ctrlKey || e.metaKey) return;
    const from = (e.target as HTMLElement).closest<HTMLElement>('tr[data-id]')?.dataset.id ?? selectedId;
    const at = events.findIndex((x) => x.id === from);
    const next = events[Math.max(0, Math.min(events.length - 1, at < 0 ? 0 : at + step))];
    if (!next) return;
    e.preventDefault();
    navigate(`/events/${encodeURIComponent(next.id)}`, { replace: true });
    const rows = table.current?.querySelectorAll<HTMLElement>('tr[data-id]') ?? [];
    [...rows]
      .find((r) => r.dataset.id === next.id)
      ?.querySelector<HTMLElement>('a')
      ?.focus();
  };
  return (
    <table ref={table} className="table ev-table" aria-label="Events" onKeyDown={onKeyDown}>
      <thead>
        <tr>
          <th scope="col">Event type</th>
          <th scope="col">Deliveries</th>
          <th scope="col">Event id</th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr
            key={e.id}
            aria-selected={e.id === selectedId}
            data-id={e.id}
            className="selectable"
            onClick={() => navigate(`/events/${encodeURIComponent(e.id)}`)}
          >
            <td className="ev-type">
              <a
                href={hrefTo(`/events/${encodeURIComponent(e.id)}`)}
                className="mono"
                onClick={(ev) => ev.stopPropagation()}
              >
                {e.type}
              </a>
            </td>
            <td>
              <Fate event={e} endpointLabel={endpointLabel} />
            </td>
            <td className="mono muted ev-id" title={e.id}>
              {e.id}
            </td>
            <td className="muted ev-time">
              <RelativeTime iso={e.createdAt} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
