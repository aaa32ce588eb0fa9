// The dispatcher's HTTP client: one keep-alive undici Agent, POST only, redirects never followed,
// a total deadline per request (headers + body), and a response body kept up to 64 KiB.
import { Agent, request } from 'undici';
import type { Clock } from './types';

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
}

/** A failed exchange with a human-readable reason (timeout, connection refused, TLS, invalid HTTP). */
export class TransportError extends Error {}

export interface HttpClientOptions {
  /** idle keep-alive sockets are closed after this long */
  keepAliveTimeoutMs?: number;
  /** TLS: verify certificates (default true) */
  rejectUnauthorized?: boolean;
}

export class HttpClient {
  private readonly agent: Agent;

  constructor(
    private readonly clock: Clock,
    opts: HttpClientOptions = {},
  ) {
    this.agent = new Agent({
      keepAliveTimeout: opts.keepAliveTimeoutMs ?? 4_000,
      keepAliveMaxTimeout: 60_000,
      pipelining: 1,
      connect: { rejectUnauthorized: opts.rejectUnauthorized ?? true },
    });
  }

  /** POSTs body with exactly these headers; rejects with TransportError when no complete response came back. */
  async post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<HttpResponse> {
    const ac = new AbortController();
    let timedOut = false;
    const timer = this.clock.setTimeout(() => {
      timedOut = true;
      ac.abort();
    }, timeoutMs);
    try {
      const res = await request(url, {
        dispatcher: this.agent,
        method: 'POST',
        headers,
        body,
        signal: ac.signal,
        // undici's own timers back up the deadline above (they run on real time even under a test clock)
        headersTimeout: timeoutMs + 1_000,
        bodyTimeout: timeoutMs + 1_000,
      });
      const read = await readCapped(res.body);
      return {
        status: res.statusCode,
        headers: flattenHeaders(res.headers),
        body: read.text,
        truncated: read.truncated,
      };
    } catch (err) {
      if (timedOut) throw new TransportError(`timeout after ${timeoutMs} ms`);
      throw new TransportError(describeError(err));
    } finally {
      this.clock.clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => this.agent.destroy());
  }
}

type Body = AsyncIterable<Buffer> & { destroy(err?: Error): unknown };

async function readCapped(body: Body): Promise<{ text: string; truncated: boolean }> {
  const kept: Buffer[] = [];
  let size = 0;
  let dropped = 0;
  let capReachedAt = 0;
  for await (const chunk of body) {
    const room = MAX_RESPONSE_BODY - size;
    if (room > 0) {
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      kept.push(part);
      size += part.length;
      if (chunk.length > room) dropped += chunk.length - room;
    } else {
      dropped += chunk.length;
    }
    if (dropped > 0) {
      capReachedAt ||= performance.now();
      if (dropped > DISCARD_MAX_BYTES || performance.now() - capReachedAt > DISCARD_MAX_MS) {
        body.destroy();
        break;
      }
    }
  }
  // A multi-byte character cut at the cap decodes to U+FFFD; acceptable for a preview flagged as truncated.
  return { text: Buffer.concat(kept, size).toString('utf8'), truncated: dropped > 0 };
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
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
  if (code && REASONS[code]) return `${REASONS[code]} (${code})`;
  if (code?.startsWith('HPE_')) return `invalid HTTP response: ${message} (${code})`;
  if (code && /TLS|CERT|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return `TLS error: ${message} (${code})`;
  return code ? `${message} (${code})` : message;
}
