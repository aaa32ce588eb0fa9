// Endpoint storage: rows, secrets (sealed at rest), stats, and the caches the hot paths read
// (the fan-out's subscription list and the dispatcher's per-endpoint target). Every write here invalidates them.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import {
  type Endpoint,
  type EndpointCreateInput,
  type EndpointStats,
  type EndpointUpdateInput,
  type EndpointWithSecret,
  HookbenchError,
  notFound,
  type SchemeName,
  subscribes,
} from '../../../shared';
import type { EndpointRepository } from '../context';
import { getScheme } from '../signing';
import type { Clock, SecretBox } from '../types';
import { type EndpointRow, median, toEndpoint } from './endpoint-rows';
import { guardStorage, iso } from './util';

/** What the dispatcher needs for one attempt, cached per endpoint. */
export interface DispatchTarget {
  id: string;
  url: string;
  scheme: SchemeName;
  headers: Record<string, string>;
  timeoutMs: number;
  rateLimitPerSec: number | null;
  enabled: boolean;
  deleted: boolean;
  /** who disabled it, while disabled */
  disabledBy: 'manual' | 'auto' | null;
  /** the operational notification endpoint (never auto-disabled) */
  system: boolean;
  /** decrypted signing secrets, current first (those this key cannot open are left out) */
  secrets: string[];
  /** the current secret cannot be opened (sealed under another key): why, for the attempt's error; else null */
  secretsError: string | null;
  /** the cache entry is stale after this (the earliest grace-period expiry) */
  validUntil: number;
}

type SecretRow = { sealed: string; expires_at: number | null };

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
}

/** An endpoint a fired event goes to: now, or paused until it is enabled again (auto-disabled). */
export interface MatchedEndpoint {
  id: string;
  /** auto-disabled: the delivery is stored paused and goes out on re-enable */
  paused: boolean;
}

export class EndpointStore implements EndpointRepository {
  private readonly targets = new Map<string, DispatchTarget>();
  private active: Array<{ id: string; filters: string[]; paused: boolean }> | null = null;
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
      active: db.prepare<[], { id: string; event_types: string; enabled: number }>(
        `SELECT id, event_types, enabled FROM endpoints
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
        `INSERT INTO endpoints (id, url, description, event_types, enabled, scheme, headers, timeout_ms,
           rate_limit_per_sec, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
         RETURNING consecutive_failures, enabled, deleted_at, url, disabled_by, kind`,
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
    const secret = input.secret ?? getScheme(input.scheme).generateSecret();
    assertSecretFits(input.scheme, secret);
    const id = randomUUID();
    const now = this.clock.now();
    guardStorage(() =>
      this.db.transaction(() => {
        this.q.insert.run(
          id,
          input.url,
          input.description,
          JSON.stringify(input.eventTypes.length > 0 ? input.eventTypes : ['*']),
          input.enabled ? 1 : 0,
          input.scheme,
          JSON.stringify(input.headers),
          input.timeoutMs,
          input.rateLimitPerSec,
          now,
          now,
        );
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
    const sets: string[] = [];
    const args: unknown[] = [];
    const set = (col: string, v: unknown) => {
      sets.push(`${col} = ?`);
      args.push(v);
    };
    if (input.url !== undefined) set('url', input.url);
    if (input.description !== undefined) set('description', input.description);
    if (input.eventTypes !== undefined)
      set('event_types', JSON.stringify(input.eventTypes.length > 0 ? input.eventTypes : ['*']));
    if (input.scheme !== undefined) set('scheme', input.scheme);
    if (input.headers !== undefined) set('headers', JSON.stringify(input.headers));
    if (input.timeoutMs !== undefined) set('timeout_ms', input.timeoutMs);
    if (input.rateLimitPerSec !== undefined) set('rate_limit_per_sec', input.rateLimitPerSec);
    const now = this.clock.now();
    set('updated_at', now);
    guardStorage(() =>
      this.db.transaction(() => {
        this.db.prepare(`UPDATE endpoints SET ${sets.join(', ')} WHERE id = ?`).run(...args, input.id);
        // A secret of one scheme may not sign under another (GitHub's base64url is not a whsec_ key):
        // such an endpoint gets a fresh secret of its new scheme, revealed by endpoints.secret.
        if (scheme !== cur.scheme && !this.signingSecrets(input.id).every((s) => secretFits(scheme, s))) {
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
  rotate(id: string, graceSeconds: number, secret?: string): string {
    const row = this.row(id);
    const next = secret ?? getScheme(row.scheme).generateSecret();
    assertSecretFits(row.scheme, next);
    const now = this.clock.now();
    guardStorage(() =>
      this.db.transaction(() => {
        this.q.expireCurrent.run(now + graceSeconds * 1000, id);
        this.q.dropExpired.run(id, now);
        this.q.insertSecret.run(id, this.box.seal(next), now);
        this.db.prepare('UPDATE endpoints SET updated_at = ? WHERE id = ?').run(now, id);
      })(),
    );
    this.invalidate(id);
    return next;
  }

  secretInfo(id: string): { secret: string; previous: Array<{ secret: string; expiresAt: string }> } {
    this.row(id);
    const rows = this.q.secrets.all(id, this.clock.now());
    const current = rows.find((r) => r.expires_at === null);
    if (!current) throw new HookbenchError('internal', `endpoint ${id} has no current secret`);
    return {
      secret: this.box.open(current.sealed),
      // a grace-period secret sealed under another key no longer signs (openAll): not shown either
      previous: rows
        .filter((r) => r.expires_at !== null)
        .flatMap((r) => {
          const [secret] = this.openAll([{ ...r, expires_at: 0 }]).secrets;
          return secret === undefined ? [] : [{ secret, expiresAt: iso(r.expires_at as number) }];
        }),
    };
  }

  signingSecrets(id: string): string[] {
    return this.openAll(this.q.secrets.all(id, this.clock.now())).secrets;
  }

  /**
   * Opens what this key can open. A grace-period secret sealed under another key is skipped (the new one signs);
   * a current one that cannot be opened is reported, so its attempts fail saying so until it is rotated.
   */
  private openAll(rows: SecretRow[]): { secrets: string[]; error: string | null } {
    const secrets: string[] = [];
    let error: string | null = null;
    for (const r of rows) {
      try {
        secrets.push(this.box.open(r.sealed));
      } catch (err) {
        if (r.expires_at === null) error = err instanceof Error ? err.message : String(err);
      }
    }
    return { secrets: error === null ? secrets : [], error };
  }

  scheme(id: string): SchemeName {
    return this.row(id).scheme;
  }

  stats(row: EndpointRow): EndpointStats {
    const recent = this.q.recentAttempts.all(row.id);
    const ok = recent.filter((a) => a.succeeded === 1).length;
    const waiting = this.q.waiting.all(row.id);
    return {
      recentAttempts: recent.length,
      successRate: recent.length > 0 ? ok / recent.length : null,
      p50Ms: median(recent.map((a) => a.duration_ms)),
      consecutiveFailures: row.consecutive_failures,
      pausedDeliveries: waiting.find((w) => w.status === 'paused')?.n ?? 0,
      pendingDeliveries: waiting.find((w) => w.status === 'pending')?.n ?? 0,
    };
  }

  /**
   * Live endpoints whose filters accept the type (optionally only among `only`): enabled ones, and auto-disabled ones
   * marked paused. An endpoint a person disabled gets nothing.
   */
  matching(type: string, only?: readonly string[]): MatchedEndpoint[] {
    if (!this.active) {
      this.active = this.q.active.all().map((r) => ({
        id: r.id,
        filters: JSON.parse(r.event_types) as string[],
        paused: r.enabled !== 1,
      }));
    }
    const restrict = only ? new Set(only) : null;
    return this.active
      .filter((e) => (!restrict || restrict.has(e.id)) && subscribes(e.filters, type))
      .map((e) => ({ id: e.id, paused: e.paused }));
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
    const system = row.kind === 'system';
    // the system endpoint signs with the operational secret the consumer configured (settings.notificationSecret)
    const secrets: SecretRow[] = system ? [] : this.q.secrets.all(id, now);
    const expiries = secrets.map((s) => s.expires_at).filter((e): e is number => e !== null);
    const opened = this.openAll(secrets);
    const t: DispatchTarget = {
      id,
      url: row.url,
      scheme: row.scheme,
      headers: JSON.parse(row.headers) as Record<string, string>,
      timeoutMs: row.timeout_ms,
      rateLimitPerSec: row.rate_limit_per_sec,
      enabled: row.enabled === 1,
      deleted: row.deleted_at !== null,
      disabledBy: row.enabled === 1 ? null : row.disabled_by,
      system,
      secrets: system ? [this.systemSecret()] : opened.secrets,
      secretsError: system ? null : opened.error,
      validUntil: expiries.length > 0 ? Math.min(...expiries) : Number.POSITIVE_INFINITY,
    };
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

function secretFits(scheme: SchemeName, secret: string): boolean {
  try {
    getScheme(scheme).sign({
      msgId: 'probe',
      timestamp: 0,
      body: '',
      secrets: [secret],
      eventType: 'probe',
      endpointId: 'probe',
    });
    return true;
  } catch {
    return false;
  }
}

export function assertSecretFits(scheme: SchemeName, secret: string): void {
  if (!secretFits(scheme, secret)) {
    throw new HookbenchError('invalid_input', `the secret is not valid for the ${scheme} scheme`, [
      { path: ['secret'], message: scheme === 'standard' ? 'must be whsec_ + base64' : 'not a valid secret' },
    ]);
  }
}
