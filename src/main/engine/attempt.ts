// One delivery attempt: render the body for the endpoint's scheme, sign it, POST it, and describe exactly what
// went over the wire. Shared by the dispatcher, webhooks.test and the operational notification.
import type { Attempt, SchemeName } from '../../shared';
import { VERSION } from '../cli/version';
import { type HttpClient, TransportError } from './http-client';
import { renderBody } from './profiles';
import { getScheme } from './signing';
import type { Clock } from './types';

export const USER_AGENT = `Hookbench/${VERSION}`;

/** Where and how to send. */
export interface AttemptTarget {
  /** the endpoint id, or a placeholder for a bare-URL test */
  endpointId: string;
  url: string;
  scheme: SchemeName;
  /** the endpoint's custom headers */
  headers: Record<string, string>;
  /** secrets that sign now, current first */
  secrets: string[];
  timeoutMs: number;
}

/** The stored event being delivered. */
export interface AttemptEvent {
  id: string;
  type: string;
  version: string;
  /** ISO 8601 */
  createdAt: string;
  data: unknown;
}

export interface AttemptResult {
  /** unix ms */
  startedAt: number;
  durationMs: number;
  request: Attempt['request'];
  response: Attempt['response'];
  error: string | null;
  succeeded: boolean;
  /** a 429/503's Retry-After, in ms from now; null when absent or not applicable */
  retryAfterMs: number | null;
}

/** The exact request an attempt sends now (also what events.preview shows). */
export function buildRequest(target: AttemptTarget, event: AttemptEvent, nowMs: number): Attempt['request'] {
  const body = renderBody(target.scheme, event);
  const url = new URL(target.url);
  const headers: Record<string, string> = {
    host: url.host,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'user-agent': USER_AGENT,
  };
  // Custom headers may replace the defaults (a receiver wanting another user-agent), never framing or signatures.
  for (const [k, v] of Object.entries(target.headers)) {
    const name = k.toLowerCase();
    if (name !== 'host' && name !== 'content-length') headers[name] = v;
  }
  const signed = getScheme(target.scheme).sign({
    msgId: event.id,
    timestamp: Math.floor(nowMs / 1000),
    body,
    secrets: target.secrets,
    eventType: event.type,
    endpointId: target.endpointId,
  });
  for (const [k, v] of Object.entries(signed)) headers[k.toLowerCase()] = v;
  return { url: target.url, method: 'POST', headers, body };
}

export async function performAttempt(
  http: HttpClient,
  clock: Clock,
  target: AttemptTarget,
  event: AttemptEvent,
): Promise<AttemptResult> {
  const startedAt = clock.now();
  let req: Attempt['request'];
  try {
    req = buildRequest(target, event, startedAt);
  } catch (err) {
    // A secret that cannot sign (or a URL that cannot parse) fails the attempt visibly instead of wedging the queue.
    const message = err instanceof Error ? err.message : String(err);
    return failure(
      startedAt,
      0,
      { url: target.url, method: 'POST', headers: {}, body: '' },
      `cannot build request: ${message}`,
    );
  }
  // Durations come from the monotonic timer: a test clock standing still must not turn latency into 0.
  const t0 = performance.now();
  try {
    const res = await http.post(req.url, req.headers, req.body, target.timeoutMs);
    const durationMs = round(performance.now() - t0);
    const succeeded = res.status >= 200 && res.status < 300;
    return {
      startedAt,
      durationMs,
      request: req,
      response: res,
      error: succeeded
        ? null
        : `HTTP ${res.status}${res.status >= 300 && res.status < 400 ? ' (redirects are not followed)' : ''}`,
      succeeded,
      retryAfterMs:
        res.status === 429 || res.status === 503 ? parseRetryAfter(res.headers['retry-after'], clock.now()) : null,
    };
  } catch (err) {
    const message = err instanceof TransportError ? err.message : `unexpected error: ${String(err)}`;
    return failure(startedAt, round(performance.now() - t0), req, message);
  }
}

function failure(startedAt: number, durationMs: number, request: Attempt['request'], error: string): AttemptResult {
  return { startedAt, durationMs, request, response: null, error, succeeded: false, retryAfterMs: null };
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** Retry-After as delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** Short reason for logs and auto-disable messages: "HTTP 500" or the transport error. */
export function attemptSummary(r: Pick<AttemptResult, 'response' | 'error'>): string {
  return r.response ? `HTTP ${r.response.status}` : (r.error ?? 'error');
}
