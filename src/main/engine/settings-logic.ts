// The store-independent part of settings, used by SQLite's SettingsStore and PostgreSQL's PgSettingsStore: a patch
// merged and validated as a whole, a stored row read back with the fields a newer version added filled in, and what
// settings mean for a process's running parts.
import { defaultSettings, HookbenchError, invalidInput, Settings, type SettingsPatch } from '../../shared';

export const SETTINGS_KEY = 'settings';
export const OPERATIONAL_SECRET_KEY = 'operational_secret';

/** Deep-merges a patch into the current settings and validates the result (e.g. maxDelayMs >= initialDelayMs). */
export function mergeSettings(cur: Settings, patch: SettingsPatch): Settings {
  const merged = {
    ...cur,
    ...stripUndefined(patch),
    retry: { ...cur.retry, ...stripUndefined(patch.retry ?? {}) },
    autoDisable: { ...cur.autoDisable, ...stripUndefined(patch.autoDisable ?? {}) },
  };
  const res = Settings.safeParse(merged);
  if (!res.success) throw invalidInput(res.error, 'settings');
  return res.data;
}

/** The settings row's value (undefined: none stored yet, the defaults). */
export function storedSettings(value: string | undefined): Settings {
  if (value === undefined) return defaultSettings;
  // Fill fields a newer version added; a stored value that no longer validates is an internal error.
  const stored = JSON.parse(value) as Partial<Settings>;
  const res = Settings.safeParse({
    ...defaultSettings,
    ...stored,
    retry: { ...defaultSettings.retry, ...stored.retry },
    autoDisable: { ...defaultSettings.autoDisable, ...stored.autoDisable },
  });
  if (!res.success) throw new HookbenchError('internal', 'stored settings are invalid');
  return res.data;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * What settings mean for this process's running parts, applied after a change is stored here or read again after
 * another process's: the dispatcher's concurrency, the HTTP client's link-local rule. (At start the dispatcher is built
 * with the loaded settings and the HTTP client told them, before the dispatcher exists.)
 */
export function settingsApplier(parts: {
  dispatcher: { setConcurrency(n: number): void };
  http: { setAllowLinkLocal(allow: boolean): void };
}): (s: Settings) => void {
  return (s) => {
    parts.dispatcher.setConcurrency(s.concurrency);
    parts.http.setAllowLinkLocal(s.allowLinkLocal);
  };
}
