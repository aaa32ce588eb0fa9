import type { RetryPolicy } from './schemas/settings';

/**
 * Delay before retry number `retry` (1 = the first retry, i.e. before attempt 2), without Retry-After.
 * Exponential from initialDelayMs by multiplier, capped at maxDelayMs; jitter draws from [d*(1-jitter), d]
 * so that jitter never pushes a delay past the cap. `random` is injectable (0..1) for tests and previews.
 */
export function backoffDelayMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const exp = policy.initialDelayMs * policy.multiplier ** Math.max(0, retry - 1);
  const capped = Math.min(policy.maxDelayMs, exp);
  const low = capped * (1 - policy.jitter);
  return Math.round(low + (capped - low) * random());
}

/** The schedule a policy produces, as [min, max] delay per retry: the Settings page previews it. */
export function retrySchedule(policy: RetryPolicy): Array<{ retry: number; minMs: number; maxMs: number }> {
  const out: Array<{ retry: number; minMs: number; maxMs: number }> = [];
  for (let retry = 1; retry < policy.maxAttempts; retry++) {
    out.push({ retry, minMs: backoffDelayMs(policy, retry, () => 0), maxMs: backoffDelayMs(policy, retry, () => 1) });
  }
  return out;
}
