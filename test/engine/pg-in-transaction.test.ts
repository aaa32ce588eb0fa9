// inTransaction: statements commit together when the work resolves and not at all when it throws; the client goes
// back to the pool clean either way (the next transaction on it starts fresh).
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/main/engine/store/pg/in-transaction';
import { openPgPool } from '../../src/main/engine/store/pg/pool';
import { createTestDatabase, pgClusterPerFile } from '../support/pg-cluster';

const cluster = pgClusterPerFile();

describe('inTransaction', () => {
  it('commits what the work wrote, rolls back what a failing work wrote, and reuses the client', async () => {
    // one connection: the rollback case must leave it usable for the next transaction
    const pool = openPgPool(await createTestDatabase(cluster.url), { max: 1 });
    try {
      await pool.query('CREATE TABLE marks (name TEXT PRIMARY KEY)');
      const answer = await inTransaction(pool, async (client) => {
        await client.query("INSERT INTO marks VALUES ('kept')");
        return 42;
      });
      expect(answer).toBe(42);
      await expect(
        inTransaction(pool, async (client) => {
          await client.query("INSERT INTO marks VALUES ('dropped')");
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      // a statement error aborts the transaction; the rollback ends it and the client stays usable
      await expect(
        inTransaction(pool, async (client) => {
          await client.query("INSERT INTO marks VALUES ('also dropped')");
          await client.query("INSERT INTO marks VALUES ('kept')");
        }),
      ).rejects.toThrow(/duplicate key/);
      expect((await pool.query('SELECT name FROM marks ORDER BY name')).rows).toEqual([{ name: 'kept' }]);
      expect(pool.totalCount).toBe(1);
    } finally {
      await pool.end();
    }
  });
});
