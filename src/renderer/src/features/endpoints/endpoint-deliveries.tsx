import type { Endpoint } from '@shared';
import { navigate } from '../../app/router';
import { Duration, EmptyState, ErrorText, RelativeTime, StatusBadge } from '../../components';
import { useRoute } from '../../lib/query';
import { AttemptsCell } from '../deliveries/delivery-state';
import { ReplayMissingButton } from './replay-missing';

/** The endpoint's 20 most recent deliveries, each linking to the inspector, and replaying what it missed. */
export function EndpointDeliveries({ endpoint }: { endpoint: Endpoint }) {
  const endpointId = endpoint.id;
  const { data, error } = useRoute('deliveries.list', { endpointId, limit: 20 });
  const rows = data?.data ?? [];
  return (
    <section aria-labelledby="recent-deliveries">
      <div className="row section-head">
        <h3 id="recent-deliveries">Recent deliveries</h3>
        <span className="spacer" />
        <a href={`#/deliveries?endpoint=${encodeURIComponent(endpointId)}`} className="small-link">
          All deliveries →
        </a>
        <ReplayMissingButton endpoint={endpoint} />
      </div>
      {error ? <ErrorText error={error} /> : null}
      {data && rows.length === 0 ? (
        <EmptyState title="No deliveries yet" text="Send a test event or compose one; it will show up here." />
      ) : null}
      {rows.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th>Status</th>
              <th>Event type</th>
              <th className="num">HTTP</th>
              <th className="num">Attempts</th>
              <th className="num">Duration</th>
              <th>When</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => {
              const path = `/deliveries/${encodeURIComponent(d.id)}`;
              return (
                <tr key={d.id} className="selectable" onClick={() => navigate(path)}>
                  <td>
                    <a href={`#${path}`} onClick={(e) => e.stopPropagation()}>
                      <StatusBadge status={d.status} />
                      <span className="visually-hidden"> delivery {d.id}</span>
                    </a>
                  </td>
                  <td className="mono">{d.eventType}</td>
                  <td className="num mono">{d.lastStatus ?? '—'}</td>
                  <AttemptsCell d={d} />
                  <td className="num">
                    <Duration ms={d.lastDurationMs} />
                  </td>
                  <td>
                    <RelativeTime iso={d.createdAt} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
