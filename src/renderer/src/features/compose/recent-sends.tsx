// The last events sent from this composer: reload one's type and data, or open its deliveries.
import { hrefTo } from '../../app/router';
import { RelativeTime } from '../../components';
import { deliveriesPath } from '../deliveries/filters';
import { type RecentSend, useComposeStore } from './compose-store';

export function RecentSends({ onLoad }: { onLoad: (send: RecentSend) => void }) {
  const recent = useComposeStore((s) => s.recent);
  const clear = useComposeStore((s) => s.clearRecent);
  if (recent.length === 0) return null;
  return (
    <section className="recent-sends" aria-label="Recent sends">
      <div className="row">
        <h3>Recent</h3>
        <span className="spacer" />
        <button type="button" className="btn btn-ghost btn-sm" onClick={clear}>
          Clear
        </button>
      </div>
      <ul>
        {recent.map((r) => (
          <li key={r.eventId} className="recent-item">
            <button
              type="button"
              className="btn btn-ghost btn-sm recent-load"
              onClick={() => onLoad(r)}
              title="Load this type and data"
            >
              <span className="mono">{r.type}</span>
            </button>
            <span className="muted">
              {r.deliveryCount} {r.deliveryCount === 1 ? 'delivery' : 'deliveries'} · <RelativeTime iso={r.sentAt} />
            </span>
            <span className="spacer" />
            <a href={hrefTo(deliveriesPath({ eventId: r.eventId }))} className="recent-link">
              Deliveries
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
