// Retry policy, pure: what an attempt's outcome leads to. The schedule itself (exponential from initialDelayMs by
// multiplier, capped at maxDelayMs, jitter drawn below the cap) is shared with the Settings page's preview, so
// it lives in src/shared/retry-schedule.ts; this file decides with it. No I/O, no clock: callers pass `now`.
import { backoffDelayMs, type PausedReason, type RetryPolicy } from '../../../shared';

/** An attempt as the policy sees it. */
export interface AttemptOutcome {
  succeeded: boolean;
  /** 1 for the first attempt */
  number: number;
  maxAttempts: number;
  /** a 429/503's Retry-After in ms, null when absent */
  retryAfterMs: number | null;
}

/** The endpoint as it stands after this attempt (auto-disable already applied). */
export interface EndpointHealth {
  /** false when deleted (or gone) */
  live: boolean;
  enabled: boolean;
  /** how it was disabled, when it is */
  disabledBy: 'manual' | 'auto' | null;
}

export type NextState =
  | { status: 'succeeded' | 'failed' | 'cancelled'; nextAt: null; pausedReason: null }
  | { status: 'pending'; nextAt: number; pausedReason: null }
  | { status: 'paused'; nextAt: null; pausedReason: PausedReason };

/** The delay before the next attempt: Retry-After when given (within the policy's maximum), else the backoff. */
export function retryDelayMs(
  policy: RetryPolicy,
  retry: number,
  retryAfterMs: number | null,
  random: () => number = Math.random,
): number {
  return retryAfterMs !== null ? Math.min(retryAfterMs, policy.maxDelayMs) : backoffDelayMs(policy, retry, random);
}

export function pausedReason(disabledBy: 'manual' | 'auto' | null): PausedReason {
  return disabledBy === 'auto' ? 'endpoint_auto_disabled' : 'endpoint_disabled';
}

/**
 * Where a delivery goes after an attempt. A success ends it; a failure is retried after the delay while attempts
 * are left, unless its endpoint is disabled (paused, kept for re-enable) or deleted (cancelled); the last allowed
 * failure ends it `failed` whatever the endpoint's state.
 */
export function nextState(
  outcome: AttemptOutcome,
  policy: RetryPolicy,
  endpoint: EndpointHealth,
  now: number,
  random: () => number = Math.random,
): NextState {
  if (outcome.succeeded) return { status: 'succeeded', nextAt: null, pausedReason: null };
  if (outcome.number >= outcome.maxAttempts) return { status: 'failed', nextAt: null, pausedReason: null };
  if (!endpoint.live) return { status: 'cancelled', nextAt: null, pausedReason: null };
  if (!endpoint.enabled) return { status: 'paused', nextAt: null, pausedReason: pausedReason(endpoint.disabledBy) };
  return {
    status: 'pending',
    nextAt: now + retryDelayMs(policy, outcome.number, outcome.retryAfterMs, random),
    pausedReason: null,
  };
}

/** Auto-disable trips when an enabled user endpoint's consecutive failures reach the threshold (0: never). */
export function shouldAutoDisable(
  consecutiveFailures: number,
  threshold: number,
  endpoint: { enabled: boolean; live: boolean; system: boolean },
): boolean {
  return endpoint.enabled && endpoint.live && !endpoint.system && threshold > 0 && consecutiveFailures >= threshold;
}

/** Retry-After as delta-seconds or an HTTP date, in ms from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}
