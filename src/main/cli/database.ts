// `--db`: a SQLite file, or a PostgreSQL database by URL (many processes sharing one queue, README "Scaling out").
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { isPostgresUrl, PostgresUrl, redactPgUrl } from '../../shared';
import { sqlitePathProblem } from '../engine/db/file-check';
import { UsageError } from './flags';

/** The per-user data directory (`$XDG_DATA_HOME/hookbench`, `~/Library/Application Support/Hookbench`, `%APPDATA%/Hookbench`). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Hookbench');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Hookbench');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'hookbench');
}

/**
 * Where a command keeps its data (serve, import): `--db` as a postgres:// URL, else
 * `$HOOKBENCH_DATABASE_URL` when --db is absent, else a SQLite file (`--db FILE` or hookbench.db in the data directory). A malformed URL is bad usage (exit 2), named
 * without its password.
 */
export function databaseTarget(
  db: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string } {
  const fromEnv = env.HOOKBENCH_DATABASE_URL?.trim();
  const url = db !== undefined ? (isPostgresUrl(db) ? db : null) : fromEnv || null;
  if (url === null) {
    const path = resolve(db ?? join(defaultDataDir(env), 'hookbench.db'));
    assertSqlitePath(path, db !== undefined ? `--db ${db}` : path);
    return { kind: 'sqlite', path };
  }
  const parsed = PostgresUrl.safeParse(url);
  if (!parsed.success) {
    const where = db !== undefined ? '--db' : '$HOOKBENCH_DATABASE_URL';
    throw new UsageError(`${where}: ${parsed.error.issues[0]?.message ?? 'not a database URL'} (${redactPgUrl(url)})`);
  }
  return { kind: 'postgres', url: parsed.data };
}

/**
 * A SQLite path that cannot hold Hookbench's database is bad usage, said before anything is created beside it (the
 * token, the key that seals secrets, a directory); see sqlitePathProblem.
 */
export function assertSqlitePath(path: string, named: string): void {
  const problem = sqlitePathProblem(path);
  if (problem) throw new UsageError(`${named} ${problem}`);
}
