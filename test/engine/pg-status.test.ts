// PgStatus: system.status's database figures on PostgreSQL, the same as SQLite's system.status handler gives for
// the same rows (queue depth by waiting status; the user's endpoints: total, disabled, failing).
import { describe, expect, it } from 'vitest';
import type { HandlerContext } from '../../src/main/engine/api/handler-context';
import { systemHandlers } from '../../src/main/engine/api/system';
import { SqliteStatus } from '../../src/main/engine/db/status';
import { checkOut } from '../../src/main/engine/store/pg/pool';
import { PgStatus } from '../../src/main/engine/store/pg/status';
import { pgClusterPerFile } from '../support/pg-cluster';
import { pgStore, type StateStoreUnderTest, sqliteStore } from '../support/state-stores';

const cluster = pgClusterPerFile();

const COUNTS = { pending: 3, sending: 2, paused: 1, failed: 4, succeeded: 5, cancelled: 1 } as const;

/** endpoints of every kind and state, and deliveries of every status (COUNTS of each) */
async function seed(store: StateStoreUnderTest): Promise<void> {
  await store.seed(['ok', 'failing', 'disabled', 'deleted', 'system'], ['e1']);
  await store.sql("UPDATE endpoints SET consecutive_failures = 2 WHERE id IN ('failing', 'disabled', 'deleted')");
  await store.sql("UPDATE endpoints SET enabled = 0 WHERE id IN ('disabled', 'deleted')");
  await store.sql("UPDATE endpoints SET deleted_at = 5 WHERE id = 'deleted'");
  await store.sql("UPDATE endpoints SET kind = 'system', consecutive_failures = 1 WHERE id = 'system'");
  let n = 0;
  for (const [status, count] of Object.entries(COUNTS)) {
    for (let i = 0; i < count; i++) {
      await store.sql(
        `INSERT INTO deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, max_attempts,
           next_attempt_at, lease_until, lease_seq, created_at, updated_at)
         VALUES (?, 'e1', ?, 'a.b', ?, 0, 5, ?, ?, 1, 0, 0)`,
        [
          `d${++n}`,
          n % 2 ? 'ok' : 'failing',
          status,
          status === 'pending' ? n : null,
          status === 'sending' ? 10_000 : null,
        ],
      );
    }
  }
}

/** SQLite's figures, as its system.status handler reports them */
async function sqliteFigures(db: ConstructorParameters<typeof SqliteStatus>[0]) {
  const ctx = {} as HandlerContext; // system.status reads no context
  const parts = { status: new SqliteStatus(db), inboxBaseUrl: () => null, startedAt: 0, isRunning: () => true };
  const status = await systemHandlers(ctx, parts)['system.status']({});
  return { queue: status.queue, endpoints: status.endpoints };
}

describe('PgStatus', () => {
  it('counts zeros on an empty database', async () => {
    const store = await pgStore(cluster.url);
    try {
      expect(await new PgStatus(store.pool).figures()).toEqual({
        queue: { pending: 0, sending: 0, paused: 0, failed: 0 },
        endpoints: { total: 0, disabled: 0, failing: 0 },
      });
    } finally {
      await store.close();
    }
  });

  it('gives the same figures as SQLite for the same rows, also inside a transaction', async () => {
    const pg = await pgStore(cluster.url);
    const lite = sqliteStore();
    try {
      await seed(pg);
      await seed(lite);
      const expected = {
        queue: { pending: 3, sending: 2, paused: 1, failed: 4 },
        // the deleted endpoint and the system one are not the user's
        endpoints: { total: 3, disabled: 1, failing: 1 },
      };
      expect(await sqliteFigures(lite.db)).toEqual(expected);
      expect(await new PgStatus(pg.pool).figures()).toEqual(expected);

      const out = await checkOut(pg.pool);
      try {
        await out.client.query('BEGIN');
        await out.client.query("UPDATE deliveries SET status = 'failed' WHERE status = 'paused'");
        expect((await new PgStatus(out.client).figures()).queue).toEqual({ ...expected.queue, paused: 0, failed: 5 });
        await out.client.query('ROLLBACK');
      } finally {
        out.release();
      }
      expect(await new PgStatus(pg.pool).figures()).toEqual(expected);
    } finally {
      await lite.close();
      await pg.close();
    }
  });
});
