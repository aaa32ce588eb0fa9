// One state-machine suite, two stores: SQLite's DeliveryStates and PostgreSQL's PgDeliveryStates must move the same
// rows to the same states under the same calls (claims, fenced outcomes, leases, endpoint pauses, a person's moves),
// and keep terminal states terminal. Rows are read back through plain SQL in each store.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Finish } from '../../src/main/engine/delivery/state';
import type { DeliveryStatus } from '../../src/shared';
import { type PgCluster, startPgCluster } from '../support/pg-cluster';
import { pgStore, type StateStoreUnderTest, sqliteStore } from '../support/state-stores';

let cluster: PgCluster | undefined;
beforeAll(async () => {
  cluster = await startPgCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

const stores: Array<[string, () => Promise<StateStoreUnderTest>]> = [
  ['SQLite', async () => sqliteStore()],
  ['PostgreSQL', () => pgStore(cluster!.url)],
];

const CLAIMED_KEYS = [
  'attempt_count',
  'endpoint_id',
  'event_id',
  'id',
  'last_status',
  'lease_seq',
  'lease_until',
  'max_attempts',
];

describe.each(stores)('%s delivery states', (_name, open) => {
  let store: StateStoreUnderTest;
  const opened: StateStoreUnderTest[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  /** A fresh store with endpoints A and B and events e1..e9. */
  async function fresh(): Promise<StateStoreUnderTest> {
    store = await open();
    opened.push(store);
    await store.seed(
      ['A', 'B'],
      Array.from({ length: 9 }, (_, i) => `e${i + 1}`),
    );
    return store;
  }

  const insert = (id: string, over: { endpointId?: string; now?: number; leaseUntil?: number | null } = {}) =>
    store.states.insert({
      id,
      eventId: `e${id.slice(1)}`, // d3 -> e3
      endpointId: over.endpointId ?? 'A',
      eventType: 'a.b',
      maxAttempts: 3,
      now: over.now ?? 100,
      leaseUntil: over.leaseUntil ?? null,
    });

  async function row(id: string) {
    const [r] = await store.sql(
      `SELECT status, attempt_count, max_attempts, next_attempt_at, lease_until, lease_seq, last_status,
         last_duration_ms, last_error, paused_reason, updated_at FROM deliveries WHERE id = ?`,
      [id],
    );
    return r;
  }
  const statusOf = async (id: string) => (await row(id))?.status as DeliveryStatus;

  const outcome = (id: string, leaseSeq: number, attemptCount: number, over: Partial<Finish> = {}): Finish => ({
    id,
    leaseSeq,
    attemptCount,
    status: 'succeeded',
    pausedReason: null,
    nextAt: null,
    lastStatus: 200,
    durationMs: 12.5,
    error: null,
    now: 500,
    ...over,
  });

  it('inserts pending (due now), sending (leased as written) and paused rows', async () => {
    await fresh();
    expect(await insert('d1')).toBe('pending');
    expect(await insert('d2', { leaseUntil: 1_100 })).toBe('sending');
    expect(
      await store.states.insert({
        id: 'd3',
        eventId: 'e3',
        endpointId: 'A',
        eventType: 'a.b',
        maxAttempts: 3,
        now: 100,
        leaseUntil: null,
        pausedReason: 'endpoint_auto_disabled',
      }),
    ).toBe('paused');
    expect(await row('d1')).toMatchObject({ status: 'pending', next_attempt_at: 100, lease_until: null, lease_seq: 0 });
    expect(await row('d2')).toMatchObject({
      status: 'sending',
      next_attempt_at: null,
      lease_until: 1_100,
      lease_seq: 1,
    });
    expect(await row('d3')).toMatchObject({
      status: 'paused',
      next_attempt_at: null,
      paused_reason: 'endpoint_auto_disabled',
      max_attempts: 3,
      attempt_count: 0,
    });
  });

  it('claims due rows of one endpoint, earliest first, up to the limit, under a new lease_seq', async () => {
    await fresh();
    await insert('d1', { now: 150 });
    await insert('d2', { now: 50 });
    await insert('d3', { now: 100 });
    await insert('d4', { now: 300 }); // not due at 200
    await insert('d5', { now: 10, endpointId: 'B' }); // another endpoint
    const first = await store.states.claim('A', 200, 1_200, 2);
    expect(first.map((r) => r.id).sort()).toEqual(['d2', 'd3']);
    for (const r of first) {
      expect(Object.keys(r).sort()).toEqual(CLAIMED_KEYS);
      expect(r).toMatchObject({
        endpoint_id: 'A',
        lease_seq: 1,
        lease_until: 1_200,
        attempt_count: 0,
        max_attempts: 3,
      });
    }
    expect(await row('d2')).toMatchObject({ status: 'sending', lease_until: 1_200, lease_seq: 1, updated_at: 200 });
    const rest = await store.states.claim('A', 200, 1_200, 10);
    expect(rest.map((r) => r.id)).toEqual(['d1']);
    expect(await store.states.claim('A', 200, 1_200, 10)).toEqual([]);
    expect(await statusOf('d4')).toBe('pending');
    expect(await statusOf('d5')).toBe('pending');
    // claimed again after its lease is taken back: the sequence moves on
    await store.states.expireAll(300);
    const again = await store.states.claim('A', 300, 1_300, 10);
    expect(again.map((r) => [r.id, r.lease_seq]).sort()).toEqual([
      ['d1', 2],
      ['d2', 2],
      ['d3', 2],
      ['d4', 1],
    ]);
  });

  it('finishes only with the current lease_seq and attempt count; a late outcome changes nothing', async () => {
    await fresh();
    await insert('d1');
    const [c] = await store.states.claim('A', 100, 1_100, 1);
    expect(c?.lease_seq).toBe(1);
    const before = await row('d1');
    expect(await store.states.finish(outcome('d1', 0, 0))).toBeNull();
    expect(await store.states.finish(outcome('d1', 1, 1))).toBeNull();
    expect(await row('d1')).toEqual(before);

    // the lease is lost and the delivery claimed again: the first claim's outcome is late
    await store.states.expire(1_100, []);
    await store.states.claim('A', 1_100, 2_100, 1);
    expect(await store.states.finish(outcome('d1', 1, 0))).toBeNull();
    expect(await row('d1')).toMatchObject({ status: 'sending', lease_seq: 2, attempt_count: 0 });
    expect(await store.states.fence('d1')).toEqual({ status: 'sending', leaseSeq: 2, attemptCount: 0 });
    expect(await store.states.countSuperseded('d1', 1_200)).toBe(1);

    expect(
      await store.states.finish(outcome('d1', 2, 1, { status: 'pending', nextAt: 5_000, lastStatus: 503, error: 'x' })),
    ).toBe(2);
    expect(await row('d1')).toMatchObject({
      status: 'pending',
      attempt_count: 2,
      next_attempt_at: 5_000,
      lease_until: null,
      last_status: 503,
      last_duration_ms: 12.5,
      last_error: 'x',
      updated_at: 500,
    });
    expect(await store.states.fence('nope')).toBeNull();
    expect(await store.states.countSuperseded('nope', 1)).toBeNull();
  });

  it('finishes to failed, paused (with its reason) and succeeded', async () => {
    await fresh();
    for (const id of ['d1', 'd2', 'd3']) await insert(id);
    await store.states.claim('A', 100, 1_100, 3);
    expect(await store.states.finish(outcome('d1', 1, 0, { status: 'failed', lastStatus: 500 }))).toBe(1);
    expect(
      await store.states.finish(outcome('d2', 1, 0, { status: 'paused', pausedReason: 'endpoint_auto_disabled' })),
    ).toBe(1);
    expect(await store.states.finish(outcome('d3', 1, 0))).toBe(1);
    expect(await row('d1')).toMatchObject({ status: 'failed', last_status: 500, paused_reason: null });
    expect(await row('d2')).toMatchObject({ status: 'paused', paused_reason: 'endpoint_auto_disabled' });
    expect(await row('d3')).toMatchObject({ status: 'succeeded', attempt_count: 1, last_status: 200 });
  });

  it('release, hold and renew act only while the claim holds', async () => {
    await fresh();
    for (const id of ['d1', 'd2', 'd3']) await insert(id);
    await store.states.claim('A', 100, 1_100, 3);
    expect(await store.states.release('d1', 9, 900, 200)).toBeUndefined();
    expect(await store.states.release('d1', 1, 900, 200)).toEqual({
      id: 'd1',
      event_id: 'e1',
      endpoint_id: 'A',
      status: 'pending',
      attempt_count: 0,
      max_attempts: 3,
      last_status: null,
    });
    expect(await row('d1')).toMatchObject({ next_attempt_at: 900, lease_until: null, updated_at: 200 });
    expect(await store.states.release('d1', 1, 900, 200)).toBeUndefined(); // no longer sending

    expect(await store.states.hold('d2', 0, 'paused', 'endpoint_disabled', 300)).toBeUndefined();
    expect(await store.states.hold('d2', 1, 'paused', 'endpoint_disabled', 300)).toMatchObject({ status: 'paused' });
    expect(await row('d2')).toMatchObject({ paused_reason: 'endpoint_disabled', next_attempt_at: null });
    expect(await store.states.hold('d3', 1, 'cancelled', 'endpoint_disabled', 300)).toMatchObject({
      status: 'cancelled',
    });
    expect(await row('d3')).toMatchObject({ paused_reason: null });

    await insert('d4');
    await store.states.claim('A', 100, 1_100, 1);
    expect(await store.states.renew('d4', 0, 5_000)).toBe(false);
    expect(await store.states.renew('d4', 1, 5_000)).toBe(true);
    expect(await row('d4')).toMatchObject({ lease_until: 5_000 });
  });

  it('expire skips held ids and leases still running; expireAll takes every lease back', async () => {
    await fresh();
    for (const id of ['d1', 'd2', 'd3']) await insert(id);
    await insert('d4', { leaseUntil: 5_000 });
    await store.states.claim('A', 100, 1_000, 3);
    const expired = await store.states.expire(2_000, ['d2']);
    expect(expired.map((s) => s.id).sort()).toEqual(['d1', 'd3']);
    expect(expired.every((s) => s.status === 'pending')).toBe(true);
    expect(await row('d1')).toMatchObject({ status: 'pending', next_attempt_at: 2_000, lease_until: null });
    expect(await statusOf('d2')).toBe('sending');
    expect(await statusOf('d4')).toBe('sending');
    expect(await store.states.expire(2_000, [])).toEqual([expect.objectContaining({ id: 'd2' })]);
    expect((await store.states.expireAll(2_500)).map((s) => s.id)).toEqual(['d4']);
    expect(await row('d4')).toMatchObject({ status: 'pending', next_attempt_at: 2_500, lease_until: null });
  });

  it("pauses, resumes and cancels one endpoint's waiting deliveries only", async () => {
    await fresh();
    for (const id of ['d1', 'd2', 'd3']) await insert(id);
    await insert('d4', { leaseUntil: 9_000 }); // sending: finishes on its own
    await insert('d5', { endpointId: 'B' });
    await store.states.claim('A', 100, 1_000, 1); // one of d1..d3 sending
    const paused = await store.states.pauseEndpoint('A', 'endpoint_disabled', 200);
    expect(paused).toHaveLength(2);
    expect(paused.every((s) => s.status === 'paused')).toBe(true);
    expect(await statusOf('d4')).toBe('sending');
    expect(await statusOf('d5')).toBe('pending');
    const resumed = await store.states.resumeEndpoint('A', 300);
    expect(resumed.map((s) => s.id).sort()).toEqual(paused.map((s) => s.id).sort());
    expect(await row(resumed[0]!.id)).toMatchObject({ status: 'pending', paused_reason: null, next_attempt_at: 300 });

    await store.states.pauseEndpoint('A', 'endpoint_auto_disabled', 400);
    const cancelled = await store.states.cancelEndpoint('A', 500);
    expect(cancelled.map((s) => s.id).sort()).toEqual(paused.map((s) => s.id).sort());
    expect(await statusOf('d4')).toBe('sending');
    expect(await statusOf('d5')).toBe('pending');
  });

  it("a person's cancel, hurry and reopen", async () => {
    await fresh();
    await insert('d1', { now: 100 });
    expect(await store.states.hurry('d1', 50)).toMatchObject({ status: 'pending' });
    expect(await row('d1')).toMatchObject({ next_attempt_at: 50, updated_at: 50 });
    expect(await store.states.cancel('d1', 60)).toMatchObject({ status: 'cancelled' });
    expect(await store.states.hurry('d1', 70)).toBeUndefined();
    expect(await store.states.cancel('d1', 70)).toBeUndefined();

    expect(await store.states.reopen('d1', 'pending', null, 80)).toMatchObject({ status: 'pending' });
    expect(await row('d1')).toMatchObject({ next_attempt_at: 80, max_attempts: 1, attempt_count: 0 });
    expect(await store.states.reopen('d1', 'pending', null, 90)).toBeUndefined(); // not finished

    await insert('d2');
    await store.states.claim('A', 100, 1_000, 10);
    await store.states.finish(outcome('d2', 1, 0, { status: 'failed' }));
    await store.states.finish(outcome('d1', 1, 0, { status: 'failed' }));
    expect(await store.states.reopen('d2', 'paused', 'endpoint_auto_disabled', 600)).toMatchObject({
      status: 'paused',
    });
    expect(await row('d2')).toMatchObject({
      paused_reason: 'endpoint_auto_disabled',
      next_attempt_at: null,
      max_attempts: 2,
    });
  });

  it('terminal states stay terminal under every engine transition', async () => {
    await fresh();
    for (const id of ['d1', 'd2', 'd3']) await insert(id);
    await store.states.claim('A', 100, 1_000, 3);
    await store.states.finish(outcome('d1', 1, 0));
    await store.states.finish(outcome('d2', 1, 0, { status: 'failed' }));
    await store.states.hold('d3', 1, 'cancelled', null, 200);
    const terminal = { d1: 'succeeded', d2: 'failed', d3: 'cancelled' } as const;
    const before = await Promise.all(Object.keys(terminal).map(row));

    const s = store.states;
    for (const id of Object.keys(terminal)) {
      for (const seq of [0, 1, 2]) {
        for (const status of ['succeeded', 'pending', 'failed', 'paused', 'cancelled'] as const)
          expect(await s.finish(outcome(id, seq, 1, { status, pausedReason: 'endpoint_disabled' }))).toBeNull();
        expect(await s.release(id, seq, 900, 900)).toBeUndefined();
        expect(await s.hold(id, seq, 'paused', 'endpoint_disabled', 900)).toBeUndefined();
        expect(await s.renew(id, seq, 9_000)).toBe(false);
      }
      expect(await s.hurry(id, 900)).toBeUndefined();
      expect(await s.cancel(id, 900)).toBeUndefined();
    }
    expect(await s.claim('A', 10_000, 20_000, 10)).toEqual([]);
    expect(await s.expire(10_000, [])).toEqual([]);
    expect(await s.expireAll(10_000)).toEqual([]);
    expect(await s.pauseEndpoint('A', 'endpoint_disabled', 900)).toEqual([]);
    expect(await s.resumeEndpoint('A', 900)).toEqual([]);
    expect(await s.cancelEndpoint('A', 900)).toEqual([]);
    expect(await Promise.all(Object.keys(terminal).map(row))).toEqual(before);
    for (const [id, status] of Object.entries(terminal)) expect(await statusOf(id)).toBe(status);
  });
});
