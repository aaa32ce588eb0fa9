// Forwarding a captured request to a local server (the `stripe listen --forward-to` loop): the original method,
// headers and body, sent with the undici request API through the inbox service's own Agent. Redirects are not
// followed and the answer is kept up to 64 KiB, as for delivery attempts.
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import type { ForwardResult } from '../../../shared';

/** Answer bytes kept; the rest is dropped (the socket is closed rather than read to the end). */
export const MAX_FORWARD_ANSWER = 64 * 1024;
export const FORWARD_TIMEOUT_MS = 10_000;

/**
 * Hop-by-hop headers and those that describe the original connection: the new request has its own. undici also
 * refuses some of them outright (connection, transfer-encoding, keep-alive, upgrade, expect).
 */
const NOT_FORWARDED = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'content-length',
]);

export interface CapturedForForward {
  method: string;
  headers: Record<string, string>;
  body: Buffer;
}

export function forwardHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (!NOT_FORWARDED.has(k.toLowerCase())) out[k] = v;
  return out;
}

function whyNoAnswer(err: unknown): string {
  const e = err as { code?: string; name?: string; message?: string };
  if (e.name === 'TimeoutError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT') {
    return `no answer within ${FORWARD_TIMEOUT_MS / 1000} s`;
  }
  if (e.code === 'ECONNREFUSED') return 'connection refused: is the local server running?';
  return e.message || String(err);
}

/** Never rejects: a failed exchange is a result with `error` set and `status` null. */
export async function forwardCaptured(
  captured: CapturedForForward,
  url: string,
  dispatcher: Dispatcher,
  nowMs: number,
  timeoutMs = FORWARD_TIMEOUT_MS,
): Promise<ForwardResult> {
  const started = performance.now();
  const method = captured.method.toUpperCase();
  // GET and HEAD cannot carry a body in undici; a body captured with them (rare) is not sent.
  const body = method === 'GET' || method === 'HEAD' || captured.body.length === 0 ? undefined : captured.body;
  const base = { url, forwardedAt: new Date(nowMs).toISOString() };
  try {
    // undici's package index only when something is forwarded: the engine sends with its Agent alone
    // (undici-agent.d.ts), and most sessions never forward
    const { request } = await import('undici');
    const res = await request(url, {
      dispatcher,
      method: method as Dispatcher.HttpMethod,
      headers: forwardHeaders(captured.headers),
      body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const chunks: Buffer[] = [];
    let kept = 0;
    let truncated = false;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      const room = MAX_FORWARD_ANSWER - kept;
      if (chunk.length > room) {
        chunks.push(chunk.subarray(0, room));
        truncated = true;
        res.body.destroy();
        break;
      }
      chunks.push(chunk);
      kept += chunk.length;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) {
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    return {
      ...base,
      status: res.statusCode,
      headers,
      body: Buffer.concat(chunks).toString('utf8'),
      truncated,
      durationMs: Math.round(performance.now() - started),
      error: null,
    };
  } catch (err) {
    return {
      ...base,
      status: null,
      headers: {},
      body: '',
      truncated: false,
      durationMs: Math.round(performance.now() - started),
      error: whyNoAnswer(err),
    };
  }
}
