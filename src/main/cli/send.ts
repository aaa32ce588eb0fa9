// `hookbench send`: one delivery through the real engine (temp database, or --db), printing every attempt.
// Exit 0 when it is delivered (2xx), 1 when it is not, 2 on bad usage.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  type Attempt,
  type DeliveryDetail,
  HookbenchError,
  type RouteOutput,
  SendFlags,
  type Settings,
} from '../../shared';
import { createEngine } from '../engine';
import { builtInEventTypes } from '../engine/db/built-in-event-types';
import { findFixture, getProfile } from '../engine/profiles';
import { callRoute } from '../transports/dispatch';
import { readDataFlag } from './data-flag';
import { databaseTarget, defaultDataDir } from './database';
import { parseFlags, UsageError } from './flags';
import { EXIT_INTERRUPTED, Interrupted, unlessInterrupted } from './interrupt';
import { cliSecretBox } from './secret-box';
import { assertSecretFlag } from './secret-flag';

/** The retry policy of a send: the default shape, but quick (a CLI user is waiting). */
const sendRetry = (retries: number): Settings['retry'] => ({
  initialDelayMs: 500,
  multiplier: 2,
  maxDelayMs: 4_000,
  maxAttempts: retries + 1,
  jitter: 0,
});

const FINAL = new Set(['succeeded', 'failed', 'cancelled', 'paused']);

/**
 * How long a Ctrl+C waits for the engine to stop. Its stop waits for an attempt in flight (up to --timeout, 120 s);
 * once the send's endpoint is deleted that attempt's outcome changes nothing, so it is not waited for.
 */
const STOP_GRACE_MS = 500;

export interface SendIo {
  out(text: string): void;
  err(text: string): void;
  /**
   * Ends the process at once: after a Ctrl+C, when the engine has not stopped within STOP_GRACE_MS (the request in
   * flight would hold the process open until it ends). Without it, the send waits for the engine's stop.
   */
  exit?(code: number): void;
}
const processIo: SendIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  exit: (code) => process.exit(code),
};

/** Whether `p` settles within `ms` (its outcome is left to whoever awaits it). */
function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = p.then(
    () => true,
    () => true,
  );
  return Promise.race([settled, late]).finally(() => clearTimeout(timer));
}

/**
 * The engine's refusal of the send's own endpoint (a URL it will not send to, such as a link-local address) is about
 * the flags given: bad usage, exit 2, like the flags' own checks, with the flag named.
 */
function asUsage(err: unknown): never {
  if (err instanceof HookbenchError && err.code === 'invalid_input') {
    const [issue] = err.issues ?? [];
    const flag = issue?.path[0] === 'url' ? '--url' : issue?.path[0] === 'headers' ? '--header' : null;
    throw new UsageError(flag && issue ? `${flag}: ${issue.message}` : err.message);
  }
  throw err;
}

function parseHeaders(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of list) {
    const i = h.indexOf(':');
    out[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  return out;
}

function printAttempt(io: SendIo, a: Attempt): void {
  const head = a.response ? `HTTP ${a.response.status}` : `error: ${a.error}`;
  const t = a.response?.timing;
  const split = t ? ` (connection ${t.connectMs} ms, waiting ${t.waitMs} ms, download ${t.downloadMs} ms)` : '';
  io.out(`Attempt ${a.number}: ${head} in ${a.durationMs} ms${split}\n`);
  if (a.response) {
    for (const [k, v] of Object.entries(a.response.headers)) io.out(`  ${k}: ${v}\n`);
    if (a.response.body) io.out(`\n${a.response.body}${a.response.body.endsWith('\n') ? '' : '\n'}`);
    if (a.response.truncated) io.out('  (response body truncated at 64 KiB)\n');
  }
}

/**
 * One send; `signal` aborting (the command's Ctrl+C) stops the wait for the delivery, which is then cancelled with its
 * endpoint, and EXIT_INTERRUPTED returned (or, with an attempt still in flight, `io.exit` called with it).
 */
export async function runSend(
  raw: Record<string, unknown>,
  io: SendIo = processIo,
  signal?: AbortSignal,
): Promise<number> {
  const flags = parseFlags(SendFlags, raw);
  const profile = flags.profile ? getProfile(flags.profile) : undefined;
  // A profile brings its scheme unless --scheme says otherwise.
  const scheme = raw.scheme === undefined && profile ? profile.scheme : flags.scheme;
  if (flags.secret !== undefined) assertSecretFlag(scheme, flags.secret);
  let data = readDataFlag(flags.data);
  if (data === undefined && flags.profile) {
    const fixture = findFixture(flags.profile, flags.type);
    if (!fixture) {
      const types = profile?.fixtures.map((f) => f.type).join(', ') ?? '';
      throw new UsageError(`--type: the ${flags.profile} profile has no fixture ${flags.type} (it has: ${types})`);
    }
    data = fixture.data;
  }
  data ??= builtInEventTypes.find((t) => t.name === flags.type)?.example ?? {};

  const target = flags.db !== undefined ? databaseTarget(flags.db) : null;
  const postgres = target?.kind === 'postgres' ? target.url : null;
  const tempDir = flags.db ? null : mkdtempSync(join(tmpdir(), 'hookbench-send-'));
  const dbPath = postgres ? '' : (flags.db ?? join(tempDir as string, 'send.db'));
  // a kept database seals its secrets like serve's (on PostgreSQL: with the key serve's processes share); a temporary
  // one is removed with its key
  const engine = await createEngine({
    dbPath,
    databaseUrl: postgres ?? undefined,
    inbox: false,
    secrets: cliSecretBox(postgres ? defaultDataDir() : dirname(resolve(dbPath))),
  });
  const h = engine.handlers;
  let endpointId: string | null = null;
  try {
    // The send's endpoint has its own quick retry policy and is never auto-disabled: the database's settings, and
    // every other endpoint of a --db database, are left as they are. Made through the route's contract (its input
    // parsed, so a framing header is refused as the API refuses it), a refusal said as bad usage of the flag.
    const endpoint = (await callRoute(engine.handlers, 'endpoints.create', {
      url: flags.url,
      description: 'hookbench send',
      eventTypes: [flags.type],
      scheme,
      headers: parseHeaders(flags.header),
      timeoutMs: flags.timeout,
      rateLimitPerSec: null,
      retry: sendRetry(flags.retries),
      autoDisableThreshold: 0,
      secret: flags.secret,
      enabled: true,
    }).catch(asUsage)) as RouteOutput<'endpoints.create'>;
    endpointId = endpoint.id;
    if (!flags.secret && !flags.json) io.out(`Generated secret (verify with it): ${endpoint.secret}\n`);

    let eventId = '';
    let printed = 0;
    let finalDetail: DeliveryDetail | null = null;
    let interrupted = false;
    let off = () => {};
    const done = new Promise<DeliveryDetail>((resolve) => {
      off = engine.on('delivery.updated', async (u) => {
        if (u.eventId !== eventId) return;
        const detail = await h['deliveries.get']({ id: u.id });
        // the Interrupted line is the send's last: an attempt that ends while it stops is not printed after it
        if (interrupted) return;
        if (!flags.json) for (const a of detail.attempts.slice(printed)) printAttempt(io, a);
        printed = Math.max(printed, detail.attempts.length);
        if (FINAL.has(detail.status)) {
          off();
          resolve(detail);
        }
      });
    });
    // through the contract too: the data given is any JSON value, checked for depth and size as the API checks it
    const event = (await callRoute(engine.handlers, 'events.create', {
      type: flags.type,
      version: 'v1',
      data,
      endpointIds: [endpoint.id],
      // send delivers what it is given, as a sender under test would (README: the API checks schemas)
      validate: false,
    })) as RouteOutput<'events.create'>;
    eventId = event.id;
    if ((event.deliveries ?? []).length === 0) throw new Error('no delivery was created');
    // The engine's timers are unref'd (they never hold a host open); this process has nothing else to do
    // while a retry is scheduled, so it holds itself open until the delivery is final.
    const keepAlive = setInterval(() => {}, 60_000);
    try {
      finalDetail = await unlessInterrupted(done, signal);
    } catch (err) {
      if (!(err instanceof Interrupted)) throw err;
      interrupted = true;
      off();
      // --json keeps stdout for the result's JSON, and an interrupted send has none: the notice goes to stderr
      (flags.json ? io.err : io.out)('Interrupted: not delivered (the delivery is cancelled)\n');
      return EXIT_INTERRUPTED;
    } finally {
      clearInterval(keepAlive);
    }

    const ok = finalDetail.status === 'succeeded';
    if (flags.json) {
      io.out(
        `${JSON.stringify({
          url: flags.url,
          scheme,
          ...(flags.secret ? {} : { secret: endpoint.secret }),
          eventId,
          deliveryId: finalDetail.id,
          status: finalDetail.status,
          attempts: finalDetail.attempts,
        })}\n`,
      );
    } else {
      const n = finalDetail.attempts.length;
      io.out(
        ok
          ? `Delivered (${n} attempt${n === 1 ? '' : 's'})\n`
          : `Not delivered after ${n} attempt${n === 1 ? '' : 's'}\n`,
      );
    }
    return ok ? 0 : 1;
  } finally {
    // the send's endpoint goes (its delivery, if still waiting, is cancelled with it), however the send ended
    if (endpointId) {
      try {
        await h['endpoints.delete']({ id: endpointId });
      } catch {
        // best effort: the database may be full or read-only; the send's result stands
      }
    }
    const stopped = engine.stop();
    if (signal?.aborted && io.exit && !(await settlesWithin(stopped, STOP_GRACE_MS))) {
      // An attempt is still in flight. Leaving now is what a crash leaves: on a --db database its delivery stays
      // leased, and the next engine there cancels it unsent (its endpoint is deleted); a temporary one just goes.
      try {
        if (tempDir) rmSync(tempDir, { recursive: true, force: true });
      } catch {
        // best effort: where an open database cannot be removed (Windows), the temporary directory stays
      }
      io.exit(EXIT_INTERRUPTED);
    }
    await stopped;
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}
