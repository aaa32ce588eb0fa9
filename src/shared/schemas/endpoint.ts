import { z } from 'zod';
import { EventTypeFilter, FreeText, Headers, HttpUrl, Id, IsoDate, IsoDateInput } from './common';
import { customHeaderIssues } from './header-rules';
import { AutoDisableThreshold, RetryPolicy } from './settings';

export const SchemeName = z.enum(['standard', 'stripe', 'github', 'shopify']);
export type SchemeName = z.infer<typeof SchemeName>;

/** `whsec_` + base64 of 24..64 bytes (Standard Webhooks); other schemes accept any 8..256 printable chars. */
export const EndpointSecret = z
  .string()
  .min(8)
  .max(256)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

export const EndpointStats = z.object({
  /** attempts considered (the most recent, at most 100) */
  recentAttempts: z.number().int(),
  /** 0..1 over recentAttempts, null when there are none */
  successRate: z.number().nullable(),
  p50Ms: z.number().nullable(),
  consecutiveFailures: z.number().int(),
  pausedDeliveries: z.number().int(),
  pendingDeliveries: z.number().int(),
});
export type EndpointStats = z.infer<typeof EndpointStats>;

export const Endpoint = z.object({
  id: Id,
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.string()),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  /** who disabled it: a person (manual) or the engine after consecutive failures (auto); null when enabled */
  disabledBy: z.enum(['manual', 'auto']).nullable(),
  scheme: SchemeName,
  headers: z.record(z.string(), z.string()),
  timeoutMs: z.number().int(),
  /** deliveries per second at most; null = unlimited */
  rateLimitPerSec: z.number().nullable(),
  /** this endpoint's retry policy; null: the settings' (settings.retry) */
  retry: RetryPolicy.nullable(),
  /** consecutive failed attempts that auto-disable it (0 = never); null: the settings' (settings.autoDisable) */
  autoDisableThreshold: z.number().int().nullable(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
  stats: EndpointStats,
});
export type Endpoint = z.infer<typeof Endpoint>;

export const EndpointWithSecret = Endpoint.extend({ secret: z.string() });
export type EndpointWithSecret = z.infer<typeof EndpointWithSecret>;

const endpointFields = {
  url: HttpUrl,
  description: FreeText(1000),
  eventTypes: z.array(EventTypeFilter).max(200),
  scheme: SchemeName,
  headers: Headers,
  timeoutMs: z.number().int().min(100).max(120_000),
  rateLimitPerSec: z.number().positive().max(10_000).nullable(),
  /** a whole policy (not a patch of the settings'), or null to follow the settings */
  retry: RetryPolicy.nullable(),
  autoDisableThreshold: AutoDisableThreshold.nullable(),
};

/**
 * A new endpoint's own retry policy and auto-disable threshold (omitted: null, the settings'): endpoints.create's, and
 * inboxes.create's createEndpoint's.
 */
export const newEndpointPolicy = {
  retry: endpointFields.retry.default(null),
  autoDisableThreshold: endpointFields.autoDisableThreshold.default(null),
};

export const EndpointCreateInput = z
  .strictObject({
    url: endpointFields.url,
    description: endpointFields.description.default(''),
    /** empty or omitted = every event type (`*`) */
    eventTypes: endpointFields.eventTypes.default(['*']),
    scheme: endpointFields.scheme.default('standard'),
    headers: endpointFields.headers.default({}),
    timeoutMs: endpointFields.timeoutMs.default(15_000),
    rateLimitPerSec: endpointFields.rateLimitPerSec.default(null),
    ...newEndpointPolicy,
    /** supply your own secret; generated when omitted */
    secret: EndpointSecret.optional(),
    enabled: z.boolean().default(true),
  })
  .superRefine((v, ctx) => {
    for (const issue of customHeaderIssues(v.headers, v.scheme)) ctx.addIssue({ code: 'custom', ...issue });
  });
export type EndpointCreateInput = z.input<typeof EndpointCreateInput>;

export const EndpointUpdateInput = z
  .strictObject({
    id: Id,
    url: endpointFields.url.optional(),
    description: endpointFields.description.optional(),
    eventTypes: endpointFields.eventTypes.optional(),
    scheme: endpointFields.scheme.optional(),
    headers: endpointFields.headers.optional(),
    timeoutMs: endpointFields.timeoutMs.optional(),
    rateLimitPerSec: endpointFields.rateLimitPerSec.optional(),
    retry: endpointFields.retry.optional(),
    autoDisableThreshold: endpointFields.autoDisableThreshold.optional(),
  })
  .superRefine((v, ctx) => {
    // the scheme's own headers are checked against the stored scheme by the handler when the patch has no scheme
    for (const issue of customHeaderIssues(v.headers, v.scheme)) ctx.addIssue({ code: 'custom', ...issue });
  });
export type EndpointUpdateInput = z.input<typeof EndpointUpdateInput>;

export const EndpointListInput = z.strictObject({
  enabled: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')], {
      error: 'expected true or false',
    })
    .optional(),
});

export const EndpointDisableInput = z.strictObject({ id: Id, reason: FreeText(500).optional() });

/**
 * Schemes whose signature header carries one signature (GitHub's X-Hub-Signature-256, Shopify's
 * X-Shopify-Hmac-Sha256): a rotated-out secret cannot keep signing beside the new one, so they rotate with no grace.
 * test/engine/signing keeps this in step with the signers.
 */
export const ONE_SIGNATURE_SCHEMES: readonly SchemeName[] = ['github', 'shopify'];
/** The grace a rotation gives the previous secret when none is asked for: 24 h, as Svix (none where it cannot sign). */
export const defaultRotationGrace = (scheme: SchemeName): number =>
  ONE_SIGNATURE_SCHEMES.includes(scheme) ? 0 : 24 * 3600;

export const RotateSecretInput = z.strictObject({
  id: Id,
  /**
   * how long the previous secret keeps signing; 0 = revoke it now. Default 24 h (0 for github and shopify, whose
   * one signature header cannot carry both: more than 0 is refused for them).
   */
  graceSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600)
    .optional(),
  /** supply the new secret; generated when omitted */
  secret: EndpointSecret.optional(),
});

/** The most events one `endpoints.replayMissing` call replays; the rest stay missing for the next call. */
export const REPLAY_LIMIT = 10_000;

/** A replay's range runs forward: `until` after `since` (the API's rule, which the CLI checks before it asks). */
export const rangeRunsForward = (since: string, until: string): boolean => Date.parse(until) > Date.parse(since);

/**
 * `POST /endpoints/{id}/replay-missing` (Svix's "replay missing"): the events fired in [since, until) that the endpoint
 * subscribes to and has no delivery of (fired before it existed, while it was disabled by hand, or to other chosen
 * endpoints), each given a new delivery, oldest first. Calling it again replays only what is still missing.
 */
export const ReplayMissingInput = z
  .strictObject({
    id: Id,
    since: IsoDateInput,
    /** default: now */
    until: IsoDateInput.optional(),
    /** count them, write nothing */
    dryRun: z.boolean().default(false),
  })
  .refine((r) => r.until === undefined || rangeRunsForward(r.since, r.until), {
    path: ['until'],
    message: 'until must be after since',
  });

export const ReplayMissingOutput = z.object({
  /** the events given a delivery (dryRun: that would be), at most REPLAY_LIMIT */
  events: z.number().int(),
  /** more than REPLAY_LIMIT were missing: call again for the rest */
  truncated: z.boolean(),
  dryRun: z.boolean(),
});
export type ReplayMissingOutput = z.infer<typeof ReplayMissingOutput>;

export const EndpointSecretInfo = z.object({
  secret: z.string(),
  /** older secrets that still sign until they expire (rotation grace period) */
  previous: z.array(z.object({ secret: z.string(), expiresAt: IsoDate })),
});
