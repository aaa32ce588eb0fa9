// A retry policy's fields as forms show them (the Settings page's policy and an endpoint's own): label and hint.
import type { RetryPolicy } from '@shared';
import { type FieldNouns, humanizeMs } from '../../components';

export type RetryField = keyof RetryPolicy;

/** The policy's fields in the order forms list them. */
export const retryFields = [
  'initialDelayMs',
  'multiplier',
  'maxDelayMs',
  'maxAttempts',
  'jitter',
] as const satisfies readonly RetryField[];

export const msHint = (v: string): string =>
  v.trim() !== '' && Number.isFinite(Number(v)) ? `= ${humanizeMs(Number(v))}` : 'milliseconds';

export const retryFieldLabels: Record<
  RetryField,
  { label: string; hint: (value: string) => string; mode: 'numeric' | 'decimal' }
> = {
  initialDelayMs: { label: 'Initial delay (ms)', hint: msHint, mode: 'numeric' },
  multiplier: { label: 'Multiplier', hint: () => 'each delay × this', mode: 'decimal' },
  maxDelayMs: { label: 'Max delay (ms)', hint: msHint, mode: 'numeric' },
  maxAttempts: { label: 'Max attempts', hint: () => 'the first attempt included', mode: 'numeric' },
  jitter: { label: 'Jitter (0–1)', hint: () => 'each delay is drawn from [d × (1 − jitter), d]', mode: 'decimal' },
};

/** How error messages name the policy's fields (components/field-issues.ts), at `retry.<field>` in both forms. */
export const retryFieldNouns: FieldNouns = {
  'retry.initialDelayMs': { name: 'Initial delay', unit: 'ms' },
  'retry.multiplier': { name: 'Multiplier' },
  'retry.maxDelayMs': { name: 'Max delay', unit: 'ms' },
  'retry.maxAttempts': { name: 'Max attempts' },
  'retry.jitter': { name: 'Jitter' },
};
