// One transaction on one pool client: what several statements that must see and change the same rows run in (a
// person's retry reads the delivery and its endpoint, then moves the delivery). Committed when `work` resolves,
// rolled back when it throws. A client whose transaction did not end cleanly (BEGIN, COMMIT or ROLLBACK failed:
// the connection may be gone) is destroyed rather than returned to the pool.
import type pg from 'pg';

export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let ended = false;
  try {
    await client.query('BEGIN');
    let result: T;
    try {
      result = await work(client);
    } catch (err) {
      await client.query('ROLLBACK');
      ended = true;
      throw err;
    }
    await client.query('COMMIT');
    ended = true;
    return result;
  } finally {
    client.release(ended ? undefined : new Error('transaction did not end cleanly'));
  }
}
