// `--db`: a SQLite file, or a PostgreSQL database by URL (many processes sharing one queue, README "Scaling out").
import { closeSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { isPostgresUrl, PostgresUrl, redactPgUrl } from '../../shared';
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

/** The first 16 bytes of every SQLite database file. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * A SQLite path that cannot hold Hookbench's database is bad usage, said before anything is created beside it (the
 * token, the key that seals secrets, a directory): a directory, a path under a file, or a file that is not a SQLite
 * database (an empty file is one: SQLite makes a database of it). A path that does not exist yet is fine.
 */
export function assertSqlitePath(path: string, named: string): void {
  const stat = statOrNull(path);
  if (stat === null) {
    const parent = firstExisting(dirname(path));
    if (parent !== null && !parent.stat.isDirectory()) {
      throw new UsageError(`${named}: ${parent.path} is a file, not a directory`);
    }
    return;
  }
  if (stat.isDirectory()) {
    throw new UsageError(
      `${named} is a directory: give a database file's path (such as ${join(path, 'hookbench.db')})`,
    );
  }
  if (!stat.isFile()) throw new UsageError(`${named} is not a regular file`);
  if (stat.size === 0) return;
  const head = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!head.equals(SQLITE_HEADER)) {
    throw new UsageError(
      `${named} is not a SQLite database (it does not start with SQLite's header): give Hookbench's database, or a new path to create one`,
    );
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}

/** The nearest ancestor of `dir` (itself included) that exists. */
function firstExisting(dir: string): { path: string; stat: Stats } | null {
  for (let at = dir; ; at = dirname(at)) {
    const stat = statOrNull(at);
    if (stat) return { path: at, stat };
    if (dirname(at) === at) return null;
  }
}
