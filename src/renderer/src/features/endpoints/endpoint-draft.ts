// The endpoint form's draft (what the inputs hold, as typed) and its conversion to contract inputs.
// Validation is the contract's own schema, so the form can never accept what the engine would reject.
import { defaultSettings, type Endpoint, EventTypeFilter, type RetryPolicy, routes, type SchemeName } from '@shared';
import {
  type FieldNouns,
  fieldMessages,
  inlineIssues,
  type KeyValueRow,
  rowsFromRecord,
  rowsToRecord,
  validateHeaderRows,
} from '../../components';
import { type RetryField, retryFieldNouns, retryFields } from '../settings/retry-fields';

export interface EndpointDraft {
  url: string;
  description: string;
  /** subscription filters; empty means every event type */
  eventTypes: string[];
  scheme: SchemeName;
  headers: KeyValueRow[];
  /** as typed; empty = the default */
  timeoutMs: string;
  /** as typed; empty = unlimited */
  rateLimitPerSec: string;
  /** false: the settings' retry policy; true: `retry` below */
  ownRetry: boolean;
  /** the endpoint's own policy, each field as typed */
  retry: Record<RetryField, string>;
  /** as typed; empty = the settings' threshold, 0 = never */
  autoDisableThreshold: string;
}

/** A policy's fields as the form shows them. */
export function retryDraft(p: RetryPolicy): Record<RetryField, string> {
  return {
    initialDelayMs: String(p.initialDelayMs),
    multiplier: String(p.multiplier),
    maxDelayMs: String(p.maxDelayMs),
    maxAttempts: String(p.maxAttempts),
    jitter: String(p.jitter),
  };
}

export function sameRetry(a: Record<RetryField, string>, b: Record<RetryField, string>): boolean {
  return retryFields.every((f) => a[f] === b[f]);
}

export const emptyDraft: EndpointDraft = {
  url: '',
  description: '',
  eventTypes: [],
  scheme: 'standard',
  headers: [],
  timeoutMs: '15000',
  rateLimitPerSec: '',
  ownRetry: false,
  retry: retryDraft(defaultSettings.retry),
  autoDisableThreshold: '',
};

export function draftFromEndpoint(e: Endpoint): EndpointDraft {
  return {
    url: e.url,
    description: e.description,
    eventTypes: e.eventTypes.length === 1 && e.eventTypes[0] === '*' ? [] : [...e.eventTypes],
    scheme: e.scheme,
    headers: rowsFromRecord(e.headers),
    timeoutMs: String(e.timeoutMs),
    rateLimitPerSec: e.rateLimitPerSec == null ? '' : String(e.rateLimitPerSec),
    ownRetry: e.retry !== null,
    retry: retryDraft(e.retry ?? defaultSettings.retry),
    autoDisableThreshold: e.autoDisableThreshold == null ? '' : String(e.autoDisableThreshold),
  };
}

function toNumber(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  // Number('') is 0 and Number('1e3') is 1000: keep the user's intent, let the schema judge the result
  return Number(t);
}

/** A policy field as typed: empty is not a number (NaN, which the schema refuses; the form says "Enter a number"). */
const policyNumber = (text: string): number => toNumber(text) ?? Number.NaN;

/** The fields both create and update send. */
export function draftToFields(d: EndpointDraft) {
  const rate = toNumber(d.rateLimitPerSec);
  const threshold = toNumber(d.autoDisableThreshold);
  const r = d.retry;
  return {
    url: d.url.trim(),
    description: d.description,
    eventTypes: d.eventTypes.length > 0 ? d.eventTypes : ['*'],
    scheme: d.scheme,
    headers: rowsToRecord(d.headers),
    timeoutMs: toNumber(d.timeoutMs) ?? 15_000,
    rateLimitPerSec: rate === undefined ? null : rate,
    retry: d.ownRetry
      ? {
          initialDelayMs: policyNumber(r.initialDelayMs),
          multiplier: policyNumber(r.multiplier),
          maxDelayMs: policyNumber(r.maxDelayMs),
          maxAttempts: policyNumber(r.maxAttempts),
          jitter: policyNumber(r.jitter),
        }
      : null,
    autoDisableThreshold: threshold === undefined ? null : threshold,
  };
}

/** The form's top-level fields that show an issue next to them (the policy's own fields are `retry.<field>`). */
const TOP_FIELDS = [
  'url',
  'description',
  'eventTypes',
  'scheme',
  'timeoutMs',
  'rateLimitPerSec',
  'headers',
  'autoDisableThreshold',
] as const;
type DraftField = (typeof TOP_FIELDS)[number] | `retry.${RetryField}`;
export type DraftErrors = Partial<Record<DraftField, string>>;

/** The form field an issue's path belongs to: a policy's own field, else the top-level one. */
function fieldOf(path: string): DraftField {
  const [top, sub] = path.split('.');
  return (top === 'retry' && sub ? `retry.${sub}` : top) as DraftField;
}

/** How error messages name the form's fields ("Timeout must be at least 100 ms"). */
const draftNouns: FieldNouns = {
  url: { name: 'URL' },
  description: { name: 'Description' },
  timeoutMs: { name: 'Timeout', unit: 'ms' },
  rateLimitPerSec: { name: 'Rate limit', unit: 'per second' },
  autoDisableThreshold: { name: 'Auto-disable threshold' },
  ...retryFieldNouns,
};

/** Inline errors for a draft: the contract's create schema plus per-row header checks. */
export function validateDraft(d: EndpointDraft): { errors: DraftErrors; headerErrors: Record<number, string> } {
  const parsed = routes['endpoints.create'].input.safeParse(draftToFields(d));
  const byPath = parsed.success ? {} : fieldMessages(parsed.error.issues, draftNouns);
  const errors: DraftErrors = {};
  for (const [path, message] of Object.entries(byPath)) {
    const field = fieldOf(path);
    if (field === 'headers') continue; // shown per row instead
    errors[field] ??= message;
  }
  if (d.url.trim() === '') errors.url = 'URL is required';
  return { errors, headerErrors: validateHeaderRows(d.headers) };
}

export function isDraftValid(v: ReturnType<typeof validateDraft>): boolean {
  return Object.keys(v.errors).length === 0 && Object.keys(v.headerErrors).length === 0;
}

/** Whether a typed filter is acceptable: an exact type, `prefix.*`, `prefix/*` or `*`. */
export function isValidFilter(text: string): boolean {
  return EventTypeFilter.safeParse(text).success;
}

const FORM_FIELDS = new Set<DraftField>([...TOP_FIELDS, ...retryFields.map((f) => `retry.${f}` as const)]);

/**
 * A server error's issues (paths like `url`, `headers.X`) on the form's fields, and the paths whose message those
 * show (the error's banner says the rest).
 */
export function serverErrors(error: unknown): { errors: DraftErrors; shownPaths: string[] } {
  const { byField, shownPaths } = inlineIssues(error, (path) => {
    const field = fieldOf(path);
    return FORM_FIELDS.has(field) ? field : null;
  });
  return { errors: byField, shownPaths };
}

export const schemeLabels: Record<SchemeName, { label: string; short: string; hint: string }> = {
  standard: {
    label: 'Standard Webhooks',
    short: 'Standard',
    hint: 'webhook-id, webhook-timestamp, webhook-signature (v1, HMAC-SHA256)',
  },
  stripe: { label: 'Stripe', short: 'Stripe', hint: 'Stripe-Signature: t=…,v1=… over "<timestamp>.<body>"' },
  github: { label: 'GitHub', short: 'GitHub', hint: 'X-Hub-Signature-256: sha256=… over the body' },
  shopify: { label: 'Shopify', short: 'Shopify', hint: 'X-Shopify-Hmac-Sha256: base64 HMAC over the body' },
};
