// Transactions of the PostgreSQL store: a pool opens its own, a client is expected to be in the caller's.
import pg from 'pg';
import { checkOut } from './pool';

/** A pool (the work opens, commits or rolls back its own transaction) or a client inside the caller's BEGIN. */
export type PgTarget = pg.Pool | pg.PoolClient;

/** Runs `fn` in a transaction on one of the pool's clients: committed when it returns, rolled back when it throws. */
export async function withTransaction<T>(pool: pg.Pool, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const out = await checkOut(pool);
  const client = out.client;
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    try {
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => {
        broken = e; // the connection is gone: the server rolled back; the client must not return to the pool
      });
      throw err;
    }
  } finally {
    out.release(broken);
  }
}

/**
 * Runs `fn` inside a transaction: its own when `db` is a pool; else inside the caller's, under a savepoint, so a
 * failure undoes only `fn`'s work and leaves the caller's transaction usable. The savepoint also checks that the
 * client really is in a transaction (PostgreSQL refuses SAVEPOINT outside one): transaction-scoped locks taken by
 * `fn` would otherwise end with their own statement.
 */
export async function inTransaction<T>(db: PgTarget, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  if (db instanceof pg.Pool) return withTransaction(db, fn);
  try {
    await db.query('SAVEPOINT hookbench_step');
  } catch (err) {
    throw new Error(`expected a client inside a transaction (BEGIN first): ${(err as Error).message}`);
  }
  try {
    const result = await fn(db);
    await db.query('RELEASE SAVEPOINT hookbench_step');
    return result;
  } catch (err) {
    await db.query('ROLLBACK TO SAVEPOINT hookbench_step').catch(() => {
      // the connection failed: the caller's transaction is lost anyway, and its own error handling sees that
    });
    throw err;
  }
}
