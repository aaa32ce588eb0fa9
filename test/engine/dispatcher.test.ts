// Dispatcher limits: per-endpoint and global concurrency, rate limit, graceful stop.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CLAIM_AHEAD } from '../../src/main/engine/delivery/dispatcher';
import { FakeClock } from '../support/clock';
import { call, startEngine } from '../support/engine';
import { type RecordedRequest, startTestReceiver, type TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

const receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});
async function slowReceiver(delayMs: number) {
  const r = await startTestReceiver({ respond: () => ({ status: 200, delayMs }) });
  receivers.push(r);
  return r;
}

/** Most requests being answered at once: each occupies [receivedAt, receivedAt + delay). */
function maxOverlap(reqs: RecordedRequest[], delayMs: number): number {
  let max = 0;
  for (const a of reqs) {
    const n = reqs.filter((b) => b.receivedAt <= a.receivedAt && a.receivedAt < b.receivedAt + delayMs).length;
    max = Math.max(max, n);
  }
  return max;
}

async function allSucceeded(engine: Parameters<typeof call>[0], n: number) {
  await waitFor(
    async () => {
      const list = await call(engine, 'deliveries.list', { limit: 500 });
      return list.data.length === n && list.data.every((d) => d.status === 'succeeded');
    },
    { timeoutMs: 20_000 },
  );
}

describe('dispatcher', () => {
  it('keeps at most perEndpointConcurrency attempts in flight to one endpoint', async () => {
    const r = await slowReceiver(150);
    const engine = await startEngine({ perEndpointConcurrency: 2 });
    await call(engine, 'endpoints.create', { url: r.url });
    for (let i = 0; i < 8; i++) await call(engine, 'events.create', { type: 'a.b', data: { i } });
    await allSucceeded(engine, 8);
    expect(maxOverlap(r.requests, 150)).toBe(2);
  });

  it('keeps at most settings.concurrency attempts in flight overall, applied live', async () => {
    const rs = await Promise.all([1, 2, 3].map(() => slowReceiver(150)));
    const engine = await startEngine();
    await call(engine, 'settings.update', { concurrency: 2 });
    for (const r of rs) await call(engine, 'endpoints.create', { url: r.url });
    for (let i = 0; i < 4; i++) await call(engine, 'events.create', { type: 'a.b', data: { i } });
    await allSucceeded(engine, 12);
    expect(
      maxOverlap(
        rs.flatMap((r) => r.requests),
        150,
      ),
    ).toBeLessThanOrEqual(2);
  });

  it('spreads deliveries to a rate-limited endpoint; they wait, they do not fail', async () => {
    const clock = new FakeClock(Date.now());
    const r = await slowReceiver(0);
    const engine = await startEngine({ clock });
    await call(engine, 'endpoints.create', { url: r.url, rateLimitPerSec: 1 });
    const ids = [];
    for (let i = 0; i < 3; i++)
      ids.push((await call(engine, 'events.create', { type: 'a.b', data: { i } })).deliveries![0]!.id);
    await waitFor(() => r.requests.length === 1);
    const waiting = await waitFor(async () => {
      const list = await call(engine, 'deliveries.list', { status: 'pending' });
      return list.data.length === 2 && list.data.every((d) => d.nextAttemptAt) ? list.data : null;
    });
    const offsets = waiting.map((d) => Date.parse(d.nextAttemptAt!) - clock.now()).sort((a, b) => a - b);
    expect(offsets).toEqual([1_000, 2_000]);
    expect(waiting.every((d) => d.attemptCount === 0)).toBe(true);
    clock.advance(1_000);
    await waitFor(() => r.requests.length === 2);
    clock.advance(1_000);
    await waitFor(() => r.requests.length === 3);
    await allSucceeded(engine, 3);
  });

  it('stop() waits for in-flight attempts and records them', async () => {
    const r = await slowReceiver(300);
    const engine = await startEngine();
    await call(engine, 'endpoints.create', { url: r.url });
    for (let i = 0; i < 3; i++) await call(engine, 'events.create', { type: 'a.b', data: { i } });
    await waitFor(() => r.requests.length === 3);
    await engine.stop();
    const db = new Database(engine.dbPath, { readonly: true });
    const rows = db.prepare('SELECT status, attempt_count FROM deliveries').all();
    const attempts = db.prepare('SELECT COUNT(*) AS n FROM attempts WHERE succeeded = 1').get() as { n: number };
    db.close();
    expect(rows).toEqual(Array(3).fill({ status: 'succeeded', attempt_count: 1 }));
    expect(attempts.n).toBe(3);
  });

  it('emits delivery.updated for each state change', async () => {
    const r = await slowReceiver(0);
    const engine = await startEngine();
    const seen: string[] = [];
    engine.on('delivery.updated', (u) => seen.push(u.status));
    await call(engine, 'endpoints.create', { url: r.url });
    await call(engine, 'events.create', { type: 'a.b', data: {} });
    await allSucceeded(engine, 1);
    // an idle dispatcher leases a new event's delivery as it is written: it is never `pending`
    expect(seen).toEqual(['sending', 'succeeded']);
  });

  it('leases new deliveries at once only within its room; the rest wait pending and go in order', async () => {
    const r = await slowReceiver(100);
    const engine = await startEngine({ perEndpointConcurrency: 1 });
    await call(engine, 'endpoints.create', { url: r.url });
    // each delivery's first reported state: `sending` when leased as written, else `pending`
    const first = new Map<string, string>();
    engine.on('delivery.updated', (u) => {
      if (!first.has(u.id)) first.set(u.id, u.status);
    });
    // fired in one turn: one group commit, one endpoint with room for CLAIM_AHEAD (one running, the rest waiting)
    const n = CLAIM_AHEAD + 2;
    const events = await Promise.all(
      Array.from({ length: n }, (_, i) => call(engine, 'events.create', { type: 'a.b', data: { i } })),
    );
    // the answer says `pending` (queued) whatever the load
    expect(events.every((e) => e.deliveries?.[0]?.status === 'pending')).toBe(true);
    expect(events.map((e) => first.get(e.deliveries?.[0]?.id as string))).toEqual([
      ...Array(CLAIM_AHEAD).fill('sending'),
      'pending',
      'pending',
    ]);
    await allSucceeded(engine, n);
    expect(r.requests.map((q) => JSON.parse(q.body).data.i)).toEqual([...Array(n).keys()]);
    expect(maxOverlap(r.requests, 100)).toBe(1);
  });

  it('queues a new delivery behind stored ones that are due: a backlog keeps its order', async () => {
    const r = await slowReceiver(0);
    const engine = await startEngine({ dispatch: false });
    await call(engine, 'endpoints.create', { url: r.url });
    const stored = CLAIM_AHEAD;
    for (let i = 0; i < stored; i++) await call(engine, 'events.create', { type: 'a.b', data: { i } });
    await engine.stop();
    // the same file with a dispatcher: the stored deliveries are due and fill the endpoint's room; the next event
    // waits behind them
    const again = await startEngine({ dbPath: engine.dbPath, perEndpointConcurrency: 1 });
    const late = await call(again, 'events.create', { type: 'a.b', data: { i: stored } });
    expect(late.deliveries?.[0]?.status).toBe('pending');
    await allSucceeded(again, stored + 1);
    expect(r.requests.map((q) => JSON.parse(q.body).data.i)).toEqual([...Array(stored + 1).keys()]);
  });
});

describe('dispatcher wake-ups', () => {
  it('a new delivery written in the pass that drained its endpoint is still claimed (not left for the next full look)', async () => {
    const r = await slowReceiver(0);
    const engine = await startEngine();
    // a rate-limited endpoint: its new deliveries are never leased as written, they queue and wait for a claim
    const ep = await call(engine, 'endpoints.create', { url: r.url, rateLimitPerSec: 1000 });
    await call(engine, 'events.create', { type: 'a.b', data: { i: 0 } });
    // Fired as the first one's create returns, before the pass that claims the first: that pass claims all that is
    // pending (the endpoint drained), then writes this event's delivery, pending, for the next claim to take.
    const second = call(engine, 'events.create', { type: 'a.b', data: { i: 1 } });
    await second;
    // The dispatcher's full look at storage comes every 30 s: well within that, both are delivered.
    await waitFor(() => r.requests.length === 2, { timeoutMs: 5_000 }).catch(() => undefined);
    const pending = await call(engine, 'deliveries.list', { endpointId: ep.id, status: 'pending' });
    expect(
      pending.data.map((d) => d.status),
      'a delivery left pending after its endpoint drained',
    ).toEqual([]);
    expect(r.requests.map((q) => JSON.parse(q.body).data.i)).toEqual([0, 1]);
  });
});

describe('dispatcher fairness', () => {
  it('serves another endpoint at once while a slow one holds a queue of claimed deliveries', async () => {
    const slow = await slowReceiver(2_500);
    const fast = await slowReceiver(0);
    const engine = await startEngine({ perEndpointConcurrency: 2 });
    const a = await call(engine, 'endpoints.create', { url: slow.url });
    const b = await call(engine, 'endpoints.create', { url: fast.url });
    for (let i = 0; i < 20; i++) await call(engine, 'events.create', { type: 'a.b', data: { i }, endpointIds: [a.id] });
    await waitFor(() => slow.requests.length >= 2);
    await call(engine, 'events.create', { type: 'a.b', data: {}, endpointIds: [b.id] });
    await waitFor(() => fast.requests.length === 1, { timeoutMs: 20_000 });
    // it did not wait for the slow endpoint's first answers (nor behind its queue)
    const done = await call(engine, 'deliveries.list', { endpointId: a.id, status: 'succeeded' });
    expect(done.data).toHaveLength(0);
  });
});
