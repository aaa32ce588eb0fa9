import { z } from 'zod';
import {
  Cursor,
  EventTypeName,
  EventVersion,
  Headers,
  HttpUrl,
  Id,
  IsoDate,
  IsoDateInput,
  JsonValue,
  Limit,
  listOf,
  QueryList,
  SearchText,
} from './common';
import { EndpointSecret, SchemeName } from './endpoint';
import { DeliveryStatus, Envelope, PausedReason } from './event';
import { customHeaderIssues } from './header-rules';

export const Delivery = z.object({
  id: Id,
  eventId: Id,
  endpointId: Id,
  eventType: z.string(),
  status: DeliveryStatus,
  /** why a paused delivery waits; null unless paused */
  pausedReason: PausedReason.nullable(),
  attemptCount: z.number().int(),
  /**
   * the attempts it may take in all: its endpoint's retry policy's maxAttempts (else the settings') when it was
   * created; a retry by hand of a finished delivery allows one more
   */
  maxAttempts: z.number().int(),
  /** when the next attempt is due (pending), null otherwise */
  nextAttemptAt: IsoDate.nullable(),
  /** HTTP status of the last attempt, null when it got no response */
  lastStatus: z.number().int().nullable(),
  lastDurationMs: z.number().nullable(),
  lastError: z.string().nullable(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type Delivery = z.infer<typeof Delivery>;

export const AttemptRequest = z.object({
  url: z.string(),
  method: z.string(),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
});
/**
 * Where an exchange's time went, in ms (they add up to the attempt's duration): `connectMs` getting a connection (a
 * new one's TCP connect and TLS handshake, or a wait for a free one; ~0 on a kept-alive connection), `waitMs` from
 * sending the request to the response's first byte, `downloadMs` reading the response body.
 */
export const AttemptTiming = z.object({
  connectMs: z.number(),
  waitMs: z.number(),
  downloadMs: z.number(),
});
export type AttemptTiming = z.infer<typeof AttemptTiming>;

export const AttemptResponse = z.object({
  status: z.number().int(),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
  /** the body was longer than the 64 KiB kept */
  truncated: z.boolean(),
  /** absent on attempts recorded before timings were kept */
  timing: AttemptTiming.optional(),
});

/** A delivery's request rendered and signed again now (`deliveries.signNow`): what "Copy as curl (signed now)" copies. */
export const SignedRequest = AttemptRequest.extend({ signedAt: IsoDate });
export type SignedRequest = z.infer<typeof SignedRequest>;

export const Attempt = z.object({
  number: z.number().int(),
  startedAt: IsoDate,
  durationMs: z.number(),
  request: AttemptRequest,
  response: AttemptResponse.nullable(),
  error: z.string().nullable(),
  succeeded: z.boolean(),
  /**
   * a late result: its lease had been lost (the delivery was claimed again or settled), so it changed nothing;
   * kept because the request did go out
   */
  superseded: z.boolean(),
});
export type Attempt = z.infer<typeof Attempt>;

export const DeliveryDetail = Delivery.extend({
  attempts: z.array(Attempt),
  /** the event as stored (envelope) */
  payload: Envelope,
});
export type DeliveryDetail = z.infer<typeof DeliveryDetail>;

/** One status or several (repeated or comma-separated); a wrong one is named with the values allowed. */
const statusFilter = QueryList(
  z.union([DeliveryStatus, z.array(DeliveryStatus).max(6)], {
    error: `expected one of ${DeliveryStatus.options.map((s) => `"${s}"`).join('|')}, or several of them`,
  }),
);

/** The class of the last attempt's HTTP status. */
export const HttpStatusClass = z.enum(['2xx', '3xx', '4xx', '5xx']);
export type HttpStatusClass = z.infer<typeof HttpStatusClass>;

/** Why the last attempt got no HTTP answer at all (transport errors; an HTTP 500 is a status class). */
export const DeliveryErrorKind = z.enum(['timeout', 'refused', 'tls', 'invalid_response']);
export type DeliveryErrorKind = z.infer<typeof DeliveryErrorKind>;

export const DeliveryFilter = z.strictObject({
  endpointId: Id.optional(),
  eventId: Id.optional(),
  status: statusFilter.optional(),
  type: SearchText(128).optional(),
  /** ISO time bounds on createdAt */
  since: IsoDateInput.optional(),
  until: IsoDateInput.optional(),
  /**
   * Search: a delivery id or an event id (prefix), the words of the event's data (full-text, the last word as a
   * prefix), or text in the response body of the delivery's last attempt.
   */
  q: SearchText(128).optional(),
  /** the last attempt's HTTP status class */
  statusClass: HttpStatusClass.optional(),
  /** the last attempt failed without an HTTP answer, for this reason */
  errorKind: DeliveryErrorKind.optional(),
});
export type DeliveryFilter = z.infer<typeof DeliveryFilter>;

export const DeliveryListInput = DeliveryFilter.extend({ cursor: Cursor.optional(), limit: Limit });
export const DeliveryList = listOf(Delivery);
/** How many deliveries match a filter (a COUNT, not the rows loaded). */
export const DeliveryCount = z.object({ count: z.number().int() });

/** `dryRun`: count what would be retried (failed, matching, of an endpoint not deleted), change nothing. */
export const RetryMatchingInput = DeliveryFilter.omit({ status: true }).extend({ dryRun: z.boolean().default(false) });
export const RetryMatchingOutput = z.object({ retried: z.number().int(), dryRun: z.boolean() });

/** How a bare-URL test is sent unless the input says otherwise. */
export const WEBHOOK_TEST_DEFAULTS = { scheme: 'standard', timeoutMs: 15_000 } as const;
/** What only a bare-URL test takes: a stored endpoint is sent with its own. */
const BARE_URL_ONLY = ['secret', 'scheme', 'headers', 'timeoutMs'] as const;

/**
 * `POST /webhooks/test`: one attempt now, to an endpoint by id (with its own secret, scheme, headers and timeout) or
 * to a bare URL (with those given here, else a generated secret, `standard`, none and 15 s).
 */
export const WebhookTestInput = z
  .strictObject({
    endpointId: Id.optional(),
    url: HttpUrl.optional(),
    secret: EndpointSecret.optional(),
    scheme: SchemeName.optional(),
    headers: Headers.optional(),
    type: EventTypeName.default('hookbench.test'),
    version: EventVersion.default('v1'),
    data: JsonValue.default({ message: 'Hello from Hookbench' }),
    timeoutMs: z.number().int().min(100).max(120_000).optional(),
  })
  .refine((v) => (v.endpointId ? !v.url : !!v.url), {
    message: 'give either endpointId or url',
    path: ['endpointId'],
  })
  .superRefine((v, ctx) => {
    if (v.endpointId) {
      // silently sending with the endpoint's own instead would test something else than asked
      for (const key of BARE_URL_ONLY.filter((k) => v[k] !== undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `${key} is for a test to a bare url; a test to endpointId uses the endpoint's own secret, scheme, headers and timeout`,
        });
      }
      return;
    }
    for (const issue of customHeaderIssues(v.headers ?? {}, v.scheme ?? WEBHOOK_TEST_DEFAULTS.scheme)) {
      ctx.addIssue({ code: 'custom', ...issue });
    }
  });

export const WebhookTestOutput = z.object({
  /** set when the test went to a stored endpoint (it is then in the delivery log) */
  deliveryId: Id.nullable(),
  eventId: Id,
  attempt: Attempt,
  /** a bare-URL test without a `secret`: the one generated to sign it, so the receiver can verify */
  secret: z.string().optional(),
});
export type WebhookTestOutput = z.infer<typeof WebhookTestOutput>;
