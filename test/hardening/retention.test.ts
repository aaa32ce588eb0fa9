// Retention: with an injected clock, rounds of delivered traffic are aged past retentionDays and pruned. The
// database stops growing (freed pages are reused) and waiting deliveries (pending, paused) are never touched,
// however old they are.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../support/clock';
import { call, startEngine } from '../support/engine';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

const receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

const DAY = 24 * 3600 * 1000;
const ROUNDS = 6;
const PER_ROUND = 150;
const WAITING = 3;

function pages(dbPath: string) {
  const db = new Database(dbPath, { readonly: true });
  try {
    const count = db.pragma('page_count', { simple: true }) as number;
    const free = db.pragma('freelist_count', { simple: true }) as number;
    const rows = db
      .prepare(
        'SELECT (SELECT COUNT(*) FROM deliveries) AS deliveries, (SELECT COUNT(*) FROM attempts) AS attempts, (SELECT COUNT(*) FROM events) AS events',
      )
      .get() as { deliveries: number; attempts: number; events: number };
    return { count, free, ...rows };
  } finally {
    db.close();
  }
}

describe('retention', () => {
  it('keeps the database bounded and never prunes pending or paused deliveries', async () => {
    const ok = await startTestReceiver();
    const failing = await startTestReceiver({ respond: () => ({ status: 500 }) });
    receivers.push(ok, failing);
    const clock = new FakeClock(Date.now());
    const engine = await startEngine({ clock });
    await call(engine, 'settings.update', {
      retentionDays: 1,
      autoDisable: { threshold: 0 },
      retry: { initialDelayMs: 3_600_000, multiplier: 1, maxDelayMs: 3_600_000, maxAttempts: 100, jitter: 0 },
    });
    await call(engine, 'endpoints.create', { url: ok.url, eventTypes: ['keep.*'] });
    const stuck = await call(engine, 'endpoints.create', { url: failing.url, eventTypes: ['stuck.*'] });
    // One delivery per 1000 s: the first goes out, the others wait; disabling the endpoint then pauses them.
    const parked = await call(engine, 'endpoints.create', {
      url: ok.url,
      eventTypes: ['parked.*'],
      rateLimitPerSec: 0.001,
    });

    // Old waiting deliveries: failing ones keep retrying (pending), the disabled endpoint's stay paused.
    for (let i = 0; i < WAITING; i++) await call(engine, 'events.create', { type: 'stuck.thing', data: { i } });
    for (let i = 0; i <= WAITING; i++) await call(engine, 'events.create', { type: 'parked.thing', data: { i } });
    const parkedList = async () => (await call(engine, 'deliveries.list', { endpointId: parked.id, limit: 50 })).data;
    await waitFor(async () => (await parkedList()).filter((d) => d.status === 'succeeded').length === 1, {
      message: 'the rate-limited endpoint sent its first delivery',
    });
    await call(engine, 'endpoints.disable', { id: parked.id, reason: 'parked for the retention test' });
    await waitFor(async () => (await parkedList()).filter((d) => d.status === 'paused').length === WAITING, {
      message: 'the disabled endpoint paused its waiting deliveries',
    });
    const waiting = async () => {
      const s = await call(engine, 'deliveries.list', { endpointId: stuck.id, limit: 50 });
      return [...s.data, ...(await parkedList()).filter((d) => d.status !== 'succeeded')];
    };
    await waitFor(async () => (await waiting()).filter((d) => d.attemptCount > 0).length === WAITING, {
      message: 'first failed attempts of the stuck deliveries',
    });
    const waitingIds = (await waiting()).map((d) => d.id).sort();
    expect(waitingIds).toHaveLength(2 * WAITING);

    const sizes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < PER_ROUND; i++) {
        await call(engine, 'events.create', { type: 'keep.order', data: { round, i, pad: 'r'.repeat(1500) } });
      }
      await waitFor(
        async () =>
          (await call(engine, 'deliveries.list', { type: 'keep.order', status: 'succeeded', limit: 500 })).data
            .length === PER_ROUND,
        { timeoutMs: 20_000, message: `round ${round} delivered` },
      );
      clock.advance(2 * DAY); // the hourly prune runs on the injected clock
      const after = pages(engine.dbPath);
      sizes.push(after.count);
      // Everything finished and older than a day is gone: deliveries, their attempts and their events.
      const kept = await call(engine, 'deliveries.list', { type: 'keep.order', limit: 500 });
      expect(kept.data).toHaveLength(0);
      expect(after.deliveries).toBe(2 * WAITING);
      expect(after.events).toBe(2 * WAITING);

      // The waiting ones are all still there, still waiting.
      const still = await waiting();
      expect(still.map((d) => d.id).sort()).toEqual(waitingIds);
      for (const d of still) expect(['pending', 'sending', 'paused']).toContain(d.status);
    }

    // Bounded: after the first rounds, freed pages are reused instead of the file growing round after round.
    const settled = sizes[1] as number;
    for (const s of sizes.slice(2)) expect(s).toBeLessThanOrEqual(Math.ceil(settled * 1.25));

    // Recent history survives a prune.
    for (let i = 0; i < 20; i++) await call(engine, 'events.create', { type: 'keep.recent', data: { i } });
    await waitFor(
      async () =>
        (await call(engine, 'deliveries.list', { type: 'keep.recent', status: 'succeeded', limit: 50 })).data.length ===
        20,
      { message: 'recent deliveries' },
    );
    clock.advance(2 * 3600 * 1000);
    expect((await call(engine, 'deliveries.list', { type: 'keep.recent', limit: 50 })).data).toHaveLength(20);
    expect(failing.requests.length).toBeGreaterThan(WAITING); // the stuck ones kept being retried meanwhile
  }, 60_000);
});
