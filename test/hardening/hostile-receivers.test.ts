// Hostile receivers: each misbehaviour ends in a recorded attempt with a clear error (or a status and a
// truncated body), a healthy endpoint keeps getting its deliveries meanwhile, and memory stays bounded.
import { afterEach, describe, expect, it } from 'vitest';
import type { Attempt } from '../../src/shared';
import { call, startEngine } from '../support/engine';
import { waitFor } from '../support/wait';
import {
  closesMidBody,
  type HostileReceiver,
  healthy,
  hugeBody,
  invalidHttp,
  neverAnswers,
  redirectLoop,
  resetsConnection,
  slowloris,
} from './hostile-receivers';

const open: HostileReceiver[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

const PER_KIND = 2;
const HEALTHY = 40;
/** the never-answering endpoint's timeout: long enough that the healthy ones finish well before it */
const HANG_TIMEOUT_MS = 8_000;
const SLOW_TIMEOUT_MS = 1_500;

/** What each kind's single attempt must look like. */
const expectations: Record<string, (a: Attempt, hits: number) => void> = {
  hang: (a) => {
    expect(a.response).toBeNull();
    expect(a.error).toMatch(/time(d)? ?out/i);
  },
  reset: (a) => {
    expect(a.response).toBeNull();
    expect(a.error).toMatch(/reset|closed|socket/i);
  },
  slowloris: (a) => {
    expect(a.response).toBeNull();
    expect(a.error).toMatch(/time(d)? ?out/i);
    // a total deadline, not a per-chunk one: the dribble would otherwise go on for 30 s
    expect(a.durationMs).toBeLessThan(SLOW_TIMEOUT_MS + 5_000);
  },
  slowBody: (a) => {
    expect(a.response).toBeNull();
    expect(a.error).toMatch(/time(d)? ?out/i);
    expect(a.durationMs).toBeLessThan(SLOW_TIMEOUT_MS + 5_000);
  },
  huge: (a) => {
    if (a.response) {
      expect(a.response.status).toBe(200);
      expect(a.response.truncated).toBe(true);
      expect(Buffer.byteLength(a.response.body)).toBeLessThanOrEqual(64 * 1024);
    } else {
      expect(a.error).toBeTruthy();
    }
  },
  invalid: (a) => {
    expect(a.response).toBeNull();
    expect(a.error).toMatch(/invalid HTTP|HPE_|pars|HTTP\/1\.1 protocol/i);
  },
  redirect: (a, hits) => {
    expect(a.response?.status).toBe(302);
    expect(a.succeeded).toBe(false);
    expect(a.error).toMatch(/redirect/i);
    expect(hits).toBe(PER_KIND); // one request per attempt: the Location was not followed
  },
  midBody: (a) => {
    expect(a.succeeded).toBe(false);
    expect(a.response).toBeNull();
    expect(a.error).toMatch(/closed|shorter|content-length|socket|terminated/i);
  },
};

describe('hostile receivers', () => {
  it('records a clear attempt for each misbehaviour and keeps delivering to a healthy endpoint', async () => {
    const hostile: Record<string, HostileReceiver> = {
      hang: await neverAnswers(),
      reset: await resetsConnection(),
      slowloris: await slowloris(),
      slowBody: await slowloris({ headersAtOnce: true }),
      huge: await hugeBody(),
      invalid: await invalidHttp(),
      redirect: await redirectLoop(),
      midBody: await closesMidBody(),
    };
    const ok = await healthy();
    open.push(...Object.values(hostile), ok);

    const engine = await startEngine();
    // One attempt each (no retries) and no auto-disable: we look at single attempts.
    await call(engine, 'settings.update', { retry: { maxAttempts: 1 }, autoDisable: { threshold: 0 } });
    const endpointOf: Record<string, string> = {};
    for (const [kind, r] of Object.entries(hostile)) {
      const timeoutMs = kind === 'hang' ? HANG_TIMEOUT_MS : kind.startsWith('slow') ? SLOW_TIMEOUT_MS : 5_000;
      endpointOf[kind] = (
        await call(engine, 'endpoints.create', { url: r.url, timeoutMs, eventTypes: [`hostile.${kind}`] })
      ).id;
    }
    const healthyId = (await call(engine, 'endpoints.create', { url: ok.url, eventTypes: ['healthy.ping'] })).id;

    global.gc?.();
    const rssBefore = process.memoryUsage.rss();
    for (const kind of Object.keys(hostile)) {
      for (let i = 0; i < PER_KIND; i++) await call(engine, 'events.create', { type: `hostile.${kind}`, data: { i } });
    }
    for (let i = 0; i < HEALTHY; i++) await call(engine, 'events.create', { type: 'healthy.ping', data: { i } });

    // Healthy deliveries all succeed while the never-answering ones are still waiting for their timeout.
    await waitFor(
      async () => {
        const n = (await call(engine, 'deliveries.list', { endpointId: healthyId, status: 'succeeded', limit: 100 }))
          .data.length;
        return n === HEALTHY;
      },
      { timeoutMs: HANG_TIMEOUT_MS - 1_000, message: 'healthy deliveries while hostile ones hang' },
    );
    const hanging = await call(engine, 'deliveries.list', { endpointId: endpointOf.hang, limit: 10 });
    expect(hanging.data.map((d) => d.status)).toEqual(Array(PER_KIND).fill('sending'));

    // Every hostile delivery ends (one attempt, failed or truncated) within the timeouts.
    const finals = new Set(['succeeded', 'failed']);
    for (const [kind, id] of Object.entries(endpointOf)) {
      const list = await waitFor(
        async () => {
          const l = await call(engine, 'deliveries.list', { endpointId: id, limit: 10 });
          return l.data.length === PER_KIND && l.data.every((d) => finals.has(d.status)) ? l : null;
        },
        { timeoutMs: HANG_TIMEOUT_MS + 10_000, message: `${kind} deliveries finished` },
      );
      for (const d of list.data) {
        const detail = await call(engine, 'deliveries.get', { id: d.id });
        expect(detail.attempts, kind).toHaveLength(1);
        const attempt = detail.attempts[0] as Attempt;
        if (!attempt.succeeded) {
          expect(attempt.error, `${kind}: a clear error`).toMatch(/\w{4,}/);
          expect(attempt.error, `${kind}: not an internal crash`).not.toMatch(/unexpected error|internal/i);
          expect(d.lastError).toBe(attempt.error);
        }
        expectations[kind]?.(attempt, hostile[kind]?.hits() ?? 0);
      }
    }

    // The dispatcher is not wedged afterwards, and the 100 MB bodies were never held in memory.
    for (let i = 0; i < 10; i++) await call(engine, 'events.create', { type: 'healthy.ping', data: { after: i } });
    await waitFor(
      async () =>
        (await call(engine, 'deliveries.list', { endpointId: healthyId, status: 'succeeded', limit: 100 })).data
          .length ===
        HEALTHY + 10,
      { timeoutMs: 10_000, message: 'healthy deliveries after the hostile ones' },
    );
    global.gc?.();
    const grownMiB = (process.memoryUsage.rss() - rssBefore) / 1024 / 1024;
    expect(grownMiB).toBeLessThan(96);
  }, 60_000);
});
