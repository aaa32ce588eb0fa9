// endpoints.stats' arithmetic, shared by both stores: the window's aligned span, and the attempts of the window
// grouped per endpoint and per bucket with latency percentiles and response codes. Each store only reads the rows
// (db/endpoint-stats.ts for SQLite, store/pg/endpoint-stats.ts for PostgreSQL), so both answer alike.
import {
  type EndpointHealth,
  type EndpointStatsOutput,
  STATS_BUCKET_MS,
  STATS_WINDOW_MS,
  type StatsWindow,
} from '../../../shared';

/** One attempt of the window as a store reads it. */
export interface StatsAttemptRow {
  endpoint_id: string;
  started_at: number;
  duration_ms: number;
  succeeded: number;
  /** the response's HTTP status; null when there was no response (refused, timed out) */
  status: number | null;
}

/** At most this many attempts are read per call (the newest); a week of a busy endpoint stays bounded. */
export const MAX_STATS_ROWS = 500_000;

/** Nearest-rank percentile of ascending values. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? null;
}

const round = (ms: number | null) => (ms === null ? null : Math.round(ms * 10) / 10);

export interface StatsSpan {
  window: StatsWindow;
  from: number;
  end: number;
  bucketMs: number;
  count: number;
}

/** The window ending with the bucket that holds `nowMs`. */
export function statsSpan(window: StatsWindow, nowMs: number): StatsSpan {
  const bucketMs = STATS_BUCKET_MS[window];
  // Buckets are aligned to their width, so two calls a few seconds apart draw the same points.
  const end = Math.floor(nowMs / bucketMs) * bucketMs + bucketMs;
  return { window, from: end - STATS_WINDOW_MS[window], end, bucketMs, count: STATS_WINDOW_MS[window] / bucketMs };
}

/** The answer for the rows of `span` (newest first); an asked-for endpoint is listed even without attempts. */
export function aggregateStats(span: StatsSpan, rows: StatsAttemptRow[], endpointId?: string): EndpointStatsOutput {
  const { from, bucketMs, count } = span;
  const byEndpoint = new Map<string, StatsAttemptRow[]>();
  if (endpointId) byEndpoint.set(endpointId, []);
  for (const r of rows) {
    const list = byEndpoint.get(r.endpoint_id);
    if (list) list.push(r);
    else byEndpoint.set(r.endpoint_id, [r]);
  }

  const endpoints: EndpointHealth[] = [];
  for (const [id, list] of byEndpoint) {
    const buckets = Array.from({ length: count }, () => ({ attempts: 0, succeeded: 0, durations: [] as number[] }));
    const codes = new Map<string, number>();
    const durations: number[] = [];
    let succeeded = 0;
    for (const r of list) {
      const i = Math.floor((r.started_at - from) / bucketMs);
      const b = buckets[Math.min(count - 1, Math.max(0, i))];
      if (!b) continue;
      b.attempts++;
      b.durations.push(r.duration_ms);
      durations.push(r.duration_ms);
      if (r.succeeded) {
        b.succeeded++;
        succeeded++;
      }
      const code = r.status === null ? 'error' : String(r.status);
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    durations.sort((a, b) => a - b);
    endpoints.push({
      endpointId: id,
      attempts: list.length,
      succeeded,
      successRate: list.length === 0 ? null : succeeded / list.length,
      p50Ms: round(percentile(durations, 50)),
      p95Ms: round(percentile(durations, 95)),
      buckets: buckets.map((b, i) => {
        const sorted = b.durations.sort((x, y) => x - y);
        return {
          t: from + i * bucketMs,
          attempts: b.attempts,
          succeeded: b.succeeded,
          p50Ms: round(percentile(sorted, 50)),
          p95Ms: round(percentile(sorted, 95)),
        };
      }),
      codes: [...codes].map(([code, n]) => ({ code, count: n })).sort((a, b) => b.count - a.count),
    });
  }
  return {
    window: span.window,
    from: new Date(from).toISOString(),
    to: new Date(span.end).toISOString(),
    bucketMs,
    endpoints,
  };
}

/**
 * The first attempt id whose attempt started at or after `ms`, by binary search over ids (~20 lookups, no scan):
 * attempts are appended as they finish, so ids follow started_at but for attempts that overlapped (see OVERLAP_MS).
 * `probe(id)` is the first attempt with an id >= id.
 */
export async function firstIdFrom(
  ms: number,
  maxId: number,
  probe: (id: number) => Promise<{ id: number; started_at: number } | undefined>,
): Promise<number> {
  let lo = 0;
  let hi = maxId + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const row = await probe(mid);
    if (!row || row.started_at >= ms) hi = mid;
    else lo = row.id + 1;
  }
  return lo;
}

/**
 * An attempt started at most its timeout (120 s at most) plus the time to record it before the next row: searching
 * the id for `from` minus this much finds every attempt of the window without an index on started_at.
 */
export const OVERLAP_MS = 10 * 60_000;
