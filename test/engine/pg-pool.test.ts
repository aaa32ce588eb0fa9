// The PostgreSQL pool: URLs parsed before connecting (a bad one is a typed error that never shows the password), and
// int8/numeric read as JS numbers, like SQLite's INTEGER, through the pool's own type parsers only.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgPool, redactPgUrl } from '../../src/main/engine/store/pg/pool';
import { HookbenchError } from '../../src/shared';
import { type PgCluster, startPgCluster } from '../support/pg-cluster';

describe('database URLs', () => {
  it('accepts postgres:// and postgresql://, rejects anything else with invalid_input', async () => {
    for (const ok of ['postgres://u@127.0.0.1:5432/db', 'postgresql://u:p@db.internal/hookbench']) {
      const pool = openPgPool(ok);
      await pool.end();
    }
    for (const bad of ['mysql://u:hunter2@h/db', '/var/lib/hookbench.db', 'postgres://', '']) {
      let err: unknown;
      try {
        openPgPool(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(HookbenchError);
      expect((err as HookbenchError).code).toBe('invalid_input');
      expect((err as HookbenchError).message).not.toContain('hunter2');
    }
  });

  it('redacts the password (and password parameters) for logs', () => {
    expect(redactPgUrl('postgres://app:s3cr%40t@db:5432/hb')).toBe('postgres://app:***@db:5432/hb');
    expect(redactPgUrl('postgres://app@db/hb?password=s3cret')).toBe('postgres://app@db/hb?password=***');
    expect(redactPgUrl('postgres://app@db/hb')).toBe('postgres://app@db/hb');
    expect(redactPgUrl('not a url :hunter2@')).not.toContain('hunter2');
  });
});

describe('row values', () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startPgCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('int8 and numeric come back as numbers from this pool, and only from it', async () => {
    const pool = openPgPool(cluster.url);
    const plain = new pg.Pool({ connectionString: cluster.url });
    // pool.end() resolves before its sockets have closed: if the cluster stops (afterAll) meanwhile, the server's
    // "terminating connection" reaches this pool as an error event, which must have a listener (openPgPool has one)
    plain.on('error', () => {});
    try {
      const sql = 'SELECT 1764500000000::bigint AS ms, 2.5::numeric AS n, 7::int AS i, 0.25::float8 AS d';
      expect((await pool.query(sql)).rows).toEqual([{ ms: 1764500000000, n: 2.5, i: 7, d: 0.25 }]);
      // pg's global parsers are untouched: another pool still gets strings
      expect((await plain.query(sql)).rows[0]).toMatchObject({ ms: '1764500000000', n: '2.5' });
      expect((await pool.query('SELECT NULL::bigint AS ms')).rows).toEqual([{ ms: null }]);
    } finally {
      await Promise.all([pool.end(), plain.end()]);
    }
  });
});
