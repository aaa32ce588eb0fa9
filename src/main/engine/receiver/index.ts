// The built-in receiver: a plain node:http server on 127.0.0.1 that captures every request, checks its signature
// when it knows a secret, and answers as a ResponseScript says. The engine's inboxes (`/in/<inboxId>`) and
// `hookbench listen` (every path) both run on it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { InboxAnswer, ResponseScript } from '../../../shared';
import { type Awaitable, isPromise } from './awaitable';
import { type CapturedRequest, DEFAULT_MAX_BODY_BYTES, normaliseHeaders, readBody, webhookIdOf } from './capture';
import { type Decision, decide, FailCounter } from './script';
import { connectHost } from './self-address';
import { type Verification, type VerifyWith, verdictOf } from './verdict';

export type { CapturedRequest } from './capture';
export type { Verification, VerifyWith } from './verdict';

/** Who answers a request: looked up per request, so a script change takes effect on the next one. */
export interface ReceiverTarget {
  /** namespace of the fail-first counters: the inbox id, or "listen" */
  key: string;
  script: ResponseScript;
  /** scheme and secrets that verify captured requests; null = no verdict */
  verifyWith: VerifyWith | null;
}

export type ReceiverRouting =
  /**
   * `/in/<inboxId>[/...]` goes to that inbox; anything else, or an unknown inbox, is a 404. A synchronous answer
   * (SQLite, or the inbox service's map) costs no turn of the event loop; a promise is awaited (a PostgreSQL read).
   */
  | { kind: 'inboxes'; lookup(inboxId: string): Awaitable<ReceiverTarget | null> }
  /** every path goes to the one target (`hookbench listen`) */
  | { kind: 'catchAll'; target(): ReceiverTarget };

/** One request as delivered to `onRequest`. */
export interface ReceivedRequest extends CapturedRequest {
  /** the target it went to */
  targetKey: string;
  webhookId: string | null;
  /** the status it is answered with; null when it hangs */
  responseStatus: number | null;
  /** the rest of that answer as written (headers, body, its delay); null when it hangs */
  response: InboxAnswer | null;
  /** the answer is a scripted failure */
  scriptedFailure: boolean;
  verification: Verification | null;
}

export interface ReceiverOptions {
  /** interface to bind; 127.0.0.1 by default (never exposed beyond the machine unless asked) */
  host?: string;
  /** 0 (default) picks a free port */
  port?: number;
  routing: ReceiverRouting;
  /**
   * called once per captured request, when its answer is decided (before any scripted delay). A promise (a
   * PostgreSQL insert) is awaited before the answer is written, as a synchronous store is: a sender that got its
   * answer finds the request listed.
   */
  onRequest?: (req: ReceivedRequest) => unknown;
  /** body bytes kept per request; the full size is still recorded. Default 1 MiB */
  maxBodyBytes?: number;
  /** unix ms; injectable for tests of timestamp tolerance */
  now?: () => number;
  /** 0..1, for failPercent */
  random?: () => number;
  /**
   * `onRequest` failed: told why. `unavailable` (PostgreSQL out of reach: nothing captured) answers 503 with
   * Retry-After instead of the script's answer, so the sender retries it later.
   */
  onError?: (err: unknown) => { unavailable: boolean };
}

export interface Receiver {
  /** e.g. http://127.0.0.1:43123 */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** forgets the fail-first counts of one target */
  resetCounters(targetKey: string): void;
  /** closes the server, every open socket (hung requests included) and pending delayed answers */
  stop(): Promise<void>;
}

export async function startReceiver(opts: ReceiverOptions): Promise<Receiver> {
  const host = opts.host ?? '127.0.0.1';
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const counter = new FailCounter();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let stopping = false;

  const resolveTarget = (path: string): Awaitable<ReceiverTarget | null> => {
    if (opts.routing.kind === 'catchAll') return opts.routing.target();
    const m = /^\/in\/([A-Za-z0-9_-]{1,64})(?:[/?#]|$)/.exec(path);
    return m?.[1] ? opts.routing.lookup(m[1]) : null;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const receivedAt = now();
    const path = req.url ?? '/';
    let target: ReceiverTarget | null;
    try {
      const found = resolveTarget(path);
      target = isPromise(found) ? await found : found;
    } catch {
      target = null;
    }
    const read = await readBody(req, maxBody);
    if (!read || stopping) return;
    if (!target) {
      sendJson(res, 404, { error: { code: 'not_found', message: `No inbox at ${path.split('?')[0]}` } });
      return;
    }
    const headers = normaliseHeaders(req);
    const captured: CapturedRequest = {
      method: req.method ?? 'GET',
      path,
      headers,
      body: read.body,
      size: read.size,
      truncated: read.size > read.body.length,
      remote: req.socket.remoteAddress ?? '',
      receivedAt,
    };
    const webhookId = webhookIdOf(headers, read.body);
    const verification = target.verifyWith ? verdictOf(target.verifyWith, captured, now()) : null;
    const decision = decide({ script: target.script, targetKey: target.key, webhookId, counter, random, verification });
    try {
      const stored = opts.onRequest?.({
        ...captured,
        targetKey: target.key,
        webhookId,
        responseStatus: decision.kind === 'answer' ? decision.status : null,
        response:
          decision.kind === 'answer'
            ? { headers: decision.headers, body: decision.body, delayMs: decision.delayMs }
            : null,
        scriptedFailure: decision.kind === 'answer' && decision.failed,
        verification,
      });
      if (isPromise(stored)) await stored;
    } catch (err) {
      // A failing listener (a full disk) must not stop the receiver from answering as scripted; storage out of reach
      // does: nothing was captured, so the sender is told to try again.
      if (opts.onError?.(err).unavailable) {
        res.setHeader('retry-after', '5');
        sendJson(res, 503, { error: { code: 'unavailable', message: 'The database cannot be reached; try again' } });
        return;
      }
    }
    answer(res, decision);
  };

  const answer = (res: ServerResponse, decision: Decision) => {
    // Hanging = never writing; the socket stays until the client gives up or stop() destroys it.
    if (decision.kind === 'hang') return;
    const write = () => {
      if (res.destroyed || res.writableEnded) return;
      try {
        res.writeHead(decision.status, decision.headers);
      } catch {
        // a header the script holds that node refuses: answer without the script's headers
        res.writeHead(decision.status, { 'content-type': 'text/plain; charset=utf-8' });
      }
      res.end(decision.body);
    };
    if (decision.delayMs <= 0) return write();
    const t = setTimeout(() => {
      timers.delete(t);
      write();
    }, decision.delayMs);
    timers.add(t);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: 'Internal error' } });
      else res.destroy();
    });
  });
  // A receiver must keep a slow sender's request open (delay, hang): no server-side request timeout.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  // bound to every interface, the inbox is reached (and its endpoints send) through loopback
  const reach = connectHost(host);
  const urlHost = reach.includes(':') ? `[${reach}]` : reach;

  return {
    url: `http://${urlHost}:${port}`,
    host,
    port,
    resetCounters: (key) => counter.forget(key),
    stop: () => {
      stopping = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      return closed;
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
