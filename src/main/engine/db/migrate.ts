// Applies pending migrations in order. PRAGMA user_version records the last one applied, so re-opening a
// database is a no-op; each migration and its version bump commit together or not at all.
import type Database from 'better-sqlite3';
import { migrations as allMigrations, type Migration } from './migrations';

/** Returns the versions applied by this call (empty when the database was up to date). */
export function migrate(db: Database.Database, migrations: readonly Migration[] = allMigrations): number[] {
  const applied: number[] = [];
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`database schema version ${current} is newer than this Hookbench (${latest}); upgrade Hookbench`);
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      // user_version cannot be bound as a parameter; the value is our own integer.
      db.pragma(`user_version = ${Math.trunc(m.version)}`);
    }).immediate();
    applied.push(m.version);
  }
  return applied;
}
