// Applies pending PostgreSQL migrations in order. Many processes may start together on one database, so the whole
// run holds a session-level advisory lock: the second process waits, then finds every version applied. Each
// migration and its schema_migrations row commit together or not at all.
import type pg from 'pg';
import { type PgMigration, pgMigrations } from './migrations';
import { checkOut } from './pool';

/** pg_advisory_lock's key for migrations: "hookbnch" as a big-endian int8, fixed for every Hookbench version. */
export const MIGRATION_LOCK_KEY = '7525356009362973544';

/** Returns the versions applied by this call (empty when the database was up to date). */
export async function migratePg(pool: pg.Pool, migrations: readonly PgMigration[] = pgMigrations): Promise<number[]> {
  const out = await checkOut(pool);
  const client = out.client;
  let broken: Error | undefined;
  try {
    // a session lock (not a transaction one): it spans the per-migration transactions below
    await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    try {
      return await applyPending(client, migrations);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]).catch((err: Error) => {
        // the session is unusable; destroying it below ends the lock with it
        broken = err;
      });
    }
  } catch (err) {
    broken ??= err as Error;
    throw err;
  } finally {
    out.release(broken);
  }
}

async function applyPending(client: pg.PoolClient, migrations: readonly PgMigration[]): Promise<number[]> {
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at BIGINT NOT NULL
  )`);
  const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
  const done = new Set(rows.map((r) => r.version));
  const current = Math.max(0, ...done);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`database schema version ${current} is newer than this Hookbench (${latest}); upgrade Hookbench`);
  }
  const applied: number[] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    await client.query('BEGIN');
    try {
      await client.query(m.up);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        Date.now(),
      ]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK');
      throw new Error(`PostgreSQL migration ${m.version} (${m.name}) failed: ${(err as Error).message}`);
    }
    applied.push(m.version);
  }
  return applied;
}
