// PostgreSQL migrations: applied once under an advisory lock (two processes starting together do not race), the
// schema mirrors SQLite's final one column for column, and the built-in event types are seeded once.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/engine/db/open';
import { migratePg } from '../../src/main/engine/store/pg/migrate';
import { pgMigrations } from '../../src/main/engine/store/pg/migrations';
import { openPgPool } from '../../src/main/engine/store/pg/pool';
import { createTestDatabase, type PgCluster, startPgCluster } from '../support/pg-cluster';
import { tempDbPath } from '../support/temp';

let cluster: PgCluster;
const pools: pg.Pool[] = [];
beforeAll(async () => {
  cluster = await startPgCluster();
});
afterAll(async () => {
  await Promise.all(pools.splice(0).map((p) => p.end()));
  await cluster?.stop();
});

async function freshPool(): Promise<{ pool: pg.Pool; url: string }> {
  const url = await createTestDatabase(cluster.url);
  const pool = openPgPool(url);
  pools.push(pool);
  return { pool, url };
}

describe('migratePg', () => {
  it('applies every migration once; a second run is a no-op', async () => {
    const { pool } = await freshPool();
    expect(await migratePg(pool)).toEqual(pgMigrations.map((m) => m.version));
    expect(await migratePg(pool)).toEqual([]);
    const { rows } = await pool.query('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows).toEqual(pgMigrations.map((m) => ({ version: m.version, name: m.name })));
  });

  it('two processes migrating at once: both succeed, each migration applied once', async () => {
    const { url } = await freshPool();
    // two pools stand for two processes: separate sessions, nothing shared but the database
    const a = openPgPool(url);
    const b = openPgPool(url);
    pools.push(a, b);
    const [ranA, ranB] = await Promise.all([migratePg(a), migratePg(b)]);
    expect([...ranA, ...ranB].sort()).toEqual(pgMigrations.map((m) => m.version));
    expect(ranA.length === 0 || ranB.length === 0).toBe(true);
    const { rows } = await a.query<{ version: number; n: number }>(
      'SELECT version, count(*)::int AS n FROM schema_migrations GROUP BY version ORDER BY version',
    );
    expect(rows).toEqual(pgMigrations.map((m) => ({ version: m.version, n: 1 })));
    const seeded = await b.query<{ n: number }>('SELECT count(*)::int AS n FROM event_types WHERE built_in = 1');
    expect(seeded.rows[0]?.n).toBeGreaterThan(0);
  });

  it('a failing migration leaves nothing of itself and releases the lock', async () => {
    const { pool } = await freshPool();
    const broken = [
      ...pgMigrations,
      {
        version: pgMigrations.length + 1,
        name: 'broken',
        up: 'CREATE TABLE half_done (x int); SELECT nope FROM nowhere',
      },
    ];
    await expect(migratePg(pool, broken)).rejects.toThrow(/migration \d+ \(broken\) failed/);
    const table = await pool.query("SELECT 1 FROM pg_tables WHERE tablename = 'half_done'");
    expect(table.rows).toEqual([]);
    // the lock was released: another session migrates (nothing left to do) without waiting
    expect(await migratePg(pool)).toEqual([]);
  });

  it('refuses a database migrated by a newer Hookbench', async () => {
    const { pool } = await freshPool();
    await migratePg(pool);
    await pool.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)");
    await expect(migratePg(pool)).rejects.toThrow(/newer than this Hookbench/);
  });

  it("mirrors SQLite's final schema: same tables, same columns (search's FTS table and PostgreSQL's shared rate buckets and endpoint counter aside)", async () => {
    const { pool } = await freshPool();
    await migratePg(pool);
    const { rows } = await pool.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name NOT IN ('schema_migrations', 'endpoint_rate', 'endpoint_epoch')`,
    );
    // endpoint_rate (migration 3) is what SQLite keeps in memory (delivery/rate-limiter.ts): processes share it here;
    // endpoint_epoch (migration 4) tells other processes' endpoint caches to catch up: SQLite has one process
    const pgColumns = rows.map((r) => `${r.table_name}.${r.column_name}`).sort();

    const db = openDatabase(tempDbPath());
    const tables = db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'events_fts%'",
      )
      .all();
    const sqliteColumns = tables
      .flatMap((t) =>
        db
          .prepare<[], { name: string }>(`PRAGMA table_info(${t.name})`)
          .all()
          .map((c) => `${t.name}.${c.name}`),
      )
      .sort();
    db.close();
    expect(pgColumns).toEqual(sqliteColumns);
  });
});
