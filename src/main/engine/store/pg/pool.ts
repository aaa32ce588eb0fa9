// The PostgreSQL connection pool. Row shapes match SQLite's: better-sqlite3 returns INTEGER and REAL as JS numbers,
// so this pool parses int8 (times in ms, identity ids, counts) and numeric as numbers too. It does so through the
// pool's own `types`, not pg's global setTypeParser, so no other pg user in the process is affected. Every value
// stored as int8 is far below 2^53 (ms since epoch, row counts), where a number is exact.
import pg from 'pg';
import { HookbenchError, issuesFromZod, PostgresUrl, redactPgUrl } from '../../../../shared';

export { redactPgUrl };

/** postgres://USER[:PASSWORD]@HOST[:PORT]/DB: the contract's (src/shared/cli.ts), named for this store's callers. */
export const PgUrl = PostgresUrl;

import type { Logger } from '../../types';

const INT8 = 20;
const NUMERIC = 1700;

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PgPoolOptions {
  /** most connections this process opens (pg's default is 10) */
  max?: number;
  /** told about errors of idle connections (the server restarted, the network dropped) */
  log?: Logger;
}

/** A pool on `url`, parsed first: a bad URL is an invalid_input error that names no password. */
export function openPgPool(url: string, opts: PgPoolOptions = {}): pg.Pool {
  const parsed = PgUrl.safeParse(url);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? 'bad value';
    throw new HookbenchError(
      'invalid_input',
      `Invalid database URL ${redactPgUrl(url)}: ${message}`,
      issuesFromZod(parsed.error),
    );
  }
  const pool = new pg.Pool({ connectionString: parsed.data, max: opts.max ?? 10, types });
  // Without a listener, an idle connection's error (a server restart) would crash the process; the pool drops that
  // connection and opens another on the next query.
  pool.on('error', (err) => {
    opts.log?.warn('PostgreSQL connection lost', { db: redactPgUrl(parsed.data), error: err.message });
  });
  return pool;
}

/** What a store's statements run on: a Pool, or a PoolClient inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** A client checked out of a pool, watched for the loss of its session while the caller holds it. */
export interface CheckedOut {
  client: pg.PoolClient;
  /** the error that ended the session while checked out (then release destroys the client) */
  readonly lost: Error | undefined;
  /** back to the pool, or destroyed when `err` is given or the session was lost */
  release(err?: Error): void;
}

/**
 * pool.connect() with an error listener for as long as the client is out. pg's pool listens for errors of idle
 * clients only: a checked-out client whose session dies while no query runs on it (the server restarts while a
 * round holds its lock client, an open transaction is terminated) emits an `error` nobody handles, which would
 * crash the process.
 */
export async function checkOut(pool: pg.Pool): Promise<CheckedOut> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (err: Error) => {
    lost ??= err;
  };
  client.on('error', onError);
  return {
    client,
    get lost() {
      return lost;
    },
    release(err?: Error) {
      // a lost client keeps the listener: it is destroyed, and may still report its socket's end
      if (!lost && !err) client.removeListener('error', onError);
      client.release(err ?? lost);
    },
  };
}

/** SQLSTATE classes and codes that say the server could not be reached or went away, not that a statement failed. */
const UNREACHABLE_SQLSTATE = /^(08|57P0[123]$|53300$)/;
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);
/** pg's own errors for a connection that ended or never came, which carry no code */
const UNREACHABLE_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/** The error a route answers while PostgreSQL is out of reach (a 503): nothing was done. */
export const unavailableError = () =>
  new HookbenchError('unavailable', 'The database cannot be reached right now; nothing was done. Try again shortly.');

/**
 * Every handler of `handlers`, answering `unavailable` for an error that says PostgreSQL is out of reach (instead
 * of a 500 `internal`): the API tells a caller, a load balancer or a retrying client that it may try again.
 */
export function answeringUnavailable<H extends Record<string, (input: never) => unknown>>(handlers: H): H {
  const out: Record<string, (input: never) => unknown> = {};
  for (const [name, handler] of Object.entries(handlers)) {
    out[name] = async (input: never) => {
      try {
        return await handler(input);
      } catch (err) {
        throw pgUnreachable(err) ? unavailableError() : err;
      }
    };
  }
  return out as H;
}

/**
 * Did `err` come from PostgreSQL being out of reach (down, restarting, the network gone, no connection free) rather
 * than from what was asked? Nothing of the transaction it ended was committed (or, for a lost COMMIT, at most all of
 * it: the writes it retries are fenced), so what it carried can be written again once the server is back.
 */
export function pgUnreachable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || UNREACHABLE_SQLSTATE.test(code))) return true;
  if (err instanceof AggregateError) return err.errors.some(pgUnreachable);
  return UNREACHABLE_MESSAGE.test(err.message);
}
