// Settings on PostgreSQL: the async twin of SettingsStore (settings-store.ts), same rows (`settings` and
// `operational_secret` in the settings table), same merge and validation (settings-logic.ts), secrets sealed by the
// same SecretBox. get() answers from a cache filled by load(); update() writes and re-caches; refresh() reads again
// when another process changed them. The operational secret is cached too (operationalSecretNow) because the system
// endpoint's dispatch target needs it synchronously.
import type pg from 'pg';
import { HookbenchError, type Settings, type SettingsPatch } from '../../../../shared';
import { mergeSettings, OPERATIONAL_SECRET_KEY, SETTINGS_KEY, storedSettings } from '../../settings-logic';
import { getScheme } from '../../signing';
import type { SecretBox } from '../../types';
import type { SettingsStorePort } from '../endpoint-ports';
import { inTransaction } from './in-transaction';
import { lockOne, SETTINGS_LOCK_CLASS } from './lock-keys';
import type { Queryable } from './pool';

/** The settings table's statements (also the inbox receiver's remembered port: inbox-service-ports.ts). */
export const SETTINGS_SQL = {
  get: 'SELECT value FROM settings WHERE key = $1',
  put: 'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  // two processes starting together both try: the first one's secret is the one both keep
  putNew: 'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
} as const;

export class PgSettingsStore implements SettingsStorePort {
  private cached: Settings | null = null;
  /** told the settings each time they are read again (another process changed them) */
  private readonly reloaded: Array<(settings: Settings) => void> = [];
  /** the opened operational secret, or why it cannot be opened (sealed under another key) */
  private secret: { value: string } | { error: Error } | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly secrets: SecretBox,
  ) {}

  /** Reads the settings and the operational secret (creating it when there is none): before the first get(). */
  async load(): Promise<void> {
    this.cached = storedSettings(await this.read(SETTINGS_KEY));
    for (const fn of this.reloaded) fn(this.cached);
    await this.pool.query(SETTINGS_SQL.putNew, [
      OPERATIONAL_SECRET_KEY,
      this.sealed(getScheme('standard').generateSecret()),
    ]);
    this.cacheSecret(await this.read(OPERATIONAL_SECRET_KEY));
  }

  /** Reads them again: another process changed them. */
  refresh(): Promise<void> {
    return this.load();
  }

  /** `fn` is told the settings whenever they are read again (what this process applies itself: its concurrency). */
  onReload(fn: (settings: Settings) => void): void {
    this.reloaded.push(fn);
  }

  get(): Settings {
    if (!this.cached) throw new HookbenchError('internal', 'PgSettingsStore.get used before load()');
    return this.cached;
  }

  /**
   * Merges the patch onto the settings as stored, not as cached: a change another process made a moment ago (its
   * notice not here yet) is kept, and two processes' updates at once take turns under an advisory lock.
   */
  async update(patch: SettingsPatch): Promise<Settings> {
    const next = await inTransaction(this.pool, async (client) => {
      await lockOne(client, SETTINGS_LOCK_CLASS, SETTINGS_KEY);
      const merged = mergeSettings(storedSettings(await this.read(SETTINGS_KEY, client)), patch);
      await client.query(SETTINGS_SQL.put, [SETTINGS_KEY, JSON.stringify(merged)]);
      return merged;
    });
    this.cached = next;
    return next;
  }

  /** The stored operational secret, read again (another process may have rotated it); created when missing. */
  async operationalSecret(): Promise<string> {
    await this.pool.query(SETTINGS_SQL.putNew, [
      OPERATIONAL_SECRET_KEY,
      this.sealed(getScheme('standard').generateSecret()),
    ]);
    this.cacheSecret(await this.read(OPERATIONAL_SECRET_KEY));
    return this.operationalSecretNow();
  }

  async rotateOperationalSecret(): Promise<string> {
    const secret = getScheme('standard').generateSecret();
    await this.pool.query(SETTINGS_SQL.put, [OPERATIONAL_SECRET_KEY, this.sealed(secret)]);
    this.secret = { value: secret };
    return secret;
  }

  /** The cached operational secret, for the system endpoint's dispatch target; throws as SecretBox.open did. */
  operationalSecretNow(): string {
    if (!this.secret) throw new HookbenchError('internal', 'PgSettingsStore.operationalSecretNow used before load()');
    if ('error' in this.secret) throw this.secret.error;
    return this.secret.value;
  }

  private sealed(secret: string): string {
    return JSON.stringify(this.secrets.seal(secret));
  }

  private cacheSecret(value: string | undefined): void {
    if (value === undefined) throw new HookbenchError('internal', 'the operational secret was not stored');
    try {
      this.secret = { value: this.secrets.open(JSON.parse(value) as string) };
    } catch (err) {
      this.secret = { error: err instanceof Error ? err : new Error(String(err)) };
    }
  }

  private async read(key: string, db: Queryable = this.pool): Promise<string | undefined> {
    return (await db.query<{ value: string }>(SETTINGS_SQL.get, [key])).rows[0]?.value;
  }
}
