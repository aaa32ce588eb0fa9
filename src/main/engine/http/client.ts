// The dispatcher's HTTP client: one keep-alive undici Agent (a Pool per origin), POST only, redirects never
// followed, a total deadline per request (headers + body, on the engine clock), and a response body kept up to
// 64 KiB.
//
// It drives undici's dispatch() with a small handler instead of request(): no Readable stream, async iterator or
// AbortController per attempt. Profiled, request() + `for await` over the body cost 2-3x the CPU of the exchange
// itself (~115 us against ~45 us per 1 KiB POST on the benchmark machine).

import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { Dispatcher } from 'undici';
import Agent from 'undici/lib/dispatcher/agent.js';
import type { AttemptTiming } from '../../../shared';
// the rule's own module, not the contract's index: the HTTP worker thread must not load zod and every schema
import { linkLocalReason } from '../../../shared/schemas/url-rules';
import type { Clock } from '../types';

/** Response bytes stored per attempt; the rest is read and discarded (bounded below). */
export const MAX_RESPONSE_BODY = 64 * 1024;
/** After the kept 64 KiB, read and drop at most this much more (lets the connection be reused)... */
const DISCARD_MAX_BYTES = 1024 * 1024;
/** ...or for at most this long, then close the connection rather than read a hostile 100 MB body. */
const DISCARD_MAX_MS = 1000;

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  truncated: boolean;
  /** connection, waiting for the first byte, download: timed where the exchange ran */
  timing: AttemptTiming;
}

/** A failed exchange with a human-readable reason (timeout, connection refused, TLS, invalid HTTP). */
export class TransportError extends Error {
  /** how long the exchange ran before it failed, timed where it ran; null when the client could not tell */
  readonly durationMs: number | null;

  constructor(message: string, durationMs: number | null = null) {
    super(message);
    this.durationMs = durationMs;
  }
}

/**
 * A complete response and how long its exchange took: from handing the request to the connection to the last byte
 * of the response, timed on the thread that sent it (the HTTP worker's, usually), so that nothing the engine thread
 * was busy with meanwhile (a pass being written, up to a few milliseconds under load) counts as the endpoint's time.
 */
export interface Exchanged {
  response: HttpResponse;
  durationMs: number;
}

/** What the engine sends its requests with: this client on the engine's thread, or WorkerHttpClient. */
export interface HttpPoster {
  /** POSTs body with exactly these headers; rejects with TransportError when no complete response came back */
  post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<Exchanged>;
  /**
   * settings.allowLinkLocal, for the connections made from now on: false refuses a host name that resolves to a
   * link-local or cloud metadata address (the URL checks see only what a URL says, not what its name resolves to)
   */
  setAllowLinkLocal(allow: boolean): void;
  close(): Promise<void>;
}

/** What an exchange reports: a response, or an error (not yet described). */
type ExchangeDone = (err: { code?: string; message?: string } | null, res?: HttpResponse) => void;

export interface HttpClientOptions {
  /** how host names are resolved (default dns.lookup); tests give their own to resolve a name without DNS */
  lookup?: LookupFunction;
  /** idle keep-alive sockets are closed after this long */
  keepAliveTimeoutMs?: number;
  /** TLS: verify certificates (default true) */
  rejectUnauthorized?: boolean;
}

interface Target {
  origin: string;
  path: string;
  /** why the URL's own host is link-local or cloud metadata (an address is never looked up), else null */
  linkLocal: string | null;
}

/** Parsed endpoint URLs (there are few endpoints; the bound only guards against bare-URL tests piling up). */
const MAX_PARSED_URLS = 1000;

export class HttpClient implements HttpPoster {
  private readonly agent: Agent;
  private readonly urls = new Map<string, Target>();
  /** settings.allowLinkLocal as last told (the engine tells it at start and on every change); refused until then */
  private allowLinkLocal = false;

  constructor(
    private readonly clock: Clock,
    opts: HttpClientOptions = {},
  ) {
    this.agent = new Agent({
      keepAliveTimeout: opts.keepAliveTimeoutMs ?? 4_000,
      keepAliveMaxTimeout: 60_000,
      pipelining: 1,
      connect: {
        rejectUnauthorized: opts.rejectUnauthorized ?? true,
        // only for host names (an address in the URL is never looked up: post() judges those)
        lookup: guardedLookup(() => this.allowLinkLocal, opts.lookup ?? dnsLookup),
      },
    });
  }

  setAllowLinkLocal(allow: boolean): void {
    this.allowLinkLocal = allow;
  }

  /** POSTs body with exactly these headers; rejects with TransportError when no complete response came back. */
  post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<Exchanged> {
    let target: Target;
    try {
      target = this.target(url);
    } catch (err) {
      return Promise.reject(new TransportError(describeError(err), 0));
    }
    // An address in the URL is never looked up, so the lookup's guard cannot see it: an endpoint saved while
    // link-local addresses were allowed is refused here once they are not.
    if (target.linkLocal !== null && !this.allowLinkLocal) {
      return Promise.reject(new TransportError(`refused: ${target.linkLocal}`, 0));
    }
    // the monotonic timer: a test clock standing still must not turn latency into 0
    const t0 = performance.now();
    return new Promise((resolve, reject) => {
      const exchange = new Exchange(t0, (err, res) => {
        this.clock.clearTimeout(timer);
        const durationMs = performance.now() - t0;
        if (err) reject(new TransportError(describeError(err), durationMs));
        else resolve({ response: res as HttpResponse, durationMs });
      });
      const timer = this.clock.setTimeout(() => {
        exchange.cancel();
        reject(new TransportError(`timeout after ${timeoutMs} ms`, performance.now() - t0));
      }, timeoutMs);
      try {
        this.agent.dispatch(
          {
            origin: target.origin,
            path: target.path,
            method: 'POST',
            headers,
            body,
            // undici's own timers back up the deadline above (they run on real time even under a test clock)
            headersTimeout: timeoutMs + 1_000,
            bodyTimeout: timeoutMs + 1_000,
          },
          exchange,
        );
      } catch (err) {
        exchange.onError(err as Error);
      }
    });
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => this.agent.destroy());
  }

  private target(url: string): Target {
    let t = this.urls.get(url);
    if (!t) {
      const u = new URL(url);
      t = { origin: u.origin, path: `${u.pathname}${u.search}`, linkLocal: linkLocalReason(url) };
      if (this.urls.size >= MAX_PARSED_URLS) this.urls.clear();
      this.urls.set(url, t);
    }
    return t;
  }
}

/** One request's undici handler: keeps up to MAX_RESPONSE_BODY of the body, reports exactly once (not at all once cancelled). */
class Exchange implements Dispatcher.DispatchHandler {
  private abortFn: ((err?: Error) => void) | null = null;
  private settled = false;
  private status = 0;
  private raw: Buffer[] = [];
  private kept: Buffer[] = [];
  private size = 0;
  private dropped = 0;
  private capReachedAt = 0;
  /** performance.now() when the request got its connection, and when the final response's headers came */
  private connectedAt = 0;
  private headersAt = 0;

  constructor(
    private readonly startedAt: number,
    private readonly done: ExchangeDone,
  ) {}

  cancel(): void {
    this.settled = true;
    this.abortFn?.(new TransportError('cancelled'));
  }

  onConnect(abort: (err?: Error) => void): void {
    this.connectedAt = performance.now();
    this.abortFn = abort;
    if (this.settled) abort(new TransportError('cancelled'));
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    if (statusCode < 200) return true; // 1xx: the real answer follows
    this.headersAt = performance.now();
    this.status = statusCode;
    this.raw = rawHeaders;
    return true;
  }

  onData(chunk: Buffer): boolean {
    const room = MAX_RESPONSE_BODY - this.size;
    if (room > 0) {
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      this.kept.push(part);
      this.size += part.length;
      if (chunk.length > room) this.dropped += chunk.length - room;
    } else {
      this.dropped += chunk.length;
    }
    if (this.dropped > 0) {
      this.capReachedAt ||= performance.now();
      if (this.dropped > DISCARD_MAX_BYTES || performance.now() - this.capReachedAt > DISCARD_MAX_MS) {
        // Enough of a hostile body: answer with what was kept and close the connection.
        this.succeed();
        this.abortFn?.(new TransportError('response body discarded'));
        return false;
      }
    }
    return true;
  }

  onComplete(): void {
    this.succeed();
  }

  onError(err: Error): void {
    if (this.settled) return;
    this.settled = true;
    const e = err as { code?: string; message?: string; cause?: { code?: string } };
    this.done({ code: e.code ?? e.cause?.code, message: e.message ?? String(err) });
  }

  private succeed(): void {
    if (this.settled) return;
    this.settled = true;
    const raw: string[] = this.raw.map((b) => b.toString('latin1'));
    const end = performance.now();
    const connected = this.connectedAt || this.startedAt;
    const headers = this.headersAt || end;
    this.done(null, {
      status: this.status,
      headers: flattenHeaders(raw),
      // A multi-byte character cut at the cap decodes to U+FFFD; acceptable for a preview flagged as truncated.
      body: Buffer.concat(this.kept, this.size).toString('utf8'),
      truncated: this.dropped > 0,
      timing: {
        connectMs: ms(connected - this.startedAt),
        waitMs: ms(headers - connected),
        downloadMs: ms(end - headers),
      },
    });
  }
}

/** Milliseconds to 0.01. */
const ms = (x: number) => Math.round(x * 100) / 100;

/** Raw header pairs to one lowercase record; repeated headers are joined with ", " as HTTP allows. */
function flattenHeaders(raw: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    const prev = Object.hasOwn(out, name) ? out[name] : undefined;
    const joined = prev === undefined ? value : `${prev}, ${value}`;
    // A hostile `__proto__` header is kept as data, never assigned as the object's prototype. Only that name needs
    // defineProperty: it turns the object into a slow dictionary, so the usual headers are plain assignments.
    if (name === '__proto__') {
      Object.defineProperty(out, name, { value: joined, enumerable: true, configurable: true, writable: true });
    } else out[name] = joined;
  }
  return out;
}

type LookupFunction = typeof dnsLookup;
type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** The code of a connection refused because its host name resolved to a link-local or cloud metadata address. */
export const LINK_LOCAL_REFUSED = 'EHOOKBENCH_LINK_LOCAL';

/**
 * dns.lookup, refusing (unless `allow()`) a name whose addresses include a link-local or cloud metadata one: a name
 * can resolve to 169.254.169.254 whatever the URL says, and the connection must not be made.
 */
export function guardedLookup(allow: () => boolean, lookup: LookupFunction): LookupFunction {
  const guarded = (hostname: string, options: unknown, callback: LookupCallback) => {
    (lookup as (h: string, o: unknown, cb: LookupCallback) => void)(hostname, options, (err, address, family) => {
      if (err || allow()) return callback(err, address, family);
      const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
      const blocked = addresses.find((a) => linkLocalReason(`http://${a.includes(':') ? `[${a}]` : a}/`) !== null);
      if (blocked === undefined) return callback(null, address, family);
      const refused: NodeJS.ErrnoException = new Error(
        `${hostname} resolves to ${blocked}, a link-local or cloud metadata address; allow it with settings.allowLinkLocal`,
      );
      refused.code = LINK_LOCAL_REFUSED;
      callback(refused, address, family);
    });
  };
  return guarded as unknown as LookupFunction;
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  EPIPE: 'connection closed while sending',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout waiting for response headers',
  UND_ERR_BODY_TIMEOUT: 'timeout reading the response body',
  UND_ERR_SOCKET: 'connection closed by the receiver',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'response body shorter than its Content-Length',
};

/** One line saying what went wrong on the wire; never includes request headers (signatures). */
export function describeError(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: unknown };
  const code = e?.code ?? (e?.cause as { code?: string } | undefined)?.code;
  const message = e?.message ?? String(err);
  if (code === LINK_LOCAL_REFUSED) return `refused: ${message}`;
  if (code && REASONS[code]) return `${REASONS[code]} (${code})`;
  if (code?.startsWith('HPE_')) return `invalid HTTP response: ${message} (${code})`;
  if (code && /TLS|CERT|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return `TLS error: ${message} (${code})`;
  return code ? `${message} (${code})` : message;
}
