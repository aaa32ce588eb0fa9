// `hookbench serve`: the engine headless, with the REST API, the SSE stream and the browser UI on one port.
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { redactPgUrl, ServeFlags, ServeToken } from '../../shared';
import { createEngine } from '../engine';
import { ensurePrivateDir, withPrivateUmask } from '../engine/db/private-files';
import { connectHost } from '../engine/receiver/self-address';
import { redactingLogger } from '../engine/redacting-logger';
import type { Logger } from '../engine/types';
import { defaultUiDir, startHttpServer, urlHost } from '../transports/http';
import { assertCanListen, listenError } from './bind-errors';
import { databaseTarget, defaultDataDir } from './database';
import { parseFlags, UsageError } from './flags';
import { cliSecretBox } from './secret-box';

/**
 * The API token: `fromEnv` (envToken: `$HOOKBENCH_TOKEN` parsed), else `<db dir>/token`, generated once (32 random bytes, base64url) and
 * written with mode 0600 so other local users cannot read it.
 */
export function loadOrCreateToken(dbDir: string, fromEnv: string | undefined): string {
  if (fromEnv) return fromEnv;
  const file = join(dbDir, 'token');
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 16) {
      // Tighten a token file someone loosened (POSIX only; Windows has no mode bits).
      if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
      return existing;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const token = randomBytes(32).toString('base64url');
  withPrivateUmask(() => writeFileSync(file, `${token}\n`, { mode: 0o600 }));
  chmodSync(file, 0o600);
  return token;
}

/**
 * `$HOOKBENCH_TOKEN` as serve's API token, or undefined when unset. One that a client could never send, or guess,
 * is bad usage: at least 16 characters, printable ASCII without spaces (it travels as `Authorization: Bearer …`).
 */
export function envToken(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const token = env.HOOKBENCH_TOKEN?.trim();
  if (!token) return undefined;
  const parsed = ServeToken.safeParse(token);
  if (!parsed.success) throw new UsageError(`$HOOKBENCH_TOKEN ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** Logs to stderr, one line each; `HOOKBENCH_LOG=debug` shows debug lines. Fields never carry secrets. */
export function stderrLogger(level = process.env.HOOKBENCH_LOG ?? 'info'): Logger {
  const rank = { debug: 0, info: 1, warn: 2, error: 3 } as const;
  const min = rank[level as keyof typeof rank] ?? 1;
  const line = (lvl: keyof typeof rank) => (msg: string, fields?: Record<string, unknown>) => {
    if (rank[lvl] < min) return;
    const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    process.stderr.write(`${new Date().toISOString()} ${lvl} ${msg}${extra}\n`);
  };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Runs until SIGINT/SIGTERM; resolves after a graceful stop. */
export async function runServe(flags: ServeFlags, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const log = redactingLogger(stderrLogger());
  const target = databaseTarget(flags.db, env);
  const tokenFromEnv = envToken(env);
  // Said before the engine starts: no database made, nothing sent from one about to stop.
  if (flags.port && flags.port === flags.inboxPort) {
    throw new UsageError(
      `--port and --inbox-port are both ${flags.port}: the API and the inbox receiver need a port each`,
    );
  }
  await assertCanListen('--port', flags.host, flags.port);
  if (flags.inboxPort) await assertCanListen('--inbox-port', flags.host, flags.inboxPort);
  // SQLite: the token and the key live beside the database file; PostgreSQL: in the data directory (or variables)
  const dbPath = target.kind === 'sqlite' ? target.path : join(defaultDataDir(env), 'hookbench.db');
  ensurePrivateDir(dirname(dbPath));
  const token = loadOrCreateToken(dirname(dbPath), tokenFromEnv);
  const engine = await createEngine({
    dbPath,
    databaseUrl: target.kind === 'postgres' ? target.url : undefined,
    secrets: cliSecretBox(dirname(dbPath), log, env),
    inbox: { host: flags.host, port: flags.inboxPort },
    notify: (n) => process.stdout.write(`[${n.topic}] ${n.title}: ${n.body}\n`),
    log,
  });
  let server: Awaited<ReturnType<typeof startHttpServer>>;
  try {
    server = await startHttpServer({
      engine,
      token,
      host: flags.host,
      port: flags.port,
      allowedHosts: flags.allowedHost,
      uiDir: defaultUiDir(),
      log,
    });
  } catch (err) {
    await engine.stop();
    throw listenError(err, '--port', flags.host, flags.port);
  }
  const base = `http://${urlHost(flags.host)}:${server.port}`;
  if (!LOOPBACK.has(flags.host)) {
    process.stderr.write(
      `warning: binding ${flags.host} exposes Hookbench beyond this machine; anyone who has the token can send webhooks from it\n`,
    );
  }
  process.stdout.write(`Hookbench listening on ${base}\n`);
  const open = `http://${urlHost(connectHost(flags.host))}:${server.port}`;
  process.stdout.write(`Open ${open}/#token=${encodeURIComponent(token)}\n`);
  const inbox = engine.inboxBaseUrl();
  if (inbox) process.stdout.write(`Inbox receiver on ${inbox}\n`);
  // on its own line too, for scripts and for pasting into an Authorization header
  process.stdout.write(`API token: ${token}\n`);
  log.info('database', target.kind === 'sqlite' ? { path: dbPath } : { url: redactPgUrl(target.url) });

  await new Promise<void>((done) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        // A second Ctrl-C means now: at-least-once delivery makes this safe (leases are reclaimed at start-up).
        process.stderr.write(`${signal} again: exiting without waiting\n`);
        process.exit(1);
      }
      stopping = true;
      log.info('stopping', { signal });
      void (async () => {
        try {
          await server.close();
          await engine.stop();
          process.exitCode = 0;
        } catch (err) {
          log.error('stop failed', { error: err instanceof Error ? err.message : String(err) });
          process.exitCode = 1;
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          // Exit even if a library left a handle open; unref so a clean stop exits sooner on its own.
          setTimeout(() => process.exit(process.exitCode ?? 0), 3_000).unref();
          done();
        }
      })();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** The `serve` command's action: its flags parsed, then runServe. */
export async function serveCommand(opts: Record<string, unknown>): Promise<void> {
  await runServe(parseFlags(ServeFlags, opts));
}
