// Settings live in one JSON row, cached in memory: the dispatcher reads them on every attempt.
import type Database from 'better-sqlite3';
import type { Settings, SettingsPatch } from '../../shared';
import { guardStorage } from './db/util';
import { mergeSettings, OPERATIONAL_SECRET_KEY, SETTINGS_KEY, storedSettings } from './settings-logic';
import { getScheme } from './signing';
import type { SettingsStorePort } from './store/endpoint-ports';
import type { SecretBox } from './types';

/** Rows of the settings table by key (it also holds secrets and small engine state, such as the inbox port). */
export function settingRows(db: Database.Database): {
  get(key: string): string | undefined;
  put(key: string, value: string): void;
} {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const put = db.prepare<[string, string]>(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  return { get: (key) => get.get(key)?.value, put: (key, value) => void put.run(key, value) };
}

export class SettingsStore implements SettingsStorePort {
  private cached: Settings;
  private readonly rows: ReturnType<typeof settingRows>;

  constructor(
    db: Database.Database,
    private readonly secrets: SecretBox,
  ) {
    this.rows = settingRows(db);
    this.cached = storedSettings(this.rows.get(SETTINGS_KEY));
  }

  get(): Settings {
    return this.cached;
  }

  /** Deep-merges a patch, validates the result as a whole (e.g. maxDelayMs >= initialDelayMs), stores it. */
  update(patch: SettingsPatch): Settings {
    const next = mergeSettings(this.cached, patch);
    guardStorage(() => this.rows.put(SETTINGS_KEY, JSON.stringify(next)));
    this.cached = next;
    return next;
  }

  /**
   * The Standard Webhooks secret that signs operational events (endpoint.disabled) sent to notificationUrl.
   * Created on first use and kept, so the consumer configures it once.
   */
  operationalSecret(): string {
    const stored = this.rows.get(OPERATIONAL_SECRET_KEY);
    if (stored !== undefined) return this.secrets.open(JSON.parse(stored) as string);
    const secret = getScheme('standard').generateSecret();
    guardStorage(() => this.rows.put(OPERATIONAL_SECRET_KEY, JSON.stringify(this.secrets.seal(secret))));
    return secret;
  }

  /** A new notification secret, e.g. when the stored one was sealed under a key this process does not have. */
  rotateOperationalSecret(): string {
    const secret = getScheme('standard').generateSecret();
    guardStorage(() => this.rows.put(OPERATIONAL_SECRET_KEY, JSON.stringify(this.secrets.seal(secret))));
    return secret;
  }
}
