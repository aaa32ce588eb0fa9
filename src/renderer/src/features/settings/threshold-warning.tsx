import { type Endpoint, hideUrlPassword } from '@shared';
import { hrefTo } from '../../app/router';
import { useRoute } from '../../lib/query';

/**
 * The run of failures from which the next failed attempt disables an endpoint at `threshold` (the engine counts the
 * failure, then compares): threshold − 1, and at least 1 (at threshold 1 every endpoint is one failure away; only
 * those failing now are worth naming).
 */
export const failuresBeforeDisable = (threshold: number): number => Math.max(threshold - 1, 1);

/**
 * Enabled endpoints following the settings' threshold (not one of their own) whose current run of failures is such
 * that their next failed attempt reaches `threshold`: it disables them.
 */
export function endpointsAtThreshold(endpoints: Endpoint[], threshold: number): Endpoint[] {
  if (!Number.isInteger(threshold) || threshold <= 0) return [];
  const run = failuresBeforeDisable(threshold);
  return endpoints.filter((e) => e.enabled && e.autoDisableThreshold === null && e.stats.consecutiveFailures >= run);
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
        : {hit.length === 1 ? 'it has' : 'they have'} already failed {failuresBeforeDisable(threshold)}{' '}
        {failuresBeforeDisable(threshold) === 1 ? 'time' : 'times'} or more in a row.
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
