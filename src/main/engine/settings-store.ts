// Settings live in one JSON row, cached in memory: the dispatcher reads them on every attempt.
import type Database from 'better-sqlite3';
import { defaultSettings, HookbenchError, invalidInput, Settings, type SettingsPatch } from '../../shared';
import { guardStorage } from './db/util';
import { getScheme } from './signing';
import type { SecretBox } from './types';

const SETTINGS_KEY = 'settings';
const OPERATIONAL_SECRET_KEY = 'operational_secret';

export class SettingsStore {
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
    this.cached = this.load();
  }

  get(): Settings {
    return this.cached;
  }

  /** Deep-merges a patch, validates the result as a whole (e.g. maxDelayMs >= initialDelayMs), stores it. */
  update(patch: SettingsPatch): Settings {
    const cur = this.cached;
    const merged = {
      ...cur,
      ...stripUndefined(patch),
      retry: { ...cur.retry, ...stripUndefined(patch.retry ?? {}) },
      autoDisable: { ...cur.autoDisable, ...stripUndefined(patch.autoDisable ?? {}) },
    };
    const res = Settings.safeParse(merged);
    if (!res.success) throw invalidInput(res.error, 'settings');
    guardStorage(() => this.putStmt.run(SETTINGS_KEY, JSON.stringify(res.data)));
    this.cached = res.data;
    return res.data;
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

  private load(): Settings {
    const row = this.getStmt.get(SETTINGS_KEY);
    if (!row) return defaultSettings;
    // Fill fields a newer version added; a stored value that no longer validates falls back to the defaults.
    const stored = JSON.parse(row.value) as Partial<Settings>;
    const res = Settings.safeParse({
      ...defaultSettings,
      ...stored,
      retry: { ...defaultSettings.retry, ...stored.retry },
      autoDisable: { ...defaultSettings.autoDisable, ...stored.autoDisable },
    });
    if (!res.success) throw new HookbenchError('internal', 'stored settings are invalid');
    return res.data;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
