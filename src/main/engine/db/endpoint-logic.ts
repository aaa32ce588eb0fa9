// The store-independent part of endpoint storage, used by SQLite's EndpointStore and PostgreSQL's PgEndpointStore
// alike: which secrets fit a scheme, a new endpoint's row, opening sealed secrets, the dispatcher's target built from
// a row, the columns an update writes, per-endpoint stats from recent attempts and the fan-out's subscription match.
// Keeping them here is what makes the two stores answer the same (test/engine/endpoint-conformance.test.ts).
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  defaultRotationGrace,
  type EndpointCreateInput,
  type EndpointStats,
  type EndpointUpdateInput,
  firedEventReach,
  HookbenchError,
  ONE_SIGNATURE_SCHEMES,
  type RetryPolicy,
  type SchemeName,
  subscribes,
} from '../../../shared';
import { getScheme } from '../signing';
import { standardKey } from '../signing/standard';
import type { SecretBox } from '../types';
import { type EndpointRow, median, rowRetryPolicy } from './endpoint-rows';
import { iso } from './util';

/** What the dispatcher needs for one attempt, cached per endpoint. */
export interface DispatchTarget {
  id: string;
  url: string;
  scheme: SchemeName;
  headers: Record<string, string>;
  timeoutMs: number;
  rateLimitPerSec: number | null;
  /** the endpoint's own retry policy; null: the settings' */
  retry: RetryPolicy | null;
  enabled: boolean;
  deleted: boolean;
  /** who disabled it, while disabled */
  disabledBy: 'manual' | 'auto' | null;
  /** the operational notification endpoint (never auto-disabled) */
  system: boolean;
  /** decrypted signing secrets, current first (those this key cannot open are left out) */
  secrets: string[];
  /** the current secret cannot be opened (sealed under another key): why, for the attempt's error; else null */
  secretsError: string | null;
  /** the cache entry is stale after this (the earliest grace-period expiry) */
  validUntil: number;
}

/** An endpoint a fired event goes to: now, or paused until it is enabled again (auto-disabled). */
export interface MatchedEndpoint {
  id: string;
  /** auto-disabled: the delivery is stored paused and goes out on re-enable */
  paused: boolean;
  /** the endpoint's own retry policy's attempts; absent: the settings' */
  maxAttempts?: number;
}

/** One stored secret; expires_at null = the current one. Stores return them current first, then newest first. */
export type SecretRow = { sealed: string; expires_at: number | null };

/** An endpoint that fired events may go to, with its filters. */
export interface ActiveEndpoint {
  id: string;
  filters: string[];
  paused: boolean;
  /** its own retry policy's attempts; undefined: the settings' */
  maxAttempts: number | undefined;
}

export function secretFits(scheme: SchemeName, secret: string): boolean {
  try {
    getScheme(scheme).sign({
      msgId: 'probe',
      timestamp: 0,
      body: '',
      secrets: [secret],
      eventType: 'probe',
      endpointId: 'probe',
    });
    return true;
  } catch {
    return false;
  }
}

/** A Standard Webhooks key's size in bytes, as the specification has it (Hookbench generates 32). */
export const STANDARD_KEY_BYTES = { min: 24, max: 64 } as const;

/** A secret given for an endpoint (create, rotate, a bare-URL test) that its scheme can sign with, or a 400. */
export function assertSecretFits(scheme: SchemeName, secret: string): void {
  if (!secretFits(scheme, secret)) {
    throw new HookbenchError('invalid_input', `the secret is not valid for the ${scheme} scheme`, [
      { path: ['secret'], message: scheme === 'standard' ? 'must be whsec_ + base64' : 'not a valid secret' },
    ]);
  }
  // a short key signs, but weakly (whsec_AAAA is a 3-byte key); a long one is beyond what receivers' libraries expect
  const key = scheme === 'standard' ? standardKey(secret) : null;
  if (key && (key.length < STANDARD_KEY_BYTES.min || key.length > STANDARD_KEY_BYTES.max)) {
    const { min, max } = STANDARD_KEY_BYTES;
    throw new HookbenchError(
      'invalid_input',
      `the secret's key is ${key.length} bytes; Standard Webhooks wants ${min} to ${max}`,
      [{ path: ['secret'], message: `must be whsec_ + base64 of ${min} to ${max} bytes (this one is ${key.length})` }],
    );
  }
}

/**
 * A rotation's new secret and the grace its predecessor gets: the secret is not one that signs already (it would
 * sign every delivery twice with the same key), and a scheme with one signature header gets no grace (the default
 * there; more is refused rather than promised and not kept).
 */
export function rotation(scheme: SchemeName, next: string, live: readonly string[], graceSeconds?: number): number {
  assertSecretFits(scheme, next);
  if (live.includes(next)) {
    throw new HookbenchError('invalid_input', 'that secret already signs for this endpoint: give a new one', [
      { path: ['secret'], message: 'already one of the endpoint’s secrets' },
    ]);
  }
  if (graceSeconds === undefined) return defaultRotationGrace(scheme);
  if (graceSeconds > 0 && ONE_SIGNATURE_SCHEMES.includes(scheme)) {
    throw new HookbenchError(
      'invalid_input',
      `a ${scheme} endpoint sends one signature: the previous secret cannot keep signing; rotate with graceSeconds 0`,
      [{ path: ['graceSeconds'], message: `must be 0 for the ${scheme} scheme (one signature header)` }],
    );
  }
  return graceSeconds;
}

/** The stored event_types: no filter means every type. */
export function eventTypesJson(types: readonly string[]): string {
  return JSON.stringify(types.length > 0 ? types : ['*']);
}

/** The stored retry_policy: null follows the settings. */
function retryPolicyJson(policy: RetryPolicy | null): string | null {
  return policy === null ? null : JSON.stringify(policy);
}

/** The columns of a new endpoints row, in the order of `newEndpoint(...).values` (both stores' INSERT). */
export const ENDPOINT_INSERT_COLUMNS =
  'id, url, description, event_types, enabled, scheme, headers, timeout_ms, rate_limit_per_sec, retry_policy, ' +
  'auto_disable_threshold, created_at, updated_at';

/**
 * A new endpoint as both stores write it: a fresh id, its signing secret (the one given, refused with a clear
 * error unless it fits the scheme, else a new one) and the row's values in ENDPOINT_INSERT_COLUMNS order.
 */
export function newEndpoint(
  input: z.output<typeof EndpointCreateInput>,
  now: number,
): { id: string; secret: string; values: unknown[] } {
  const secret = input.secret ?? getScheme(input.scheme).generateSecret();
  assertSecretFits(input.scheme, secret);
  const id = randomUUID();
  const values = [
    id,
    input.url,
    input.description,
    eventTypesJson(input.eventTypes),
    input.enabled ? 1 : 0,
    input.scheme,
    JSON.stringify(input.headers),
    input.timeoutMs,
    input.rateLimitPerSec,
    retryPolicyJson(input.retry),
    input.autoDisableThreshold,
    now,
    now,
  ];
  return { id, secret, values };
}

/**
 * Opens what this key can open. A grace-period secret sealed under another key is skipped (the new one signs);
 * a current one that cannot be opened is reported, so its attempts fail saying so until it is rotated.
 */
export function openAll(box: SecretBox, rows: readonly SecretRow[]): { secrets: string[]; error: string | null } {
  const secrets: string[] = [];
  let error: string | null = null;
  for (const r of rows) {
    try {
      secrets.push(box.open(r.sealed));
    } catch (err) {
      if (r.expires_at === null) error = err instanceof Error ? err.message : String(err);
    }
  }
  return { secrets: error === null ? secrets : [], error };
}

/** endpoints.secret's answer from the unexpired secret rows. */
export function secretInfoFrom(
  box: SecretBox,
  id: string,
  rows: readonly SecretRow[],
): { secret: string; previous: Array<{ secret: string; expiresAt: string }> } {
  const current = rows.find((r) => r.expires_at === null);
  if (!current) throw new HookbenchError('internal', `endpoint ${id} has no current secret`);
  return {
    secret: box.open(current.sealed),
    // a grace-period secret sealed under another key no longer signs (openAll): not shown either
    previous: rows
      .filter((r) => r.expires_at !== null)
      .flatMap((r) => {
        const [secret] = openAll(box, [{ ...r, expires_at: 0 }]).secrets;
        return secret === undefined ? [] : [{ secret, expiresAt: iso(r.expires_at as number) }];
      }),
  };
}

/**
 * The dispatcher's view of an endpoint from its row and unexpired secret rows. The system endpoint signs with the
 * operational secret the consumer configured (settings.notificationSecret), not with stored endpoint secrets.
 */
export function dispatchTarget(
  row: EndpointRow,
  secretRows: readonly SecretRow[],
  box: SecretBox,
  systemSecret: () => string,
): DispatchTarget {
  const system = row.kind === 'system';
  const rows = system ? [] : secretRows;
  const expiries = rows.map((s) => s.expires_at).filter((e): e is number => e !== null);
  const opened = openAll(box, rows);
  return {
    id: row.id,
    url: row.url,
    scheme: row.scheme,
    headers: JSON.parse(row.headers) as Record<string, string>,
    timeoutMs: row.timeout_ms,
    rateLimitPerSec: row.rate_limit_per_sec,
    retry: rowRetryPolicy(row),
    enabled: row.enabled === 1,
    deleted: row.deleted_at !== null,
    disabledBy: row.enabled === 1 ? null : row.disabled_by,
    system,
    secrets: system ? [systemSecret()] : opened.secrets,
    secretsError: system ? null : opened.error,
    validUntil: expiries.length > 0 ? Math.min(...expiries) : Number.POSITIVE_INFINITY,
  };
}

/** The columns an update writes and their values, in a fixed order (updated_at is the caller's). */
export function updateColumns(input: z.output<typeof EndpointUpdateInput>): Array<[string, unknown]> {
  const cols: Array<[string, unknown]> = [];
  if (input.url !== undefined) cols.push(['url', input.url]);
  if (input.description !== undefined) cols.push(['description', input.description]);
  if (input.eventTypes !== undefined) cols.push(['event_types', eventTypesJson(input.eventTypes)]);
  if (input.scheme !== undefined) cols.push(['scheme', input.scheme]);
  if (input.headers !== undefined) cols.push(['headers', JSON.stringify(input.headers)]);
  if (input.timeoutMs !== undefined) cols.push(['timeout_ms', input.timeoutMs]);
  if (input.rateLimitPerSec !== undefined) cols.push(['rate_limit_per_sec', input.rateLimitPerSec]);
  if (input.retry !== undefined) cols.push(['retry_policy', retryPolicyJson(input.retry)]);
  if (input.autoDisableThreshold !== undefined) cols.push(['auto_disable_threshold', input.autoDisableThreshold]);
  return cols;
}

/**
 * A secret of one scheme may not sign under another (GitHub's base64url is not a whsec_ key): an endpoint whose
 * scheme changes to one its secrets do not fit gets a fresh secret of the new scheme.
 */
export function needsFreshSecret(from: SchemeName, to: SchemeName, secrets: readonly string[]): boolean {
  return to !== from && !secrets.every((s) => secretFits(to, s));
}

/** Per-endpoint stats from its newest attempts (up to 100) and its waiting deliveries counted by status. */
export function endpointStats(
  row: EndpointRow,
  recent: ReadonlyArray<{ succeeded: number; duration_ms: number }>,
  waiting: ReadonlyArray<{ status: string; n: number }>,
): EndpointStats {
  const ok = recent.filter((a) => a.succeeded === 1).length;
  return {
    recentAttempts: recent.length,
    successRate: recent.length > 0 ? ok / recent.length : null,
    p50Ms: median(recent.map((a) => a.duration_ms)),
    consecutiveFailures: row.consecutive_failures,
    pausedDeliveries: waiting.find((w) => w.status === 'paused')?.n ?? 0,
    pendingDeliveries: waiting.find((w) => w.status === 'pending')?.n ?? 0,
  };
}

/** An endpoint row as the fan-out sees it, or null when fired events skip it (deleted, system, disabled by hand). */
export function activeEndpoint(row: EndpointRow): ActiveEndpoint | null {
  if (row.deleted_at !== null || row.kind !== 'user') return null;
  const reach = firedEventReach({ enabled: row.enabled === 1, disabledBy: row.disabled_by });
  if (reach === null) return null;
  return {
    id: row.id,
    filters: JSON.parse(row.event_types) as string[],
    paused: reach === 'paused',
    maxAttempts: rowRetryPolicy(row)?.maxAttempts,
  };
}

/** The active endpoints (in created order) whose filters accept the type, optionally only among `only`. */
export function matchActive(
  active: readonly ActiveEndpoint[],
  type: string,
  only?: readonly string[],
): MatchedEndpoint[] {
  const restrict = only ? new Set(only) : null;
  return active
    .filter((e) => (!restrict || restrict.has(e.id)) && subscribes(e.filters, type))
    .map((e) => ({ id: e.id, paused: e.paused, maxAttempts: e.maxAttempts }));
}
