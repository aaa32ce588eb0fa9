import { z } from 'zod';
import { HttpUrl } from './common';

const retryPolicyFields = z.object({
  /** delay before the first retry */
  initialDelayMs: z.number().int().min(0).max(86_400_000),
  /** growth factor between retries */
  multiplier: z.number().min(1).max(10),
  /** no delay exceeds this, Retry-After included */
  maxDelayMs: z
    .number()
    .int()
    .min(0)
    .max(7 * 86_400_000),
  /** total attempts, the first included */
  maxAttempts: z.number().int().min(1).max(100),
  /** 0..1: each delay is drawn from [d*(1-jitter), d] */
  jitter: z.number().min(0).max(1),
});
/** consecutive failed attempts that disable an endpoint; 0 = never */
export const AutoDisableThreshold = z.number().int().min(0).max(10_000);
const autoDisableFields = z.object({ threshold: AutoDisableThreshold });

export const RetryPolicy = retryPolicyFields.refine((p) => p.maxDelayMs >= p.initialDelayMs, {
  message: 'maxDelayMs must be at least initialDelayMs',
  path: ['maxDelayMs'],
});
export type RetryPolicy = z.infer<typeof RetryPolicy>;

export const Settings = z.object({
  retry: RetryPolicy,
  autoDisable: autoDisableFields,
  /** deliveries in flight at once, across all endpoints */
  concurrency: z.number().int().min(1).max(1024),
  /** finished deliveries, attempts and events older than this are pruned */
  retentionDays: z.number().int().min(1).max(3650),
  /** when set, signed operational events go here: `endpoint.disabled` (auto-disable), `delivery.exhausted` */
  notificationUrl: HttpUrl.nullable(),
  /** endpoints and notificationUrl may target link-local and cloud metadata addresses (169.254.0.0/16, ...) */
  allowLinkLocal: z.boolean(),
});
export type Settings = z.infer<typeof Settings>;

export const defaultSettings: Settings = {
  retry: { initialDelayMs: 2_000, multiplier: 2, maxDelayMs: 3_600_000, maxAttempts: 8, jitter: 0.2 },
  autoDisable: { threshold: 10 },
  concurrency: 32,
  retentionDays: 14,
  notificationUrl: null,
  allowLinkLocal: false,
};

/** Any part of the settings; the merged result is validated as a whole with `Settings`. */
export const SettingsPatch = z.strictObject({
  retry: retryPolicyFields.partial().strict().optional(),
  autoDisable: autoDisableFields.partial().strict().optional(),
  concurrency: z.number().int().min(1).max(1024).optional(),
  retentionDays: z.number().int().min(1).max(3650).optional(),
  notificationUrl: HttpUrl.nullable().optional(),
  allowLinkLocal: z.boolean().optional(),
});
export type SettingsPatch = z.infer<typeof SettingsPatch>;
