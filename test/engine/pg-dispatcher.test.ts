// The engine's own dispatcher on PostgreSQL: the same Dispatcher class as the SQLite engine's, its storage port
// answered by PgDispatchStore, real HTTP receivers on 127.0.0.1. Two dispatchers on one database stand for two
// `serve` processes sharing one queue: every fired event is delivered to each endpoint exactly once, signed, with
// its attempt recorded, and the per-endpoint concurrency holds across both.
import { afterEach, describe, expect, it } from 'vitest';
import type { DispatchTarget } from '../../src/main/engine/db/endpoints';
import { Dispatcher } from '../../src/main/engine/delivery/dispatcher';
import { LeaseBook } from '../../src/main/engine/delivery/lease';
import { acceptEvent, publishCreated } from '../../src/main/engine/events/service';
import { HttpClient } from '../../src/main/engine/http/client';
import { getScheme } from '../../src/main/engine/signing';
import { PgDispatchStore } from '../../src/main/engine/store/pg/dispatch-store';
import { migratePg } from '../../src/main/engine/store/pg/migrate';
import { openPgPool } from '../../src/main/engine/store/pg/pool';
import { systemClock } from '../../src/main/engine/types';
import { defaultSettings, type Event, EventInput, type TopicName } from '../../src/shared';
import { dispatchTarget } from '../support/dispatch-target';
import { createTestDatabase, pgClusterPerFile } from '../support/pg-cluster';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

const cluster = pgClusterPerFile();

const receivers: TestReceiver[] = [];
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

const SECRET = getScheme('standard').generateSecret();
const PER_ENDPOINT = 4;

/** Endpoints as the endpoint cache holds them (the PostgreSQL endpoint store serves the same shape). */
const target = (id: string, url: string): DispatchTarget => dispatchTarget(id, url, [SECRET]);

/** One "process": a dispatcher on its own pool, publishing to its own topic listeners. */
function dispatcherOn(url: string, targets: Map<string, DispatchTarget>) {
  const pool = openPgPool(url);
  const topics: Array<{ topic: TopicName; payload: unknown }> = [];
  const emit = (topic: TopicName, payload: unknown) => topics.push({ topic, payload });
  const settings = () => ({ ...defaultSettings, concurrency: 16 });
  const log = { debug() {}, info() {}, warn() {}, error: (msg: string, f?: unknown) => console.error(msg, f) };
  const ctx = { clock: systemClock, log, emit: emit as never, settings };
  const storage = new PgDispatchStore(pool, {
    targets: () => [...targets.values()].map((t) => ({ id: t.id, paused: false })),
    // the targets above are this test's own, nothing to catch up with
    current: async () => {},
    settings,
    perEndpointConcurrency: PER_ENDPOINT,
    publish: (pass) => {
      for (const c of pass.written.changed) emit('delivery.updated', { id: c.id, status: c.status });
      for (const r of pass.created) if (!(r instanceof Error)) publishCreated(emit as never, r);
    },
  });
  const dispatcher = new Dispatcher(
    ctx,
    {
      storage,
      store: { target: (id) => targets.get(id) ?? null },
      http: new HttpClient(systemClock),
      leases: new LeaseBook(systemClock, 10_000),
      // lease recovery is PgLeaseRecovery's own test; here nothing is left leased
      recovery: () => ({ start() {}, stop() {}, releaseOwnership() {} }),
    },
    { perEndpointConcurrency: PER_ENDPOINT, batchSize: 128, leaseGraceMs: 10_000, rateLimitedAtClaim: true },
  );
  dispatcher.start();
  const fire = (data: unknown): Promise<Event> =>
    dispatcher.batch.fire(acceptEvent(EventInput.parse({ type: 'order.created', data }), systemClock.now()));
  stops.push(async () => {
    await dispatcher.stop();
    await pool.end();
  });
  return { fire, topics, pool };
}

describe('the dispatcher on PostgreSQL', () => {
  it('two dispatchers on one database deliver every event to each endpoint exactly once', async () => {
    const url = await createTestDatabase(cluster.url);
    const setup = openPgPool(url);
    await migratePg(setup);
    let inFlight = 0;
    let maxInFlight = 0;
    const slow = () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => inFlight--, 20);
      return { status: 200, delayMs: 20 };
    };
    const a = await startTestReceiver({ respond: slow });
    const b = await startTestReceiver();
    receivers.push(a, b);
    const targets = new Map([
      ['ep_a', target('ep_a', `${a.url}/hook`)],
      ['ep_b', target('ep_b', `${b.url}/hook`)],
    ]);
    for (const t of targets.values()) {
      await setup.query(
        `INSERT INTO endpoints (id, url, event_types, created_at, updated_at) VALUES ($1, $2, '["*"]', 0, 0)`,
        [t.id, t.url],
      );
    }
    await setup.end();
    const one = dispatcherOn(url, targets);
    const two = dispatcherOn(url, targets);

    // Events fired through each process alone while the other is idle, 10 at a time until that one has delivered
    // some (a process's pass claims what it writes when the endpoint has free slots; on a loaded machine the other's
    // claim pass can still come first, rarely, so a round is repeated, at most 5), then 100 in bursts from both.
    const fired: Event[] = [];
    const succeeded = async () =>
      (await one.pool.query("SELECT count(*)::int AS n FROM deliveries WHERE status = 'succeeded'")).rows[0].n;
    const delivered = (t: typeof one) =>
      t.topics.filter((x) => x.topic === 'delivery.updated' && (x.payload as { status: string }).status === 'succeeded')
        .length;
    for (const [name, p] of [
      ['two', two],
      ['one', one],
    ] as const) {
      // one round at least: the other process may have delivered some of this one's events already
      for (let round = 0; round < 5 && (round === 0 || delivered(p) === 0); round++) {
        const alone = Array.from({ length: 10 }, (_, j) => p.fire({ n: `${name}-alone-${round}-${j}` }));
        fired.push(...(await Promise.all(alone)));
        await waitFor(async () => (await succeeded()) === fired.length * 2, { timeoutMs: 10_000 });
      }
    }
    for (let i = 0; i < 5; i++) {
      const burst = [];
      for (let j = 0; j < 10; j++) burst.push(one.fire({ n: `one-${i}-${j}` }), two.fire({ n: `two-${i}-${j}` }));
      fired.push(...(await Promise.all(burst)));
    }
    const n = fired.length;
    expect(n).toBeGreaterThanOrEqual(120);
    await waitFor(() => a.requests.length >= n && b.requests.length >= n, { timeoutMs: 30_000 });
    // settled: every delivery succeeded, one attempt each
    await waitFor(async () => (await succeeded()) === 2 * n, { timeoutMs: 10_000 });
    for (const r of [a, b]) {
      const ids = r.requests.map((q) => JSON.parse(q.body).id as string);
      expect(new Set(ids).size, 'no event delivered twice').toBe(ids.length);
      expect(new Set(ids)).toEqual(new Set(fired.map((e) => e.id)));
      // signed as Standard Webhooks (the engine's own scheme)
      const q = r.requests[0];
      expect(q?.headers['webhook-signature']).toMatch(/^v1,/);
    }
    const attempts = (
      await one.pool.query('SELECT count(*)::int AS n, count(DISTINCT delivery_id)::int AS d FROM attempts')
    ).rows[0];
    expect(attempts).toEqual({ n: 2 * n, d: 2 * n });
    // both processes did part of the work, and together kept to the endpoint's limit
    expect(delivered(one)).toBeGreaterThan(0);
    expect(delivered(two)).toBeGreaterThan(0);
    expect(delivered(one) + delivered(two)).toBe(2 * n);
    expect(maxInFlight).toBeLessThanOrEqual(PER_ENDPOINT);
  });
});
