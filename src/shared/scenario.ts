// A webhook scenario (`hookbench run FILE`): endpoints to set up, then steps in order — fire events, change an
// endpoint, wait, and expect what the deliveries, the endpoint and the inbox show. Written in YAML or JSON; this
// schema is the one place that says what is valid (the CLI maps its issues to file lines; editors get its JSON
// Schema from `hookbench run --schema`).
import { z } from 'zod';
import { EventTypeFilter, EventTypeName, Headers, HttpUrl, JsonValue } from './schemas/common';
import { EndpointSecret, SchemeName } from './schemas/endpoint';
import { DeliveryStatus } from './schemas/event';
import { ResponseScriptPatch } from './schemas/inbox';
import { AutoDisableThreshold, RetryPolicy, SettingsPatch } from './schemas/settings';

/** `250ms`, `15s`, `2m`, or a number of milliseconds; at most 10 minutes. */
export const Duration = z
  .union([z.number().int().min(0), z.string().regex(/^\d+(\.\d+)?\s*(ms|s|m)$/, 'a duration like 500ms, 15s or 2m')])
  .transform((v) => {
    if (typeof v === 'number') return v;
    const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)$/.exec(v) as RegExpExecArray;
    const n = Number(m[1]);
    return Math.round(m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000);
  })
  .pipe(z.number().max(600_000, 'at most 10 minutes'));

/** A name the steps use for an endpoint or an event. */
const LocalName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only');

const endpointCommon = {
  /** subscription filters, default every type */
  eventTypes: z.array(EventTypeFilter).min(1).max(200).optional(),
  scheme: SchemeName.optional(),
  /** this endpoint's own retry policy (a whole one), instead of the settings' */
  retry: RetryPolicy.optional(),
  /** consecutive failed attempts that auto-disable this endpoint (0 = never), instead of the settings' */
  autoDisableThreshold: AutoDisableThreshold.optional(),
};

/** An endpoint pointed at a built-in inbox that answers with this response script. */
const InboxEndpoint = z
  .object({ inbox: ResponseScriptPatch, ...endpointCommon })
  .strict()
  .describe('A built-in inbox with this response script, and an endpoint pointed at it');

/** An endpoint pointed at your own service. */
const UrlEndpoint = z
  .object({
    url: HttpUrl,
    secret: EndpointSecret.optional(),
    headers: Headers.optional(),
    timeoutMs: z.number().int().min(100).max(120_000).optional(),
    ...endpointCommon,
  })
  .strict()
  .describe('An endpoint pointed at your own service');

export const ScenarioEndpoint = z.union([InboxEndpoint, UrlEndpoint]);
export type ScenarioEndpoint = z.infer<typeof ScenarioEndpoint>;

const FireStep = z
  .object({
    /** the event type; with a profile, the fixture of that type */
    type: EventTypeName.optional(),
    /** the envelope's data; default: the profile fixture's, else the catalog example of the type, else {} */
    data: JsonValue.optional(),
    /**
     * false: send data that breaks its type's schema on purpose (default: true, a violation fails the step; false
     * with a profile, whose fixtures have the provider's shape)
     */
    validate: z.boolean().optional(),
    /** take type and data from a provider fixture */
    profile: z.enum(['generic', 'stripe', 'github', 'shopify']).optional(),
    /** the fixture's event type, when it differs from `type` */
    fixture: EventTypeName.optional(),
    version: z.string().min(1).max(32).optional(),
    /** only these endpoints (by name); default every endpoint of the scenario */
    endpoints: z.array(LocalName).min(1).optional(),
    /** a name for this event, for `expect.event` */
    as: LocalName.optional(),
  })
  .strict()
  .refine((f) => f.type !== undefined || f.fixture !== undefined, {
    message: 'give type (or profile and fixture)',
    path: ['type'],
  })
  .refine((f) => f.fixture === undefined || f.profile !== undefined, {
    message: 'fixture needs a profile',
    path: ['profile'],
  });

const ExpectStep = z
  .object({
    /** a name for the test case; default: made from the conditions */
    name: z.string().min(1).max(200).optional(),
    endpoint: LocalName,
    /** the last event fired of this type (default: the last event fired) */
    type: EventTypeName.optional(),
    /** the event fired with this `as` name */
    event: LocalName.optional(),
    /** false: the event made no delivery to this endpoint (its filter did not match) */
    delivered: z.boolean().optional(),
    status: DeliveryStatus.optional(),
    /** the delivery's attempts so far */
    attempts: z.number().int().min(0).max(100).optional(),
    /** of the last attempt */
    response: z
      .object({ status: z.number().int().min(100).max(599).optional(), bodyContains: z.string().optional() })
      .strict()
      .optional(),
    /** the inbox verified the signature of the last request it captured for this delivery */
    verified: z.boolean().optional(),
    /** the endpoint is enabled (false: auto-disabled or disabled) */
    enabled: z.boolean().optional(),
    /** how long to wait for all of it to hold (default 10s) */
    within: Duration.default(10_000),
  })
  .strict();

/**
 * Send an event's delivery to an endpoint again, exactly as it was sent (the same webhook id and body, as the
 * inspector's Retry now does): a consumer must take a duplicate in its stride. Waits up to `within` for the delivery
 * to settle (succeeded, failed or cancelled) first; an `expect` after it sees one attempt more.
 */
const ResendStep = z
  .object({
    endpoint: LocalName,
    /** the last event fired of this type (default: the last event fired) */
    type: EventTypeName.optional(),
    /** the event fired with this `as` name */
    event: LocalName.optional(),
    within: Duration.default(10_000),
  })
  .strict();

/** Change an endpoint mid-scenario: enable or disable it, or change its inbox's response script. */
const SetStep = z
  .object({ endpoint: LocalName, enabled: z.boolean().optional(), inbox: ResponseScriptPatch.optional() })
  .strict();

export const ScenarioStep = z.union([
  z.object({ fire: FireStep }).strict(),
  z.object({ expect: ExpectStep }).strict(),
  z.object({ set: SetStep }).strict(),
  z.object({ resend: ResendStep }).strict(),
  z.object({ wait: Duration }).strict(),
]);
export type ScenarioStep = z.infer<typeof ScenarioStep>;
export type FireStep = z.infer<typeof FireStep>;
export type ExpectStep = z.infer<typeof ExpectStep>;
export type SetStep = z.infer<typeof SetStep>;
export type ResendStep = z.infer<typeof ResendStep>;

export const Scenario = z
  .object({
    /** the test suite's name in reports */
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    /** retry and autoDisable: its endpoints' own (over the target's policy); the rest applied for this run, then restored */
    settings: SettingsPatch.optional(),
    endpoints: z.record(LocalName, ScenarioEndpoint).default({}),
    steps: z.array(ScenarioStep).min(1).max(500),
  })
  .strict()
  .superRefine((s, ctx) => {
    // Names must point at something declared, so a typo is an invalid file (exit 2), not a failed run.
    const names = new Set(Object.keys(s.endpoints));
    const events = new Set<string>();
    const types = new Set<string>();
    s.steps.forEach((step, i) => {
      const refs: [string, (string | number)[]][] = [];
      if ('fire' in step) {
        step.fire.endpoints?.forEach((n, j) => {
          refs.push([n, ['steps', i, 'fire', 'endpoints', j]]);
        });
        if (step.fire.as) events.add(step.fire.as);
        types.add((step.fire.type ?? step.fire.fixture) as string);
      }
      // expect and resend name an event fired before them: by type or by its `as` name
      const about =
        'expect' in step
          ? (['expect', step.expect] as const)
          : 'resend' in step
            ? (['resend', step.resend] as const)
            : null;
      if (about) {
        const [kind, e] = about;
        refs.push([e.endpoint, ['steps', i, kind, 'endpoint']]);
        if (e.type && !types.has(e.type))
          ctx.addIssue({
            code: 'custom',
            message: `no earlier fire step fires ${e.type}`,
            path: ['steps', i, kind, 'type'],
          });
        if (e.event && !events.has(e.event))
          ctx.addIssue({
            code: 'custom',
            message: `no earlier fire step has as: ${e.event}`,
            path: ['steps', i, kind, 'event'],
          });
      }
      if ('expect' in step) {
        const target = s.endpoints[step.expect.endpoint];
        if (step.expect.verified !== undefined && target && !('inbox' in target))
          ctx.addIssue({
            code: 'custom',
            message: 'verified needs an inbox endpoint (the inbox checks the signature)',
            path: ['steps', i, 'expect', 'verified'],
          });
      }
      if ('set' in step) {
        refs.push([step.set.endpoint, ['steps', i, 'set', 'endpoint']]);
        const target = s.endpoints[step.set.endpoint];
        if (step.set.inbox && target && !('inbox' in target))
          ctx.addIssue({
            code: 'custom',
            message: 'inbox can only change an inbox endpoint',
            path: ['steps', i, 'set', 'inbox'],
          });
      }
      for (const [name, path] of refs)
        if (!names.has(name)) ctx.addIssue({ code: 'custom', message: `no endpoint named ${name} in endpoints`, path });
    });
  });
export type Scenario = z.infer<typeof Scenario>;

/** The JSON Schema editors use for scenario files (what `hookbench run --schema` prints). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(Scenario, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
