// Settings live in one JSON row, cached in memory: the dispatcher reads them on every attempt.
import type Database from 'better-sqlite3';
import type { Settings, SettingsPatch } from '../../shared';
import { guardStorage } from './db/util';
import { mergeSettings, OPERATIONAL_SECRET_KEY, SETTINGS_KEY, storedSettings } from './settings-logic';
import { getScheme } from './signing';
import type { SettingsStorePort } from './store/endpoint-ports';
import type { SecretBox } from './types';

export class SettingsStore implements SettingsStorePort {
  private cached: Settings;
  private readonly getStmt: Database.Statement<[string], { value: string }>;
  private readonly putStmt: Database.Statement<[string, string]>;

  constructor(
    db: Database.Database,
    private readonly secrets: SecretBox,
  ) {
    this.getStmt = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.putStmt = db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.cached = storedSettings(this.getStmt.get(SETTINGS_KEY)?.value);
  }

  get(): Settings {
    return this.cached;
  }

  /** Deep-merges a patch, validates the result as a whole (e.g. maxDelayMs >= initialDelayMs), stores it. */
  update(patch: SettingsPatch): Settings {
    const next = mergeSettings(this.cached, patch);
    guardStorage(() => this.putStmt.run(SETTINGS_KEY, JSON.stringify(next)));
    this.cached = next;
    return next;
  }

  /**
   * The Standard Webhooks secret that signs operational events (endpoint.disabled) sent to notificationUrl.
   * Created on first use and kept, so the consumer configures it once.
   */
  operationalSecret(): string {
    const row = this.getStmt.get(OPERATIONAL_SECRET_KEY);
    if (row) return this.secrets.open(JSON.parse(row.value) as string);
    const secret = getScheme('standard').generateSecret();
    guardStorage(() => this.putStmt.run(OPERATIONAL_SECRET_KEY, JSON.stringify(this.secrets.seal(secret))));
    return secret;
  }

  /** A new notification secret, e.g. when the stored one was sealed under a key this process does not have. */
  rotateOperationalSecret(): string {
    const secret = getScheme('standard').generateSecret();
    guardStorage(() => this.putStmt.run(OPERATIONAL_SECRET_KEY, JSON.stringify(this.secrets.seal(secret))));
    return secret;
  }
}
