// A process dies holding leases: its committed claims come back through another process's lease recovery once
// the leases run out (under new lease_seqs), its uncommitted claim rolls back at once, and the dead process's late
// outcome is fenced off. Two pools stand for the two processes; "dying" is PostgreSQL terminating A's sessions.
import { describe, expect, it } from 'vitest';
import { PgDeliveryStates } from '../../src/main/engine/store/pg/delivery-states';
import { checkOut, openPgPool } from '../../src/main/engine/store/pg/pool';
import { pgClusterPerFile } from '../support/pg-cluster';
import { pgStore } from '../support/state-stores';
import { waitFor } from '../support/wait';

const cluster = pgClusterPerFile();

function withApp(url: string, name: string): string {
  const u = new URL(url);
  u.searchParams.set('application_name', name);
  return u.toString();
}

describe('lease recovery after a process dies (PostgreSQL)', () => {
  it("returns a dead process's leases to pending for another to claim, and fences its late outcome", async () => {
    const store = await pgStore(cluster.url);
    await store.seed(['A'], ['e1']);
    await store.sql(
      `INSERT INTO deliveries (id, event_id, endpoint_id, event_type, status, max_attempts, next_attempt_at,
         created_at, updated_at)
       SELECT 'd' || g, 'e1', 'A', 'a.b', 'pending', 3, g, 0, 0 FROM generate_series(1, 8) AS g`,
    );
    const poolA = openPgPool(withApp(store.url, 'process-a'));
    const poolB = openPgPool(withApp(store.url, 'process-b'));
    try {
      // A claims five with a short lease (committed), then is mid-way through claiming the other three
      const claimedA = await new PgDeliveryStates(poolA).claim('A', 1_000, 2_000, 5);
      expect(claimedA.map((r) => [r.id, r.lease_seq])).toEqual([1, 2, 3, 4, 5].map((n) => [`d${n}`, 1]));
      const mid = await checkOut(poolA);
      const midClaim = mid.client;
      await midClaim.query('BEGIN');
      expect(await new PgDeliveryStates(midClaim).claim('A', 1_000, 2_000, 5)).toHaveLength(3);

      // A dies: every session of it is gone at once, its open transaction with it
      const { rows: killed } = await poolB.query<{ ok: boolean }>(
        "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'process-a'",
      );
      expect(killed.length).toBeGreaterThanOrEqual(1);
      await expect(midClaim.query('COMMIT')).rejects.toThrow();
      await waitFor(() => mid.lost, { message: 'the checked-out client learns its session is gone' });
      mid.release();
      await waitFor(
        async () =>
          (await poolB.query("SELECT 1 FROM pg_stat_activity WHERE application_name = 'process-a'")).rowCount === 0,
        { message: "A's sessions are gone" },
      );
      await poolA.end().catch(() => {});

      const statesB = new PgDeliveryStates(poolB);
      // the uncommitted claim never happened; the committed leases still run: recovery before they end takes none
      expect(await statesB.expire(1_999, [])).toEqual([]);
      expect(await store.sql('SELECT id, status FROM deliveries ORDER BY next_attempt_at')).toEqual([
        ...[1, 2, 3, 4, 5].map((n) => ({ id: `d${n}`, status: 'sending' })),
        ...[6, 7, 8].map((n) => ({ id: `d${n}`, status: 'pending' })),
      ]);

      // once A's leases have run out, B's lease recovery (holding nothing itself) returns them to pending
      const recovered = await statesB.expire(2_500, []);
      expect(recovered.map((s) => [s.id, s.status]).sort()).toEqual([1, 2, 3, 4, 5].map((n) => [`d${n}`, 'pending']));
      const claimedB = await statesB.claim('A', 2_500, 62_500, 10);
      expect(claimedB.map((r) => r.id).sort()).toEqual(['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8']);
      const seqs = Object.fromEntries(claimedB.map((r) => [r.id, r.lease_seq]));
      expect(seqs).toEqual({ d1: 2, d2: 2, d3: 2, d4: 2, d5: 2, d6: 1, d7: 1, d8: 1 });

      // A's attempt on d1 "finishes" late (its outcome reaches the database through a fresh connection): fenced
      const late = openPgPool(store.url);
      try {
        const before = await store.sql('SELECT * FROM deliveries WHERE id = ?', ['d1']);
        const a1 = claimedA[0]!;
        expect(
          await new PgDeliveryStates(late).finish({
            id: a1.id,
            leaseSeq: a1.lease_seq,
            attemptCount: a1.attempt_count,
            status: 'succeeded',
            pausedReason: null,
            nextAt: null,
            lastStatus: 200,
            durationMs: 12,
            error: null,
            now: 3_000,
          }),
        ).toBeNull();
        expect(await new PgDeliveryStates(late).renew(a1.id, a1.lease_seq, 90_000)).toBe(false);
        expect(await store.sql('SELECT * FROM deliveries WHERE id = ?', ['d1'])).toEqual(before);
      } finally {
        await late.end();
      }
      // B's own outcome with the current lease goes through
      const b1 = claimedB.find((r) => r.id === 'd1')!;
      expect(
        await statesB.finish({
          id: b1.id,
          leaseSeq: b1.lease_seq,
          attemptCount: b1.attempt_count,
          status: 'succeeded',
          pausedReason: null,
          nextAt: null,
          lastStatus: 200,
          durationMs: 5,
          error: null,
          now: 3_000,
        }),
      ).toBe(1);
    } finally {
      await poolA.end().catch(() => {});
      await poolB.end();
      await store.close();
    }
  });
});
