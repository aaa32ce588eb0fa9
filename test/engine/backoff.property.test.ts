// Property tests of the shared backoff schedule (the engine's retries and the Settings preview use it).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, RetryPolicy, retrySchedule } from '../../src/shared';

const policyArb = fc
  .record({
    initialDelayMs: fc.integer({ min: 0, max: 3_600_000 }),
    multiplier: fc.double({ min: 1, max: 10, noNaN: true }),
    extra: fc.integer({ min: 0, max: 7 * 86_400_000 }),
    maxAttempts: fc.integer({ min: 1, max: 100 }),
    jitter: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ extra, ...p }) =>
    RetryPolicy.parse({ ...p, maxDelayMs: Math.min(7 * 86_400_000, p.initialDelayMs + extra) }),
  );

describe('backoffDelayMs', () => {
  it('without jitter, is monotone non-decreasing and never exceeds the cap', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 1, max: 60 }), (p, retry) => {
        const policy = { ...p, jitter: 0 };
        const d1 = backoffDelayMs(policy, retry, () => 0.5);
        const d2 = backoffDelayMs(policy, retry + 1, () => 0.5);
        expect(d2).toBeGreaterThanOrEqual(d1);
        expect(d2).toBeLessThanOrEqual(policy.maxDelayMs);
      }),
    );
  });

  it('reaches the cap and stays there', () => {
    fc.assert(
      fc.property(policyArb, (p) => {
        fc.pre(p.multiplier >= 1.5 && p.initialDelayMs > 0);
        const policy = { ...p, jitter: 0 };
        expect(backoffDelayMs(policy, 200, () => 0)).toBe(policy.maxDelayMs);
      }),
    );
  });

  it('with jitter, each delay lies in [d*(1-jitter), d] of the un-jittered delay', () => {
    fc.assert(
      fc.property(
        policyArb,
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (p, retry, r) => {
          const full = backoffDelayMs({ ...p, jitter: 0 }, retry, () => r);
          const d = backoffDelayMs(p, retry, () => r);
          expect(d).toBeLessThanOrEqual(full);
          expect(d).toBeGreaterThanOrEqual(Math.floor(full * (1 - p.jitter)));
        },
      ),
    );
  });

  it('the lower bound of the jitter window is monotone too (the schedule preview)', () => {
    fc.assert(
      fc.property(policyArb, (p) => {
        const s = retrySchedule(p);
        expect(s).toHaveLength(p.maxAttempts - 1);
        for (let i = 1; i < s.length; i++) {
          expect(s[i]!.minMs).toBeGreaterThanOrEqual(s[i - 1]!.minMs);
          expect(s[i]!.maxMs).toBeGreaterThanOrEqual(s[i - 1]!.maxMs);
          expect(s[i]!.minMs).toBeLessThanOrEqual(s[i]!.maxMs);
        }
      }),
    );
  });
});
