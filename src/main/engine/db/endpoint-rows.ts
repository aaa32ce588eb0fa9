// Endpoint rows and their mapping to the contract's shape.
import type { Endpoint, EndpointStats, RetryPolicy, SchemeName } from '../../../shared';
import { iso } from './util';

export interface EndpointRow {
  id: string;
  url: string;
  description: string;
  event_types: string;
  enabled: number;
  disabled_reason: string | null;
  /** 'manual' | 'auto' while disabled */
  disabled_by: 'manual' | 'auto' | null;
  /** 'system': the operational notification endpoint (hidden from lists, never matched by fired events) */
  kind: 'user' | 'system';
  scheme: SchemeName;
  headers: string;
  timeout_ms: number;
  rate_limit_per_sec: number | null;
  /** JSON of the endpoint's own RetryPolicy; null: the settings' */
  retry_policy: string | null;
  /** null: the settings' auto-disable threshold */
  auto_disable_threshold: number | null;
  consecutive_failures: number;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export function toEndpoint(row: EndpointRow, stats: EndpointStats): Endpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: JSON.parse(row.event_types) as string[],
    enabled: row.enabled === 1,
    disabledReason: row.disabled_reason,
    disabledBy: row.enabled === 1 ? null : row.disabled_by,
    scheme: row.scheme,
    headers: JSON.parse(row.headers) as Record<string, string>,
    timeoutMs: row.timeout_ms,
    rateLimitPerSec: row.rate_limit_per_sec,
    retry: rowRetryPolicy(row),
    autoDisableThreshold: row.auto_disable_threshold,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    stats,
  };
}

/** The endpoint's own retry policy, or null when it follows the settings'. */
export function rowRetryPolicy(row: Pick<EndpointRow, 'retry_policy'>): RetryPolicy | null {
  return row.retry_policy === null ? null : (JSON.parse(row.retry_policy) as RetryPolicy);
}

/** Median of a list of numbers (sorted copy), null when empty. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
