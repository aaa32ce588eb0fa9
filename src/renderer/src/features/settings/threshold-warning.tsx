import { type Endpoint, hideUrlPassword } from '@shared';
import { hrefTo } from '../../app/router';
import { useRoute } from '../../lib/query';

/**
 * Enabled endpoints following the settings' threshold (not one of their own) whose current run of failures already
 * reaches `threshold`: the next failure disables them.
 */
export function endpointsAtThreshold(endpoints: Endpoint[], threshold: number): Endpoint[] {
  if (!Number.isInteger(threshold) || threshold <= 0) return [];
  return endpoints.filter(
    (e) => e.enabled && e.autoDisableThreshold === null && e.stats.consecutiveFailures >= threshold,
  );
}

/**
 * Lowering the auto-disable threshold below an endpoint's current run of failures disables it at its very next
 * failed attempt (the engine compares at each failure): say so, by name, before Save.
 */
export function ThresholdWarning({ threshold, saved }: { threshold: number; saved: number }) {
  const endpoints = useRoute('endpoints.list', {});
  if (threshold === saved) return null;
  const hit = endpointsAtThreshold(endpoints.data?.data ?? [], threshold);
  if (hit.length === 0) return null;
  return (
    <div className="banner banner-warn threshold-warning" role="alert">
      <div>
        <strong>
          {hit.length === 1 ? '1 endpoint' : `${hit.length} endpoints`} would be disabled at the next failed attempt
        </strong>
        : {hit.length === 1 ? 'it has' : 'they have'} already failed {threshold} times or more in a row.
        <ul>
          {hit.slice(0, 5).map((e) => (
            <li key={e.id}>
              <a href={hrefTo(`/endpoints/${encodeURIComponent(e.id)}`)} className="mono">
                {e.description || hideUrlPassword(e.url)}
              </a>{' '}
              ({e.stats.consecutiveFailures} consecutive failures)
            </li>
          ))}
          {hit.length > 5 ? <li>and {hit.length - 5} more</li> : null}
        </ul>
      </div>
    </div>
  );
}
