// Many processes, one queue: claims on PostgreSQL lock what they take with FOR UPDATE SKIP LOCKED, so concurrent
// claimers of one endpoint take disjoint rows (together all of them) and a claimer never waits on another's locks.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PgDeliveryStates } from '../../src/main/engine/store/pg/delivery-states';
import { openPgPool } from '../../src/main/engine/store/pg/pool';
import { pgClusterPerFile } from '../support/pg-cluster';
import { pgStore } from '../support/state-stores';

const cluster = pgClusterPerFile();

const PENDING = 500;

/** A migrated database with PENDING deliveries due on endpoint A, due times spread so that order matters. */
async function backlog() {
  const store = await pgStore(cluster.url);
  await store.seed(['A'], ['e1']);
  await store.sql(
    `INSERT INTO deliveries (id, event_id, endpoint_id, event_type, status, max_attempts, next_attempt_at,
       created_at, updated_at)
     SELECT 'd' || g, 'e1', 'A', 'a.b', 'pending', 3, g % 97, 0, 0 FROM generate_series(1, ?::int) AS g`,
    [PENDING],
  );
  return store;
}

describe('PostgreSQL claims across processes', () => {
  it('two pools claiming one endpoint concurrently never take the same delivery, and together take all', async () => {
    const store = await backlog();
    // two pools stand for two processes; three claim loops each, as a dispatcher's concurrent claim rounds
    const pools = [openPgPool(store.url), openPgPool(store.url)];
    try {
      const loops = pools.flatMap((pool) =>
        Array.from({ length: 3 }, async () => {
          const states = new PgDeliveryStates(pool);
          const mine: string[] = [];
          // bounded: every round that returns rows claims at least one of the PENDING
          for (let round = 0; round < PENDING; round++) {
            const rows = await states.claim('A', 1_000, 60_000, 10);
            expect(rows.length).toBeLessThanOrEqual(10);
            if (rows.length === 0) {
              const [left] = await store.sql("SELECT count(*)::int AS n FROM deliveries WHERE status = 'pending'");
              if (left?.n === 0) break;
              continue; // the rest were locked by another claimer's statement in flight
            }
            mine.push(...rows.map((r) => r.id));
          }
          return mine;
        }),
      );
      const claimed = (await Promise.all(loops)).flat();
      expect(claimed).toHaveLength(PENDING);
      expect(new Set(claimed).size).toBe(PENDING);
      const rows = await store.sql('SELECT status, lease_seq, count(*)::int AS n FROM deliveries GROUP BY 1, 2');
      expect(rows).toEqual([{ status: 'sending', lease_seq: 1, n: PENDING }]);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
      await store.close();
    }
  });

  it('a claim skips rows another transaction has locked instead of waiting for it', async () => {
    const store = await backlog();
    const other = new pg.Client({ connectionString: store.url });
    await other.connect();
    try {
      // another process is mid-claim on the earliest due deliveries (next_attempt_at 0: d97, d194, ... d485)
      await other.query('BEGIN');
      const locked = await other.query<{ id: string }>(
        'SELECT id FROM deliveries WHERE next_attempt_at = 0 ORDER BY id FOR UPDATE',
      );
      expect(locked.rows.map((r) => r.id)).toHaveLength(Math.floor(PENDING / 97));

      const states = new PgDeliveryStates(store.pool);
      const waited = new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 5_000).unref());
      const rows = await Promise.race([states.claim('A', 1_000, 60_000, 10), waited]);
      expect(rows).not.toBe('waited');
      const ids = (rows as { id: string }[]).map((r) => r.id);
      expect(ids).toHaveLength(10);
      for (const r of locked.rows) expect(ids).not.toContain(r.id);

      // once the other transaction ends without claiming them, they are claimed next (earliest due first)
      await other.query('ROLLBACK');
      const next = await states.claim('A', 1_000, 60_000, locked.rows.length);
      expect(next.map((r) => r.id).sort()).toEqual(locked.rows.map((r) => r.id).sort());
    } finally {
      await other.end();
      await store.close();
    }
  });

  it('runs on a pool client inside a transaction: a claim rolled back leaves its rows pending', async () => {
    const store = await backlog();
    const client = await store.pool.connect();
    try {
      await client.query('BEGIN');
      const inTx = new PgDeliveryStates(client);
      const rows = await inTx.claim('A', 1_000, 60_000, 5);
      expect(rows).toHaveLength(5);
      expect(await inTx.release(rows[0]!.id, rows[0]!.lease_seq, 2_000, 1_000)).toMatchObject({ status: 'pending' });
      await client.query('ROLLBACK');
      const [counts] = await store.sql(
        "SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, max(lease_seq) AS seq FROM deliveries",
      );
      expect(counts).toEqual({ pending: PENDING, seq: 0 });
    } finally {
      client.release();
      await store.close();
    }
  });
});
