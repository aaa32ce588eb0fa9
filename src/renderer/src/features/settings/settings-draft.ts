// The settings form's draft (inputs as typed) and its validation with the contract's own Settings schema.
import { Settings } from '@shared';
import { type FieldNouns, fieldMessages } from '../../components';
import { retryFieldNouns } from './retry-fields';

type Numeric =
  | 'retry.initialDelayMs'
  | 'retry.multiplier'
  | 'retry.maxDelayMs'
  | 'retry.maxAttempts'
  | 'retry.jitter'
  | 'autoDisable.threshold'
  | 'concurrency'
  | 'retentionDays';

/** allowLinkLocal is kept as 'true' / 'false' so the draft stays one string per field */
export type SettingsField = Numeric | 'notificationUrl' | 'allowLinkLocal';
export type SettingsDraft = Record<SettingsField, string>;

export function draftFromSettings(s: Settings): SettingsDraft {
  return {
    'retry.initialDelayMs': String(s.retry.initialDelayMs),
    'retry.multiplier': String(s.retry.multiplier),
    'retry.maxDelayMs': String(s.retry.maxDelayMs),
    'retry.maxAttempts': String(s.retry.maxAttempts),
    'retry.jitter': String(s.retry.jitter),
    'autoDisable.threshold': String(s.autoDisable.threshold),
    concurrency: String(s.concurrency),
    retentionDays: String(s.retentionDays),
    notificationUrl: s.notificationUrl ?? '',
    allowLinkLocal: String(s.allowLinkLocal),
  };
}

const num = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text.trim()));

/** The draft as a Settings-shaped value (not yet validated). */
export function draftToValue(d: SettingsDraft) {
  return {
    retry: {
      initialDelayMs: num(d['retry.initialDelayMs']),
      multiplier: num(d['retry.multiplier']),
      maxDelayMs: num(d['retry.maxDelayMs']),
      maxAttempts: num(d['retry.maxAttempts']),
      jitter: num(d['retry.jitter']),
    },
    autoDisable: { threshold: num(d['autoDisable.threshold']) },
    concurrency: num(d.concurrency),
    retentionDays: num(d.retentionDays),
    notificationUrl: d.notificationUrl.trim() === '' ? null : d.notificationUrl.trim(),
    allowLinkLocal: d.allowLinkLocal === 'true',
  };
}

export type SettingsValidation =
  | { ok: true; value: Settings }
  | { ok: false; errors: Partial<Record<SettingsField, string>> };

/** How error messages name the form's fields ("Retention must be at least 1 day"). */
const settingsNouns: FieldNouns = {
  ...retryFieldNouns,
  'autoDisable.threshold': { name: 'Auto-disable threshold' },
  concurrency: { name: 'Concurrency' },
  retentionDays: { name: 'Retention', unit: 'days' },
  notificationUrl: { name: 'Notification URL' },
};

/** Inline errors keyed by field path, from the contract's Settings schema, in words about the fields. */
export function validateSettings(d: SettingsDraft): SettingsValidation {
  const parsed = Settings.safeParse(draftToValue(d));
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, errors: fieldMessages(parsed.error.issues, settingsNouns) };
}

/** The retry policy alone, when valid, for the live preview (the rest of the form may still be wrong). */
export function validRetryPolicy(d: SettingsDraft): Settings['retry'] | null {
  const parsed = Settings.shape.retry.safeParse(draftToValue(d).retry);
  return parsed.success ? parsed.data : null;
}

export function sameDraft(a: SettingsDraft, b: SettingsDraft): boolean {
  return (Object.keys(a) as SettingsField[]).every((k) => a[k].trim() === b[k].trim());
}
