// Endpoint storage: rows, secrets (sealed at rest), stats, and the caches the hot paths read
// (the fan-out's subscription list and the dispatcher's per-endpoint target). Every write here invalidates them.
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import {
  type Endpoint,
  type EndpointCreateInput,
  type EndpointStats,
  type EndpointUpdateInput,
  type EndpointWithSecret,
  notFound,
  type SchemeName,
} from '../../../shared';
import type { EndpointRepository } from '../context';
import { getScheme } from '../signing';
import type { EndpointStorePort, SecretInfo } from '../store/endpoint-ports';
import type { Clock, SecretBox } from '../types';
import {
  type ActiveEndpoint,
  activeEndpoint,
  type DispatchTarget,
  dispatchTarget,
  ENDPOINT_INSERT_COLUMNS,
  endpointStats,
  type MatchedEndpoint,
  matchActive,
  needsFreshSecret,
  newEndpoint,
  openAll,
  rotation,
  type SecretRow,
  secretInfoFrom,
  updateColumns,
} from './endpoint-logic';
import { type EndpointRow, toEndpoint } from './endpoint-rows';
import { guardStorage } from './util';

export { assertSecretFits, type DispatchTarget, type MatchedEndpoint, secretFits } from './endpoint-logic';

/** The endpoint that carries operational events (endpoint.disabled) to settings.notificationUrl. */
export const SYSTEM_ENDPOINT_ID = 'system-notifications';

/** An endpoint's failure counter after one more failed attempt, with what auto-disable needs to decide. */
export interface FailureCount {
  consecutive_failures: number;
  enabled: number;
  deleted_at: number | null;
  url: string;
  disabled_by: 'manual' | 'auto' | null;
  kind: 'user' | 'system';
  /** the endpoint's own threshold; null: the settings' */
  auto_disable_threshold: number | null;
}

export class EndpointStore implements EndpointRepository, EndpointStorePort {
  private readonly targets = new Map<string, DispatchTarget>();
  private active: ActiveEndpoint[] | null = null;
  private readonly q;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
    private readonly box: SecretBox,
    /** the operational secret (settings) that signs the system endpoint's events */
    private readonly systemSecret: () => string,
  ) {
    this.q = {
      row: db.prepare<[string], EndpointRow>('SELECT * FROM endpoints WHERE id = ?'),
      live: db.prepare<[], EndpointRow>(
        "SELECT * FROM endpoints WHERE deleted_at IS NULL AND kind = 'user' ORDER BY created_at, id",
      ),
      // enabled endpoints, and auto-disabled ones: they keep what they miss, paused
      active: db.prepare<[], EndpointRow>(
        `SELECT * FROM endpoints
         WHERE deleted_at IS NULL AND kind = 'user' AND (enabled = 1 OR disabled_by = 'auto') ORDER BY created_at, id`,
      ),
      system: db.prepare(
        `INSERT INTO endpoints (id, url, description, event_types, enabled, kind, scheme, headers, timeout_ms,
           created_at, updated_at) VALUES (?, ?, 'Operational events (settings.notificationUrl)', '[]', ?, 'system',
           'standard', '{}', 10000, ?, ?)
         ON CONFLICT (id) DO UPDATE SET url = excluded.url, enabled = excluded.enabled,
           disabled_by = CASE WHEN excluded.enabled = 1 THEN NULL ELSE 'manual' END, updated_at = excluded.updated_at`,
      ),
      insert: db.prepare(
        `INSERT INTO endpoints (${ENDPOINT_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertSecret: db.prepare(
        'INSERT INTO endpoint_secrets (endpoint_id, sealed, created_at, expires_at) VALUES (?, ?, ?, NULL)',
      ),
      secrets: db.prepare<[string, number], SecretRow>(
        `SELECT sealed, expires_at FROM endpoint_secrets WHERE endpoint_id = ? AND (expires_at IS NULL OR expires_at > ?)
         ORDER BY expires_at IS NOT NULL, id DESC`,
      ),
      expireCurrent: db.prepare(
        'UPDATE endpoint_secrets SET expires_at = ? WHERE endpoint_id = ? AND expires_at IS NULL',
      ),
      dropExpired: db.prepare(
        'DELETE FROM endpoint_secrets WHERE endpoint_id = ? AND expires_at IS NOT NULL AND expires_at <= ?',
      ),
      resetFailures: db.prepare<[string], { id: string }>(
        'UPDATE endpoints SET consecutive_failures = 0 WHERE id = ? AND consecutive_failures <> 0 RETURNING id',
      ),
      countFailure: db.prepare<[string], FailureCount>(
        `UPDATE endpoints SET consecutive_failures = consecutive_failures + 1 WHERE id = ?
         RETURNING consecutive_failures, enabled, deleted_at, url, disabled_by, kind, auto_disable_threshold`,
      ),
      disable: db.prepare<[string, string, number, string]>(
        'UPDATE endpoints SET enabled = 0, disabled_reason = ?, disabled_by = ?, updated_at = ? WHERE id = ?',
      ),
      enable: db.prepare<[number, string]>(
        `UPDATE endpoints SET enabled = 1, disabled_reason = NULL, disabled_by = NULL, consecutive_failures = 0,
           updated_at = ? WHERE id = ?`,
      ),
      softDelete: db.prepare<[number, number, string]>(
        'UPDATE endpoints SET deleted_at = ?, enabled = 0, updated_at = ? WHERE id = ?',
      ),
      recentAttempts: db.prepare<[string], { succeeded: number; duration_ms: number }>(
        'SELECT succeeded, duration_ms FROM attempts WHERE endpoint_id = ? ORDER BY id DESC LIMIT 100',
      ),
      waiting: db.prepare<[string], { status: string; n: number }>(
        `SELECT status, COUNT(*) AS n FROM deliveries WHERE endpoint_id = ? AND status IN ('pending', 'paused')
         GROUP BY status`,
      ),
    };
  }

  create(input: z.output<typeof EndpointCreateInput>): EndpointWithSecret {
    const now = this.clock.now();
    const { id, secret, values } = newEndpoint(input, now);
    guardStorage(() =>
      this.db.transaction(() => {
        this.q.insert.run(values);
        this.q.insertSecret.run(id, this.box.seal(secret), now);
      })(),
    );
    this.invalidate(id);
    return { ...this.get(id), secret };
  }

  /** A live (not deleted) endpoint's row, or not_found. */
  row(id: string): EndpointRow {
    const row = this.q.row.get(id);
    if (!row || row.deleted_at !== null || row.kind === 'system') throw notFound('endpoint', id);
    return row;
  }

  /** Any endpoint's row, deleted ones included (deliveries keep pointing at them). */
  rowAny(id: string): EndpointRow | undefined {
    return this.q.row.get(id);
  }

  get(id: string): Endpoint {
    const row = this.row(id);
    return toEndpoint(row, this.stats(row));
  }

  list(enabled?: boolean): Endpoint[] {
    return this.q.live
      .all()
      .filter((r) => enabled === undefined || (r.enabled === 1) === enabled)
      .map((r) => toEndpoint(r, this.stats(r)));
  }

  update(input: z.output<typeof EndpointUpdateInput>): Endpoint {
    const cur = this.row(input.id);
    const scheme = input.scheme ?? cur.scheme;
    const cols = updateColumns(input);
    // an empty patch changes nothing, updatedAt included
    if (cols.length === 0) return this.get(input.id);
    const now = this.clock.now();
    cols.push(['updated_at', now]);
    const sets = cols.map(([col]) => `${col} = ?`);
    const args = cols.map(([, v]) => v);
    guardStorage(() =>
      this.db.transaction(() => {
        this.db.prepare(`UPDATE endpoints SET ${sets.join(', ')} WHERE id = ?`).run(...args, input.id);
        // the fresh secret is revealed by endpoints.secret
        if (needsFreshSecret(cur.scheme, scheme, this.signingSecrets(input.id))) {
          this.q.expireCurrent.run(now, input.id);
          this.q.dropExpired.run(input.id, now);
          this.q.insertSecret.run(input.id, this.box.seal(getScheme(scheme).generateSecret()), now);
        }
      })(),
    );
    this.invalidate(input.id);
    return this.get(input.id);
  }

  /** Replaces the current secret; the previous one signs until now + graceSeconds (0 = revoked now). */
  rotate(id: string, graceSeconds: number | undefined, secret?: string): string {
    const row = this.row(id);
    const next = secret ?? getScheme(row.scheme).generateSecret();
    const grace = rotation(row.scheme, next, this.signingSecrets(id), graceSeconds);
    const now = this.clock.now();
    guardStorage(() =>
      this.db.transaction(() => {
        this.q.expireCurrent.run(now + grace * 1000, id);
        this.q.dropExpired.run(id, now);
        this.q.insertSecret.run(id, this.box.seal(next), now);
        this.db.prepare('UPDATE endpoints SET updated_at = ? WHERE id = ?').run(now, id);
      })(),
    );
    this.invalidate(id);
    return next;
  }

  secretInfo(id: string): SecretInfo {
    this.row(id);
    return secretInfoFrom(this.box, id, this.q.secrets.all(id, this.clock.now()));
  }

  signingSecrets(id: string): string[] {
    return openAll(this.box, this.q.secrets.all(id, this.clock.now())).secrets;
  }

  scheme(id: string): SchemeName {
    return this.row(id).scheme;
  }

  stats(row: EndpointRow): EndpointStats {
    return endpointStats(row, this.q.recentAttempts.all(row.id), this.q.waiting.all(row.id));
  }

  /**
   * Live endpoints whose filters accept the type (optionally only among `only`): enabled ones, and auto-disabled ones
   * marked paused. An endpoint a person disabled gets nothing.
   */
  matching(type: string, only?: readonly string[]): MatchedEndpoint[] {
    this.active ??= this.q.active.all().flatMap((r) => activeEndpoint(r) ?? []);
    return matchActive(this.active, type, only);
  }

  /**
   * The system endpoint follows settings.notificationUrl: created or re-pointed when it is set, disabled when it is
   * cleared (its waiting events are paused by the caller, kept for when a URL is set again).
   */
  syncSystem(url: string | null): void {
    const now = this.clock.now();
    this.q.system.run(SYSTEM_ENDPOINT_ID, url ?? 'http://127.0.0.1/', url ? 1 : 0, now, now);
    this.invalidate(SYSTEM_ENDPOINT_ID);
  }

  /** The dispatcher's view of an endpoint, cached until the endpoint changes or a grace period ends. */
  target(id: string): DispatchTarget | null {
    const now = this.clock.now();
    const hit = this.targets.get(id);
    if (hit && hit.validUntil > now) return hit;
    const row = this.q.row.get(id);
    if (!row) return null;
    const secrets: SecretRow[] = row.kind === 'system' ? [] : this.q.secrets.all(id, now);
    const t = dispatchTarget(row, secrets, this.box, this.systemSecret);
    this.targets.set(id, t);
    return t;
  }

  /** A success: the failure counter back to 0; true when it was not 0 already. */
  resetFailures(id: string): boolean {
    return this.q.resetFailures.get(id) !== undefined;
  }

  /** A failed attempt: one more consecutive failure (undefined when the endpoint row is gone). */
  countFailure(id: string): FailureCount | undefined {
    return this.q.countFailure.get(id);
  }

  /** Inside a transaction with its deliveries' pause; the caller invalidates once committed. */
  markDisabled(id: string, reason: string, by: 'manual' | 'auto', now: number): void {
    this.q.disable.run(reason, by, now, id);
  }

  /** Inside a transaction with its deliveries' resume; also resets the failure counter. */
  markEnabled(id: string, now: number): void {
    this.q.enable.run(now, id);
  }

  /** Soft delete, inside a transaction with its deliveries' cancel: history stays. */
  markDeleted(id: string, now: number): void {
    this.q.softDelete.run(now, now, id);
  }

  /** Forget cached views after any write to an endpoint (also after an auto-disable). */
  invalidate(id?: string): void {
    if (id === undefined) this.targets.clear();
    else this.targets.delete(id);
    this.active = null;
  }
}
