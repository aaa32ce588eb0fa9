// One delivery attempt: render the body for the endpoint's scheme, sign it, POST it, and describe exactly what
// went over the wire. Shared by the dispatcher, webhooks.test and the operational notification.
import type { Attempt, SchemeName } from '../../../shared';
import { VERSION } from '../../../shared/version';
import type { DispatchTarget } from '../db/endpoints';
import { iso } from '../db/util';
import { type HttpPoster, TransportError } from '../http/client';
import { renderBody } from '../profiles';
import { getScheme } from '../signing';
import type { Clock } from '../types';
import type { ClaimedDelivery } from './queue';
import { parseRetryAfter } from './retry';

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
  /** why the endpoint's secret cannot be opened (sealed under another key): the attempt fails with it */
  secretsError?: string | null;
  timeoutMs: number;
}

/** The stored event being delivered. */
export interface AttemptEvent {
  id: string;
  type: string;
  version: string;
  /** ISO 8601 */
  createdAt: string;
  /** the event's data; may be left undefined when `dataJson` is given */
  data: unknown;
  /**
   * The data as the engine stored it: JSON.stringify output (canonical, so parsing and re-serialising it gives
   * the same text). When set, the body is rendered from it without a parse (see renderFromJson).
   */
  dataJson?: string;
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
  /**
   * The scheme whose renderBody of the stored event produced the body: the attempt log may then store the
   * request without its body and render it again when read (renderBody is deterministic). Null: store the body.
   */
  renderedAs: SchemeName | null;
}

/** What an endpoint URL puts in the request's headers: its Host, and Basic credentials when it holds user:password@. */
interface UrlHeaders {
  host: string;
  /** `Basic base64(user:password)` (percent-decoded, as curl sends it), or null */
  authorization: string | null;
}

/** Parsed once per URL (there are few). */
const urlHeaders = new Map<string, UrlHeaders>();
function headersOf(url: string): UrlHeaders {
  let h = urlHeaders.get(url);
  if (h === undefined) {
    const u = new URL(url);
    const userinfo =
      u.username || u.password ? `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}` : null;
    h = { host: u.host, authorization: userinfo === null ? null : `Basic ${Buffer.from(userinfo).toString('base64')}` };
    if (urlHeaders.size >= 1000) urlHeaders.clear();
    urlHeaders.set(url, h);
  }
  return h;
}

/**
 * renderBody for canonical data JSON, without parsing it: the Standard Webhooks envelope is assembled around the
 * stored text, byte for byte what renderBody's JSON.stringify produces from the parsed value (JSON.stringify
 * output survives parse + stringify unchanged; test/engine/render-fast.test.ts holds the two together).
 * Other schemes take the general path.
 */
export function renderFromJson(scheme: SchemeName, event: AttemptEvent, dataJson: string): string {
  if (scheme !== 'standard') return renderBody(scheme, { ...event, data: JSON.parse(dataJson) });
  return `{"id":${JSON.stringify(event.id)},"type":${JSON.stringify(event.type)},"version":${JSON.stringify(
    event.version,
  )},"created_at":${JSON.stringify(event.createdAt)},"data":${dataJson}}`;
}

/** The exact request an attempt sends now (also what events.preview shows). */
export function buildRequest(target: AttemptTarget, event: AttemptEvent, nowMs: number): Attempt['request'] {
  if (target.secretsError) throw new Error(target.secretsError);
  const body =
    event.dataJson === undefined
      ? renderBody(target.scheme, event)
      : renderFromJson(target.scheme, event, event.dataJson);
  const fromUrl = headersOf(target.url);
  const headers: Record<string, string> = {
    host: fromUrl.host,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'user-agent': USER_AGENT,
  };
  // user:password@ in the URL is sent as Basic auth (the request goes to the URL's origin, which drops it)
  if (fromUrl.authorization !== null) headers.authorization = fromUrl.authorization;
  // Custom headers may replace the defaults (a receiver wanting another user-agent, another Authorization), never
  // framing or signatures.
  for (const k in target.headers) {
    const name = k.toLowerCase();
    if (name !== 'host' && name !== 'content-length') headers[name] = target.headers[k] as string;
  }
  const signed = getScheme(target.scheme).sign({
    msgId: event.id,
    timestamp: Math.floor(nowMs / 1000),
    body,
    secrets: target.secrets,
    eventType: event.type,
    endpointId: target.endpointId,
  });
  for (const k in signed) headers[k.toLowerCase()] = signed[k] as string;
  return { url: target.url, method: 'POST', headers, body };
}

/**
 * @param stored the event is the stored one (its data as read from the database): the attempt log may then keep
 *   the request without its body (AttemptResult.renderedAs)
 */
export async function performAttempt(
  http: HttpPoster,
  clock: Clock,
  target: AttemptTarget,
  event: AttemptEvent,
  stored = false,
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
      null,
    );
  }
  const renderedAs = stored ? target.scheme : null;
  // The exchange's duration as the client timed it where it ran (see Exchanged); this thread's own measure (the
  // monotonic timer: a test clock standing still must not turn latency into 0) only when the client could not tell.
  const t0 = performance.now();
  try {
    const { response: res, durationMs: exchangeMs } = await http.post(req.url, req.headers, req.body, target.timeoutMs);
    const durationMs = round(exchangeMs);
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
      renderedAs,
    };
  } catch (err) {
    const message = err instanceof TransportError ? err.message : `unexpected error: ${String(err)}`;
    const ms = err instanceof TransportError && err.durationMs !== null ? err.durationMs : performance.now() - t0;
    return failure(startedAt, round(ms), req, message, renderedAs);
  }
}

function failure(
  startedAt: number,
  durationMs: number,
  request: Attempt['request'],
  error: string,
  renderedAs: SchemeName | null,
): AttemptResult {
  return { startedAt, durationMs, request, response: null, error, succeeded: false, retryAfterMs: null, renderedAs };
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** Did the attempt get no answer in time (a hanging endpoint: the scheduler shrinks its concurrency)? */
export function isTimeout(r: Pick<AttemptResult, 'response' | 'error'>): boolean {
  return r.response === null && r.error !== null && /timeout|timed out/i.test(r.error);
}

/** Short reason for logs and auto-disable messages: "HTTP 500" or the transport error. */
export function attemptSummary(r: Pick<AttemptResult, 'response' | 'error'>): string {
  return r.response ? `HTTP ${r.response.status}` : (r.error ?? 'error');
}

/** The attempt's view of an endpoint, built once per cached target (not per delivery). */
const attemptTargets = new WeakMap<DispatchTarget, AttemptTarget>();
export function attemptTarget(t: DispatchTarget): AttemptTarget {
  let a = attemptTargets.get(t);
  if (!a) {
    a = {
      endpointId: t.id,
      url: t.url,
      scheme: t.scheme,
      headers: t.headers,
      secrets: t.secrets,
      secretsError: t.secretsError,
      timeoutMs: t.timeoutMs,
    };
    attemptTargets.set(t, a);
  }
  return a;
}

/** A claimed delivery's event, for performAttempt (stored: the attempt log may keep the request without body). */
export function claimedEvent(d: ClaimedDelivery): AttemptEvent {
  return {
    id: d.event_id,
    type: d.type,
    version: d.version,
    createdAt: iso(d.event_created_at),
    // stored text is our own JSON.stringify output (canonical): it renders without a parse
    data: undefined,
    dataJson: d.data,
  };
}
