import { z } from 'zod';
import { Cursor, EventTypeFilter, FreeText, Headers, HttpUrl, Id, IsoDate, Limit, listOf, SearchText } from './common';
import { newEndpointPolicy, SchemeName } from './endpoint';

const scriptFields = {
  status: z.number().int().min(100).max(599),
  headers: Headers,
  body: z.string().max(65_536),
  /** wait this long before answering */
  delayMs: z.number().int().min(0).max(120_000),
  /** answer `failStatus` to the first N requests of each webhook id (webhook-id, X-GitHub-Delivery, ...) */
  failFirst: z.number().int().min(0).max(1000),
  /** answer `failStatus` to this share of requests at random, 0..100 */
  failPercent: z.number().min(0).max(100),
  failStatus: z.number().int().min(100).max(599),
  /** never answer: the sender times out */
  hang: z.boolean(),
  /**
   * answer 401 to a request whose signature does not verify, as a consumer that checks signatures would (only
   * where there is a verdict: an inbox linked to an endpoint, or `listen --secret`)
   */
  rejectUnverified: z.boolean(),
};

/** How an inbox answers. A change takes effect on the next request. */
export const ResponseScript = z.object({
  status: scriptFields.status.default(200),
  headers: scriptFields.headers.default({}),
  body: scriptFields.body.default('{"ok":true}'),
  delayMs: scriptFields.delayMs.default(0),
  failFirst: scriptFields.failFirst.default(0),
  failPercent: scriptFields.failPercent.default(0),
  failStatus: scriptFields.failStatus.default(500),
  hang: scriptFields.hang.default(false),
  rejectUnverified: scriptFields.rejectUnverified.default(false),
});
export type ResponseScript = z.infer<typeof ResponseScript>;

/** A change to a script: only the fields given change (no defaults, unlike `ResponseScript.partial()`). */
export const ResponseScriptPatch = z.strictObject(scriptFields).partial();

export const Inbox = z.object({
  id: Id,
  name: z.string(),
  url: z.string(),
  /** the endpoint whose secret and scheme verify captured requests, or null */
  endpointId: Id.nullable(),
  script: ResponseScript,
  requestCount: z.number().int(),
  createdAt: IsoDate,
  /** live forwarding: every request captured from now on is also sent here (kept in memory, not stored) */
  forwardUrl: HttpUrl.nullable().default(null),
});
export type Inbox = z.infer<typeof Inbox>;

export const InboxCreateInput = z.strictObject({
  name: FreeText(200).default(''),
  endpointId: Id.nullable().default(null),
  script: ResponseScript.strict().default(ResponseScript.parse({})),
  /** also create an endpoint pointed at this inbox and link it (the zero-setup loop) */
  createEndpoint: z
    .strictObject({
      eventTypes: z.array(EventTypeFilter).max(200).default(['*']),
      scheme: SchemeName.default('standard'),
      ...newEndpointPolicy,
    })
    .optional(),
});
export const InboxCreateOutput = Inbox.extend({ endpointId: Id.nullable(), endpointSecret: z.string().nullable() });

export const InboxUpdateInput = z.strictObject({
  id: Id,
  name: FreeText(200).optional(),
  endpointId: Id.nullable().optional(),
  script: ResponseScriptPatch.optional(),
  /** start (a URL) or stop (null) forwarding each new request live */
  forwardUrl: HttpUrl.nullable().optional(),
});

export const Verification = z.object({
  scheme: SchemeName,
  verified: z.boolean(),
  /** why it failed, or null */
  reason: z.string().nullable(),
});

/** What a local server answered to a captured request forwarded to it (`inboxes.forward` or live forwarding). */
export const ForwardResult = z.object({
  url: z.string(),
  /** the HTTP status, or null when no answer came back (see error) */
  status: z.number().int().nullable(),
  headers: z.record(z.string(), z.string()),
  /** the first 64 KiB of the answer */
  body: z.string(),
  truncated: z.boolean(),
  durationMs: z.number(),
  /** connection refused, timeout, ... or null */
  error: z.string().nullable(),
  forwardedAt: IsoDate,
});
export type ForwardResult = z.infer<typeof ForwardResult>;

/** What the inbox answered a request with besides its status: the headers and body its script wrote, after a delay. */
export const InboxAnswer = z.object({
  headers: z.record(z.string(), z.string()),
  body: z.string(),
  delayMs: z.number().int(),
});
export type InboxAnswer = z.infer<typeof InboxAnswer>;

export const InboxRequest = z.object({
  id: Id,
  inboxId: Id,
  method: z.string(),
  path: z.string(),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
  size: z.number().int(),
  remote: z.string(),
  receivedAt: IsoDate,
  responseStatus: z.number().int().nullable(),
  /** the answer's headers and body (null: it hung, or it was captured before answers were kept) */
  response: InboxAnswer.nullable(),
  verification: Verification.nullable(),
  /** the latest forward of this request while the engine runs, if any */
  forward: ForwardResult.nullable().optional(),
});
export type InboxRequest = z.infer<typeof InboxRequest>;

export const InboxRequestListInput = z.strictObject({
  id: Id,
  /** text in the captured body, path or headers (a webhook id, a customer's e-mail), case-insensitive */
  q: SearchText(128).optional(),
  cursor: Cursor.optional(),
  limit: Limit,
});
export const InboxRequestList = listOf(InboxRequest);
