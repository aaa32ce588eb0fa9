// Where an event goes: every endpoint that subscribes to its type, or the ones the user ticks.
import { type Endpoint, firedEventReach, hideUrlPassword } from '@shared';
import { hrefTo } from '../../app/router';
import { StatusBadge } from '../../components';
import { useComposeStore } from './compose-store';
import { subscribes } from './subscription';

export function endpointLabel(e: Pick<Endpoint, 'url' | 'description'>): string {
  return e.description.trim() || hideUrlPassword(e.url);
}

/** An auto-disabled endpoint gets the events it subscribes to as paused deliveries (firedEventReach, the engine's rule). */
export function keepsPaused(e: Pick<Endpoint, 'enabled' | 'disabledBy'>): boolean {
  return firedEventReach(e) === 'paused';
}

/** The endpoints an event of `type` reaches only as paused deliveries (among `only`, when targets are chosen). */
export function keptPausedTargets(endpoints: readonly Endpoint[], type: string, only?: readonly string[]): Endpoint[] {
  return endpoints.filter((e) => keepsPaused(e) && subscribes(e, type) && (!only || only.includes(e.id)));
}

const KEPT_PAUSED_TITLE = 'Auto-disabled: its deliveries are kept paused and go out when it is enabled again';

export interface TargetsProps {
  endpoints: Endpoint[];
  type: string;
}

export function Targets({ endpoints, type }: TargetsProps) {
  const mode = useComposeStore((s) => s.targetMode);
  const chosen = useComposeStore((s) => s.chosenEndpointIds);
  const setMode = useComposeStore((s) => s.setTargetMode);
  const toggle = useComposeStore((s) => s.toggleEndpoint);
  const reached = (e: Endpoint) => firedEventReach(e) !== null;
  const subscribed = endpoints.filter((e) => reached(e) && subscribes(e, type));
  const paused = subscribed.filter(keepsPaused).length;

  if (endpoints.length === 0) {
    return (
      <fieldset className="targets card">
        <legend>Targets</legend>
        <p className="muted">
          No endpoints yet. <a href={hrefTo('/endpoints')}>Add an endpoint</a> to send events, or use an inbox.
        </p>
      </fieldset>
    );
  }
  return (
    <fieldset className="targets card">
      <legend>Targets</legend>
      <div className="row target-modes">
        <label className="radio">
          <input
            type="radio"
            name="target-mode"
            checked={mode === 'subscribed'}
            onChange={() => setMode('subscribed')}
          />
          Every subscribed endpoint ({subscribed.length}
          {paused > 0 ? `, ${paused} kept paused` : ''})
        </label>
        <label className="radio">
          <input type="radio" name="target-mode" checked={mode === 'chosen'} onChange={() => setMode('chosen')} />
          Chosen endpoints
        </label>
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling list whose checkboxes are disabled in "subscribed" mode must still be reachable by keyboard to scroll (WCAG 2.1.1) */}
      <ul className="target-list" aria-label="Endpoints" tabIndex={0}>
        {endpoints.map((e) => {
          const subscribesToType = subscribes(e, type);
          const receives = reached(e) && subscribesToType && (mode === 'subscribed' || chosen.includes(e.id));
          return (
            <li key={e.id} className={receives ? 'target receives' : 'target'}>
              <label>
                <input
                  type="checkbox"
                  disabled={mode === 'subscribed'}
                  checked={mode === 'subscribed' ? receives : chosen.includes(e.id)}
                  onChange={() => toggle(e.id)}
                  aria-label={`Send to ${endpointLabel(e)}`}
                />
                <span className="target-text">
                  <span className="target-name">{endpointLabel(e)}</span>
                  {e.description.trim() ? (
                    <span className="target-url muted mono">{hideUrlPassword(e.url)}</span>
                  ) : null}
                </span>
              </label>
              {keepsPaused(e) && subscribesToType ? (
                <span className="badge badge-paused" title={KEPT_PAUSED_TITLE}>
                  Kept paused
                </span>
              ) : !e.enabled ? (
                <StatusBadge status="disabled" title={e.disabledReason ?? undefined} />
              ) : subscribesToType ? (
                <span className="badge badge-info" title={`Subscribes to ${e.eventTypes.join(', ') || '*'}`}>
                  subscribed
                </span>
              ) : (
                <span className="badge" title={`Subscribes to ${e.eventTypes.join(', ')}; will not receive ${type}`}>
                  not subscribed
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}
