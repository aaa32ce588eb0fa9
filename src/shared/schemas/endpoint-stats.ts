// Endpoint health over time: success rate, latency percentiles and response codes per endpoint, bucketed, from
// one aggregate over recorded attempts (endpoints.stats).
import { z } from 'zod';
import { Id, IsoDate } from './common';

export const StatsWindow = z.enum(['1h', '24h', '7d']);
export type StatsWindow = z.infer<typeof StatsWindow>;

/** Bucket width per window: 60 points an hour, 96 a day, 84 a week (a few pixels each on a chart). */
export const STATS_BUCKET_MS: Record<StatsWindow, number> = {
  '1h': 60_000,
  '24h': 15 * 60_000,
  '7d': 2 * 3_600_000,
};
export const STATS_WINDOW_MS: Record<StatsWindow, number> = {
  '1h': 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 24 * 3_600_000,
};

export const EndpointStatsInput = z.strictObject({
  window: StatsWindow.default('24h'),
  /** one endpoint (its detail page), or every endpoint (the list's sparklines) */
  endpointId: Id.optional(),
});

export const StatsBucket = z.object({
  /** bucket start, unix ms */
  t: z.number().int(),
  attempts: z.number().int(),
  succeeded: z.number().int(),
  /** latency percentiles of the bucket's attempts, null when it has none */
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
});

export const EndpointHealth = z.object({
  endpointId: Id,
  attempts: z.number().int(),
  succeeded: z.number().int(),
  /** 0..1, null without attempts */
  successRate: z.number().nullable(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  /** every bucket of the window, oldest first, empty ones included (a chart needs the gaps) */
  buckets: z.array(StatsBucket),
  /** how attempts ended: HTTP status ("200", "503") or "error" (timeout, refused, TLS), most frequent first */
  codes: z.array(z.object({ code: z.string(), count: z.number().int() })),
});
export type EndpointHealth = z.infer<typeof EndpointHealth>;

export const EndpointStatsOutput = z.object({
  window: StatsWindow,
  from: IsoDate,
  to: IsoDate,
  bucketMs: z.number().int(),
  /** endpoints with at least one attempt in the window (all asked for when endpointId is given) */
  endpoints: z.array(EndpointHealth),
});
export type EndpointStatsOutput = z.infer<typeof EndpointStatsOutput>;
