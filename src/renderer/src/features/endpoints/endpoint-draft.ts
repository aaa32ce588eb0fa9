// The endpoint form's draft (what the inputs hold, as typed) and its conversion to contract inputs.
// Validation is the contract's own schema, so the form can never accept what the engine would reject.
import { type Endpoint, EventTypeFilter, routes, type SchemeName } from '@shared';
import { issuesByPath, type KeyValueRow, rowsFromRecord, rowsToRecord, validateHeaderRows } from '../../components';

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
}

export const emptyDraft: EndpointDraft = {
  url: '',
  description: '',
  eventTypes: [],
  scheme: 'standard',
  headers: [],
  timeoutMs: '15000',
  rateLimitPerSec: '',
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
  };
}

function toNumber(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  // Number('') is 0 and Number('1e3') is 1000: keep the user's intent, let the schema judge the result
  return Number(t);
}

/** The fields both create and update send. */
export function draftToFields(d: EndpointDraft) {
  const rate = toNumber(d.rateLimitPerSec);
  return {
    url: d.url.trim(),
    description: d.description,
    eventTypes: d.eventTypes.length > 0 ? d.eventTypes : ['*'],
    scheme: d.scheme,
    headers: rowsToRecord(d.headers),
    timeoutMs: toNumber(d.timeoutMs) ?? 15_000,
    rateLimitPerSec: rate === undefined ? null : rate,
  };
}

export type DraftErrors = Partial<
  Record<'url' | 'description' | 'eventTypes' | 'scheme' | 'timeoutMs' | 'rateLimitPerSec' | 'headers', string>
>;

/** Inline errors for a draft: the contract's create schema plus per-row header checks. */
export function validateDraft(d: EndpointDraft): { errors: DraftErrors; headerErrors: Record<number, string> } {
  const parsed = routes['endpoints.create'].input.safeParse(draftToFields(d));
  const byPath = parsed.success ? {} : issuesByPath(parsed.error.issues);
  const errors: DraftErrors = {};
  for (const [path, message] of Object.entries(byPath)) {
    const top = path.split('.')[0] as keyof DraftErrors;
    if (top === 'headers') continue; // shown per row instead
    errors[top] ??= message;
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

/** Server issues (paths like `url`, `headers.X`) mapped onto the form's fields. */
export function serverErrors(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): DraftErrors {
  const out: DraftErrors = {};
  for (const [path, message] of Object.entries(issuesByPath(issues))) {
    const top = path.split('.')[0] as keyof DraftErrors;
    if (['url', 'description', 'eventTypes', 'scheme', 'timeoutMs', 'rateLimitPerSec', 'headers'].includes(top)) {
      out[top] ??= message;
    }
  }
  return out;
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
