import { type Endpoint, hideUrlPassword } from '@shared';
import { ErrorText, toast } from '../../components';
import { useRouteMutation } from '../../lib/query';
import { endpointLabel } from '../compose/targets';

/** Re-enables an endpoint: the engine resumes its paused deliveries. */
export function useReenable() {
  return useRouteMutation('endpoints.enable', {
    invalidates: ['endpoints.list', 'endpoints.get', 'deliveries.list', 'system.status'],
    onSuccess: (e) => toast(`Re-enabled ${endpointLabel(e)}`, 'success'),
  });
}

function pausedText(n: number): string {
  return n === 0
    ? 'No deliveries are paused.'
    : `${n} ${n === 1 ? 'delivery is' : 'deliveries are'} paused until it is re-enabled.`;
}

/** The banner a disabled endpoint shows: why, how much is waiting, and the way back. */
export function DisabledBanner({ endpoint }: { endpoint: Endpoint }) {
  const enable = useReenable();
  return (
    <div className="banner banner-warn" role="alert">
      <div className="banner-text">
        <div>
          <strong>This endpoint is disabled:</strong> {endpoint.disabledReason ?? 'disabled manually'}
        </div>
        <div>{pausedText(endpoint.stats.pausedDeliveries)}</div>
        {enable.error ? <ErrorText error={enable.error} /> : null}
      </div>
      <button
        type="button"
        className="btn btn-primary"
        disabled={enable.isPending}
        onClick={() => enable.mutate({ id: endpoint.id })}
      >
        {enable.isPending ? 'Re-enabling…' : 'Re-enable'}
      </button>
    </div>
  );
}

/** The list page's banner: every disabled endpoint by its name (its description; the URL beside it), each with its
 * own Re-enable. */
export function DisabledEndpointsBanner({ endpoints }: { endpoints: Endpoint[] }) {
  const enable = useReenable();
  const disabled = endpoints.filter((e) => !e.enabled);
  if (disabled.length === 0) return null;
  const paused = disabled.reduce((n, e) => n + e.stats.pausedDeliveries, 0);
  return (
    <div className="banner banner-warn banner-list" role="alert">
      <div className="banner-text">
        <strong>
          {disabled.length === 1 ? '1 endpoint is disabled' : `${disabled.length} endpoints are disabled`}
        </strong>
        {paused > 0 ? ` · ${paused} ${paused === 1 ? 'delivery' : 'deliveries'} paused` : ''}
        <ul className="banner-items">
          {disabled.slice(0, 5).map((e) => (
            <li key={e.id}>
              <a href={`#/endpoints/${encodeURIComponent(e.id)}`} className={e.description.trim() ? undefined : 'mono'}>
                {endpointLabel(e)}
              </a>
              {e.description.trim() ? <span className="mono muted"> {hideUrlPassword(e.url)}</span> : null}
              <span className="muted"> — {e.disabledReason ?? 'disabled manually'}</span>
              <button
                type="button"
                className="btn btn-sm"
                disabled={enable.isPending && enable.variables?.id === e.id}
                onClick={() => enable.mutate({ id: e.id })}
                aria-label={`Re-enable ${endpointLabel(e)}`}
              >
                Re-enable
              </button>
            </li>
          ))}
        </ul>
        {enable.error ? <ErrorText error={enable.error} /> : null}
      </div>
    </div>
  );
}
