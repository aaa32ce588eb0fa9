import type { Endpoint } from '@shared';
import { Duration, endpointState, formatPercent, StatusBadge } from '../../components';

/** enabled / disabled (reason in the tooltip) / failing (consecutive failures in the tooltip) */
export function EndpointStatus({ endpoint }: { endpoint: Endpoint }) {
  const state = endpointState(endpoint);
  const title =
    state === 'disabled'
      ? (endpoint.disabledReason ?? 'Disabled manually')
      : state === 'failing'
        ? `${endpoint.stats.consecutiveFailures} consecutive failed attempt${endpoint.stats.consecutiveFailures === 1 ? '' : 's'}`
        : undefined;
  return <StatusBadge status={state} title={title} />;
}

export function SuccessRate({ endpoint }: { endpoint: Endpoint }) {
  const { successRate, recentAttempts } = endpoint.stats;
  if (successRate == null) return <span className="muted">—</span>;
  const tone = successRate >= 0.99 ? 'ok' : successRate >= 0.9 ? 'warn' : 'err';
  return (
    <span className={`rate rate-${tone}`} title={`over the last ${recentAttempts} attempts`}>
      {formatPercent(successRate)}
    </span>
  );
}

export function P50({ endpoint }: { endpoint: Endpoint }) {
  return <Duration ms={endpoint.stats.p50Ms} />;
}

/** `*` reads as "All"; more than `max` filters collapse into "+n". */
export function TypeChips({ types, max = 3 }: { types: string[]; max?: number }) {
  if (types.length === 0 || (types.length === 1 && types[0] === '*')) {
    return <span className="chip chip-muted">All events</span>;
  }
  const shown = types.slice(0, max);
  return (
    <span className="chips" title={types.join(', ')}>
      {shown.map((t) => (
        <span key={t} className="chip mono">
          {t}
        </span>
      ))}
      {types.length > max ? <span className="chip chip-muted">+{types.length - max}</span> : null}
    </span>
  );
}

export function QueueCounts({ endpoint }: { endpoint: Endpoint }) {
  const { pendingDeliveries: pending, pausedDeliveries: paused } = endpoint.stats;
  if (pending === 0 && paused === 0) return <span className="muted">—</span>;
  return (
    <span className="queue-counts">
      {pending > 0 ? <span title="pending deliveries">{pending} pending</span> : null}
      {paused > 0 ? (
        <span className="queue-paused" title="paused deliveries">
          {paused} paused
        </span>
      ) : null}
    </span>
  );
}

/**
 * A long text cut in the middle ("http://127.0.0.1:4312/in/…/b203-1f2b6a058898"): URLs differ at their end, so
 * the end stays visible. Pure CSS: the head shrinks with an ellipsis, the tail never does. The full text is in the
 * parent's title and in the accessible name (both halves are read in order).
 */
export function MiddleEllipsis({ text, tail = 18 }: { text: string; tail?: number }) {
  if (text.length <= tail * 2) return <span className="middle-ellipsis">{text}</span>;
  return (
    <span className="middle-ellipsis">
      <span className="middle-ellipsis-head">{text.slice(0, -tail)}</span>
      <span className="middle-ellipsis-tail">{text.slice(-tail)}</span>
    </span>
  );
}
