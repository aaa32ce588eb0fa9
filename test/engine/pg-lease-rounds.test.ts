// PgLeaseRecovery: processes sharing one PostgreSQL queue take expired leases back on their clocks, each expired
// lease once in total, never a lease its own process holds, and a process whose rounds fail does not stop the others.
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { DeliveryState } from '../../src/main/engine/delivery/queue';
import { PgLeaseRecovery } from '../../src/main/engine/store/pg/lease-recovery';
import { ROUND_LOCK_CLASS } from '../../src/main/engine/store/pg/lock-keys';
import { openPgPool } from '../../src/main/engine/store/pg/pool';
import { FakeClock } from '../support/clock';
import { recordingLog } from '../support/log';
import { pgClusterPerFile } from '../support/pg-cluster';
import { pgStore } from '../support/state-stores';
import { waitFor } from '../support/wait';

const T0 = 1_800_000_000_000;
const EVERY_MS = 5_000;

const cluster = pgClusterPerFile();

type Store = Awaited<ReturnType<typeof pgStore>>;

/** deliveries of endpoint A: `sending` ones leased until `leaseUntil`, or pending ones */
async function insert(store: Store, ids: readonly string[], status: 'sending' | 'pending', leaseUntil: number | null) {
  for (const id of ids) {
    await store.sql(
      `INSERT INTO deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, max_attempts,
         next_attempt_at, lease_until, lease_seq, created_at, updated_at)
       VALUES (?, 'e1', 'A', 'a.b', ?, 0, 5, ?, ?, 1, ?, ?)`,
      [id, status, status === 'pending' ? T0 : null, leaseUntil, T0, T0],
    );
  }
}

async function statuses(store: Store): Promise<Record<string, unknown>> {
  const rows = await store.sql('SELECT id, status FROM deliveries ORDER BY id');
  return Object.fromEntries(rows.map((r) => [r.id, r.status]));
}

function recovery(pool: pg.Pool, clock: FakeClock, held: () => readonly string[] = () => []) {
  const log = recordingLog();
  const recovered: DeliveryState[] = [];
  const r = new PgLeaseRecovery({
    pool,
    clock,
    log,
    heldIds: held,
    everyMs: EVERY_MS,
    onRecovered: (states) => recovered.push(...states),
  });
  return { r, log, recovered };
}

const ids = (states: readonly DeliveryState[]) => states.map((s) => s.id).sort();

describe('PgLeaseRecovery', () => {
  it('brings each expired lease back once across two processes, on the clock; live leases and pending stay', async () => {
    const store = await pgStore(cluster.url);
    await store.seed(['A'], ['e1']);
    const expired = ['d1', 'd2', 'd3', 'd4', 'd5', 'd6'];
    await insert(store, expired, 'sending', T0 + 800);
    await insert(store, ['live'], 'sending', T0 + 60_000);
    await insert(store, ['p1'], 'pending', null);
    const clock = new FakeClock(T0);
    const pools = [openPgPool(store.url), openPgPool(store.url)];
    const [a, b] = pools.map((p) => recovery(p, clock));
    try {
      a!.r.start();
      b!.r.start();
      // the first rounds find nothing expired yet; each then waits for the earliest lease (at least 1 s)
      await waitFor(() => clock.pendingTimers().length === 2, { message: 'both recoveries scheduled' });
      expect(clock.pendingTimers()).toEqual([1_000, 1_000]);
      expect([...a!.recovered, ...b!.recovered]).toEqual([]);

      clock.advance(1_000);
      await waitFor(
        () => a!.recovered.length + b!.recovered.length === expired.length && clock.pendingTimers().length === 2,
        {
          message: 'the expired leases came back and both rounds ended',
        },
      );
      expect(ids([...a!.recovered, ...b!.recovered])).toEqual(expired);
      for (const s of [...a!.recovered, ...b!.recovered]) expect(s.status).toBe('pending');
      expect(await statuses(store)).toEqual({
        ...Object.fromEntries(expired.map((id) => [id, 'pending'])),
        live: 'sending',
        p1: 'pending',
      });
      const { rows } = await store.pool.query(
        'SELECT next_attempt_at, lease_until FROM deliveries WHERE id = ANY($1::text[])',
        [expired],
      );
      expect(new Set(rows.map((r) => `${r.next_attempt_at}/${r.lease_until}`))).toEqual(
        new Set([`${T0 + 1_000}/null`]),
      );

      // later rounds (up to the live lease's end) take nothing more; at its end it comes back, once
      clock.advance(EVERY_MS);
      await waitFor(() => clock.pendingTimers().length === 2);
      expect(a!.recovered.length + b!.recovered.length).toBe(expired.length);
      clock.advance(60_000);
      await waitFor(() => [...a!.recovered, ...b!.recovered].some((s) => s.id === 'live'));
      await waitFor(() => clock.pendingTimers().length === 2);
      expect(ids([...a!.recovered, ...b!.recovered])).toEqual([...expired, 'live'].sort());
      expect([...a!.log.messages('error'), ...b!.log.messages('error')]).toEqual([]);
    } finally {
      await Promise.all([a!.r.stop(), b!.r.stop()]);
      await Promise.all(pools.map((p) => p.end()));
      await store.close();
    }
  });

  it('never takes back a lease its own process holds, even when the wall clock says it ran out', async () => {
    const store = await pgStore(cluster.url);
    await store.seed(['A'], ['e1']);
    await insert(store, ['mine', 'theirs'], 'sending', T0 + 800);
    const clock = new FakeClock(T0 + 10_000);
    const held = new Set(['mine']);
    const { r, recovered } = recovery(store.pool, clock, () => [...held]);
    expect(ids((await r.round()) ?? [])).toEqual(['theirs']);
    expect(await statuses(store)).toEqual({ mine: 'sending', theirs: 'pending' });
    // once the attempt ended without an outcome (the LeaseBook let it go), its lease may come back
    held.delete('mine');
    expect(ids((await r.round()) ?? [])).toEqual(['mine']);
    expect(ids(recovered)).toEqual(['mine', 'theirs']);
    await store.close();
  });

  it('skips a round another process is running', async () => {
    const store = await pgStore(cluster.url);
    await store.seed(['A'], ['e1']);
    await insert(store, ['d1'], 'sending', T0);
    const clock = new FakeClock(T0 + 1_000);
    const other = openPgPool(store.url);
    try {
      const a = recovery(store.pool, clock);
      // another process holds the round (its lock, as runExclusively takes it)
      const holder = await other.connect();
      await holder.query("SELECT pg_advisory_lock($1::int, hashtext('lease-recovery'))", [ROUND_LOCK_CLASS]);
      expect(await a.r.round()).toBeNull();
      expect(await statuses(store)).toEqual({ d1: 'sending' });
      await holder.query("SELECT pg_advisory_unlock($1::int, hashtext('lease-recovery'))", [ROUND_LOCK_CLASS]);
      holder.release();
      expect(ids((await a.r.round()) ?? [])).toEqual(['d1']);
    } finally {
      await other.end();
      await store.close();
    }
  });

  it("keeps recovering in one process while the other's rounds fail, and the failing one keeps trying", async () => {
    const store = await pgStore(cluster.url);
    await store.seed(['A'], ['e1']);
    const clock = new FakeClock(T0);
    const pools = [openPgPool(store.url), openPgPool(store.url)];
    const [a, b] = pools.map((p) => recovery(p, clock));
    try {
      a!.r.start();
      b!.r.start();
      await waitFor(() => clock.pendingTimers().length === 2);
      await pools[0]!.end(); // A's database is gone: its rounds throw from now on

      await insert(store, ['d1', 'd2'], 'sending', T0 + 100);
      clock.advance(EVERY_MS);
      await waitFor(() => b!.recovered.length === 2 && clock.pendingTimers().length === 2);
      expect(a!.log.messages('error')).toEqual(['lease recovery failed']);

      await insert(store, ['d3'], 'sending', clock.now() + 100);
      clock.advance(EVERY_MS);
      await waitFor(() => b!.recovered.length === 3 && clock.pendingTimers().length === 2);
      expect(a!.log.messages('error')).toEqual(['lease recovery failed', 'lease recovery failed']);
      expect(ids(b!.recovered)).toEqual(['d1', 'd2', 'd3']);
      expect(a!.recovered).toEqual([]);
      expect(b!.log.messages('error')).toEqual([]);
    } finally {
      await Promise.all([a!.r.stop(), b!.r.stop()]);
      await pools[1]!.end();
      await store.close();
    }
  });
});
