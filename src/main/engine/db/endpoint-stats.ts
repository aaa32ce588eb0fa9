// The aggregate behind endpoints.stats: attempts of a time window grouped per endpoint and per bucket, with
// latency percentiles and response codes. Percentiles need the durations, so the rows of the window are read
// (four small columns each) and bucketed here; the query reads only `started_at >= from` rows.
import type Database from 'better-sqlite3';
import {
  type EndpointHealth,
  type EndpointStatsOutput,
  STATS_BUCKET_MS,
  STATS_WINDOW_MS,
  type StatsWindow,
} from '../../../shared';

interface AttemptRow {
  endpoint_id: string;
  started_at: number;
  duration_ms: number;
  succeeded: number;
  status: number | null;
}

/** Nearest-rank percentile of ascending values. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? null;
}

const round = (ms: number | null) => (ms === null ? null : Math.round(ms * 10) / 10);

/** At most this many attempts are read per call (the newest); a week of a busy endpoint stays bounded. */
const MAX_ROWS = 500_000;

export function createEndpointStats(db: Database.Database) {
  const all = db.prepare<[number, number], AttemptRow>(
    `SELECT endpoint_id, started_at, duration_ms, succeeded, json_extract(response, '$.status') AS status
       FROM attempts WHERE started_at >= ? ORDER BY started_at DESC LIMIT ?`,
  );
  const one = db.prepare<[string, number, number], AttemptRow>(
    `SELECT endpoint_id, started_at, duration_ms, succeeded, json_extract(response, '$.status') AS status
       FROM attempts WHERE endpoint_id = ? AND started_at >= ? ORDER BY started_at DESC LIMIT ?`,
  );

  return {
    query(window: StatsWindow, nowMs: number, endpointId?: string): EndpointStatsOutput {
      const bucketMs = STATS_BUCKET_MS[window];
      // Buckets are aligned to their width, so two calls a few seconds apart draw the same points.
      const end = Math.floor(nowMs / bucketMs) * bucketMs + bucketMs;
      const from = end - STATS_WINDOW_MS[window];
      const count = STATS_WINDOW_MS[window] / bucketMs;
      const rows = endpointId ? one.all(endpointId, from, MAX_ROWS) : all.all(from, MAX_ROWS);

      const byEndpoint = new Map<string, AttemptRow[]>();
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
        window,
        from: new Date(from).toISOString(),
        to: new Date(end).toISOString(),
        bucketMs,
        endpoints,
      };
    },
  };
}
