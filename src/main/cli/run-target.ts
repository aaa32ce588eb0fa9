// Where `hookbench run` sends its calls: an engine of its own (a temporary database, or --db FILE) or a running
// `hookbench serve` through the `hookbench/client` package. Both offer the contract's call and push topics, so the
// scenario runner cannot tell them apart.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createClient } from '../../client';
import type { CallClient } from '../../client/http-transport';
import { redactPgUrl } from '../../shared';
import { ensurePrivateDir } from '../engine/db/private-files';
import { callRoute } from '../transports/dispatch';
import { databaseTarget, defaultDataDir } from './database';
import { UsageError } from './flags';
import { cliSecretBox } from './secret-box';

export interface ScenarioTarget extends CallClient {
  /** what the reports name, e.g. "a temporary database" */
  readonly description: string;
  close(): Promise<void>;
}

/** What an engine of the CLI leaves out: `inbox: false` starts no receiver, `dispatch: false` sends nothing queued. */
export interface EngineParts {
  inbox?: false;
  dispatch?: false;
}

/**
 * An engine on `db` (a SQLite file, or a postgres:// URL: the database serve's processes share; either way its
 * secrets opened with serve's key), or on a temporary database removed by close().
 */
export async function engineTarget(db: string | undefined, opts: EngineParts = {}): Promise<ScenarioTarget> {
  // parsed as every --db is: a postgres:// URL, else a SQLite path that can hold a database (checked before use)
  const target = db ? databaseTarget(db) : null;
  const postgres = target?.kind === 'postgres' ? target.url : null;
  const tempDir = db ? null : mkdtempSync(join(tmpdir(), 'hookbench-run-'));
  // loaded here, not at the top: a command run against --server never loads the engine (better-sqlite3, undici)
  const { createEngine } = await import('../engine');
  // A kept database's secrets are sealed with serve's key (beside a SQLite file; for PostgreSQL the data
  // directory's or $HOOKBENCH_SECRET_KEY): opened with anything else, its endpoints could not be signed.
  const engine = postgres
    ? await createEngine({ dbPath: '', databaseUrl: postgres, secrets: cliSecretBox(defaultDataDir()), ...opts })
    : db
      ? await createEngine({ dbPath: db, secrets: cliSecretBox(dirname(resolve(db))), ...opts })
      : await createEngine({ dbPath: join(tempDir as string, 'run.db'), ...opts });
  // The engine's timers are unref'd; scenario waits hold the process open themselves.
  return {
    description: postgres ? `database ${redactPgUrl(postgres)}` : db ? `database ${db}` : 'a temporary database',
    // Parsed by the route's schema exactly as HTTP and IPC parse it, so a scenario behaves the same everywhere.
    call: (name, input) => callRoute(engine.handlers, name, input) as never,
    on: (topic, fn) => engine.on(topic, fn),
    close: async () => {
      await engine.stop();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

export function serverTarget(baseUrl: string, token: string): ScenarioTarget {
  const client = createClient({ baseUrl, token });
  return {
    description: baseUrl,
    call: client.call,
    on: client.on,
    close: async () => client.close(),
  };
}

/** `--server` for a command that only talks to a running serve (tail, replay): without it, bad usage, said first. */
export function requireServer(raw: Record<string, unknown>, why: string): void {
  if (raw.server === undefined) throw new UsageError(`--server is required: ${why}`);
}

/** The API token for --server: --token, else $HOOKBENCH_TOKEN; --server with neither is bad usage (exit 2). */
export function serverToken(
  flags: { server?: string; token?: string },
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const token = flags.token ?? env.HOOKBENCH_TOKEN?.trim();
  if (flags.server && !token) throw new UsageError('--server needs --token (or $HOOKBENCH_TOKEN)');
  return token || undefined;
}

export interface ServeDataTarget extends ScenarioTarget {
  /** the SQLite file that did not exist: created (`missing: 'create'`) or stood in for (`'empty'`) */
  readonly newDatabase?: string;
}

/**
 * Where a command against serve's data goes (import, trigger, api): a running serve with --server, else an engine on
 * serve's database (--db, $HOOKBENCH_DATABASE_URL or the data directory's file). For a SQLite file that does not
 * exist, `missing` says what happens: `'create'` makes it (its directory 0700, as serve does); `'refuse'` is bad usage
 * (a typo must not act on a new database); `'empty'` creates nothing there and runs on a temporary database instead,
 * so a dry run sees what a new database would hold.
 */
export async function serveDataTarget(
  flags: { server?: string; token?: string; db?: string },
  opts: { missing: 'create' | 'refuse' | 'empty' } & EngineParts,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServeDataTarget> {
  const { missing, ...parts } = opts;
  const token = serverToken(flags, env);
  if (flags.server) return serverTarget(flags.server, token as string);
  const db = databaseTarget(flags.db, env);
  if (db.kind === 'postgres') return engineTarget(db.url, parts);
  if (existsSync(db.path)) return engineTarget(db.path, parts);
  if (missing === 'refuse') {
    throw new UsageError(`no database at ${db.path}: give the --db serve uses, or a running serve with --server`);
  }
  if (missing === 'empty') return { ...(await engineTarget(undefined, parts)), newDatabase: db.path };
  // 0700, as serve makes it: the database and the key that seals its secrets go there
  ensurePrivateDir(dirname(db.path));
  return { ...(await engineTarget(db.path, parts)), newDatabase: db.path };
}
