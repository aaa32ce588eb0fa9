// Endpoint storage on PostgreSQL: the async twin of SQLite's EndpointStore (db/endpoints.ts), same SQL semantics and
// the same shared logic (db/endpoint-logic.ts); secrets are sealed by the same SecretBox, so a row sealed by one
// store (or process) opens in any other with the key. target() and matching() answer from PgEndpointCache: call
// load() once before use; each write here reloads the endpoint it changed before it resolves; refresh(id) is for
// changes made by another process.
import type pg from 'pg';
import type { z } from 'zod';
import {
  type Endpoint,
  type EndpointCreateInput,
  type EndpointStats,
  type EndpointUpdateInput,
  type EndpointWithSecret,
  notFound,
  type SchemeName,
} from '../../../../shared';
import {
  type DispatchTarget,
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
} from '../../db/endpoint-logic';
import { type EndpointRow, toEndpoint } from '../../db/endpoint-rows';
import { SYSTEM_ENDPOINT_ID } from '../../db/endpoints';
import { getScheme } from '../../signing';
import type { Clock, Logger, SecretBox } from '../../types';
import type { EndpointStorePort, SecretInfo } from '../endpoint-ports';
import { PgEndpointCache } from './endpoint-cache';
import { inTransaction } from './in-transaction';
import type { Queryable } from './pool';

const SQL = {
  row: 'SELECT * FROM endpoints WHERE id = $1',
  live: `SELECT * FROM endpoints WHERE deleted_at IS NULL AND kind = 'user' ORDER BY created_at, id COLLATE "C"`,
  system: `INSERT INTO endpoints (id, url, description, event_types, enabled, kind, scheme, headers, timeout_ms,
      created_at, updated_at) VALUES ($1, $2, 'Operational events (settings.notificationUrl)', '[]', $3, 'system',
      'standard', '{}', 10000, $4, $5)
    ON CONFLICT (id) DO UPDATE SET url = excluded.url, enabled = excluded.enabled,
      disabled_by = CASE WHEN excluded.enabled = 1 THEN NULL ELSE 'manual' END, updated_at = excluded.updated_at`,
  insert: `INSERT INTO endpoints (${ENDPOINT_INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
    $12, $13)`,
  insertSecret: 'INSERT INTO endpoint_secrets (endpoint_id, sealed, created_at, expires_at) VALUES ($1, $2, $3, NULL)',
  secrets: `SELECT sealed, expires_at FROM endpoint_secrets WHERE endpoint_id = $1
      AND (expires_at IS NULL OR expires_at > $2) ORDER BY expires_at IS NOT NULL, id DESC`,
  expireCurrent: 'UPDATE endpoint_secrets SET expires_at = $1 WHERE endpoint_id = $2 AND expires_at IS NULL',
  dropExpired: 'DELETE FROM endpoint_secrets WHERE endpoint_id = $1 AND expires_at IS NOT NULL AND expires_at <= $2',
  touch: 'UPDATE endpoints SET updated_at = $1 WHERE id = $2',
  disable: 'UPDATE endpoints SET enabled = 0, disabled_reason = $1, disabled_by = $2, updated_at = $3 WHERE id = $4',
  enable: `UPDATE endpoints SET enabled = 1, disabled_reason = NULL, disabled_by = NULL, consecutive_failures = 0,
      updated_at = $1 WHERE id = $2`,
  softDelete: 'UPDATE endpoints SET deleted_at = $1, enabled = 0, updated_at = $1 WHERE id = $2',
  // each endpoint's newest 100 attempts, for several endpoints in one statement
  recentAttempts: `SELECT e.id AS endpoint_id, a.succeeded, a.duration_ms FROM unnest($1::text[]) AS e(id)
      CROSS JOIN LATERAL (SELECT succeeded, duration_ms FROM attempts WHERE endpoint_id = e.id
        ORDER BY id DESC LIMIT 100) a`,
  waiting: `SELECT endpoint_id, status, COUNT(*)::int AS n FROM deliveries
      WHERE endpoint_id = ANY($1::text[]) AND status IN ('pending', 'paused') GROUP BY endpoint_id, status`,
} as const;

export class PgEndpointStore implements EndpointStorePort<Queryable> {
  private readonly cache: PgEndpointCache;

  constructor(
    private readonly pool: pg.Pool,
    private readonly clock: Clock,
    private readonly box: SecretBox,
    /** the operational secret (settings) that signs the system endpoint's events; synchronous (a cached value) */
    systemSecret: () => string,
    log?: Logger,
  ) {
    this.cache = new PgEndpointCache(pool, clock, box, systemSecret, log);
  }

  /** Fills the cache with every live endpoint: before the first target() or matching(). */
  load(): Promise<void> {
    return this.cache.load();
  }

  /** Reads one endpoint (or all) again: another process changed it. */
  refresh(id?: string): Promise<void> {
    return this.cache.refresh(id);
  }

  /** Up to date with every committed endpoint change, other processes' too (endpoint-cache.ts current()). */
  current(): Promise<void> {
    return this.cache.current();
  }

  /** Resolves once the background reloads asked for so far (invalidate, stale targets) have finished. */
  settled(): Promise<void> {
    return this.cache.settled();
  }

  async create(input: z.output<typeof EndpointCreateInput>): Promise<EndpointWithSecret> {
    const now = this.clock.now();
    const { id, secret, values } = newEndpoint(input, now);
    await inTransaction(this.pool, async (c) => {
      await c.query(SQL.insert, values);
      await c.query(SQL.insertSecret, [id, this.box.seal(secret), now]);
    });
    await this.cache.refresh(id);
    return { ...(await this.get(id)), secret };
  }

  async row(id: string): Promise<EndpointRow> {
    const row = await this.rowAny(id);
    if (!row || row.deleted_at !== null || row.kind === 'system') throw notFound('endpoint', id);
    return row;
  }

  async rowAny(id: string): Promise<EndpointRow | undefined> {
    return (await this.pool.query<EndpointRow>(SQL.row, [id])).rows[0];
  }

  async get(id: string): Promise<Endpoint> {
    const row = await this.row(id);
    return toEndpoint(row, await this.stats(row));
  }

  async list(enabled?: boolean): Promise<Endpoint[]> {
    const rows = (await this.pool.query<EndpointRow>(SQL.live)).rows.filter(
      (r) => enabled === undefined || (r.enabled === 1) === enabled,
    );
    const stats = await this.statsOf(rows);
    return rows.map((r, i) => toEndpoint(r, stats[i] as EndpointStats));
  }

  async update(input: z.output<typeof EndpointUpdateInput>): Promise<Endpoint> {
    const cur = await this.row(input.id);
    const scheme = input.scheme ?? cur.scheme;
    const cols = updateColumns(input);
    // an empty patch changes nothing, updatedAt included
    if (cols.length === 0) return await this.get(input.id);
    const now = this.clock.now();
    cols.push(['updated_at', now]);
    const sets = cols.map(([col], i) => `${col} = $${i + 1}`).join(', ');
    await inTransaction(this.pool, async (c) => {
      await c.query(`UPDATE endpoints SET ${sets} WHERE id = $${cols.length + 1}`, [
        ...cols.map(([, v]) => v),
        input.id,
      ]);
      // the fresh secret is revealed by endpoints.secret
      if (needsFreshSecret(cur.scheme, scheme, await this.openedSecrets(c, input.id, now))) {
        await c.query(SQL.expireCurrent, [now, input.id]);
        await c.query(SQL.dropExpired, [input.id, now]);
        await c.query(SQL.insertSecret, [input.id, this.box.seal(getScheme(scheme).generateSecret()), now]);
      }
    });
    await this.cache.refresh(input.id);
    return this.get(input.id);
  }

  async rotate(id: string, graceSeconds: number | undefined, secret?: string): Promise<string> {
    const row = await this.row(id);
    const next = secret ?? getScheme(row.scheme).generateSecret();
    const grace = rotation(row.scheme, next, await this.signingSecrets(id), graceSeconds);
    const now = this.clock.now();
    await inTransaction(this.pool, async (c) => {
      await c.query(SQL.expireCurrent, [now + grace * 1000, id]);
      await c.query(SQL.dropExpired, [id, now]);
      await c.query(SQL.insertSecret, [id, this.box.seal(next), now]);
      await c.query(SQL.touch, [now, id]);
    });
    await this.cache.refresh(id);
    return next;
  }

  async secretInfo(id: string): Promise<SecretInfo> {
    await this.row(id);
    return secretInfoFrom(this.box, id, await this.secretRows(this.pool, id, this.clock.now()));
  }

  signingSecrets(id: string): Promise<string[]> {
    return this.openedSecrets(this.pool, id, this.clock.now());
  }

  async scheme(id: string): Promise<SchemeName> {
    return (await this.row(id)).scheme;
  }

  async stats(row: EndpointRow): Promise<EndpointStats> {
    return (await this.statsOf([row]))[0] as EndpointStats;
  }

  matching(type: string, only?: readonly string[]): MatchedEndpoint[] {
    return matchActive(this.cache.activeEndpoints(), type, only);
  }

  /** With `tx` (the caller's transaction), the caller refreshes the system endpoint once committed. */
  async syncSystem(url: string | null, tx?: Queryable): Promise<void> {
    const now = this.clock.now();
    await (tx ?? this.pool).query(SQL.system, [SYSTEM_ENDPOINT_ID, url ?? 'http://127.0.0.1/', url ? 1 : 0, now, now]);
    if (!tx) await this.cache.refresh(SYSTEM_ENDPOINT_ID);
  }

  target(id: string): DispatchTarget | null {
    return this.cache.target(id);
  }

  loading(id: string): Promise<boolean> | undefined {
    return this.cache.loading(id);
  }

  /** With `tx` (with its deliveries' pause), the caller refreshes the endpoint once committed. */
  async markDisabled(id: string, reason: string, by: 'manual' | 'auto', now: number, tx?: Queryable): Promise<void> {
    await (tx ?? this.pool).query(SQL.disable, [reason, by, now, id]);
    if (!tx) await this.cache.refresh(id);
  }

  /** Also resets the failure counter. With `tx` (with its deliveries' resume), the caller refreshes once committed. */
  async markEnabled(id: string, now: number, tx?: Queryable): Promise<void> {
    await (tx ?? this.pool).query(SQL.enable, [now, id]);
    if (!tx) await this.cache.refresh(id);
  }

  /** Soft delete. With `tx` (with its deliveries' cancel), the caller refreshes once committed. */
  async markDeleted(id: string, now: number, tx?: Queryable): Promise<void> {
    await (tx ?? this.pool).query(SQL.softDelete, [now, id]);
    if (!tx) await this.cache.refresh(id);
  }

  /** Reloads the endpoint (all without id) in the background; settled() or refresh() to wait for it. */
  invalidate(id?: string): void {
    this.cache.schedule(id);
  }

  private async secretRows(db: Queryable, id: string, now: number): Promise<SecretRow[]> {
    return (await db.query<SecretRow>(SQL.secrets, [id, now])).rows;
  }

  private async openedSecrets(db: Queryable, id: string, now: number): Promise<string[]> {
    return openAll(this.box, await this.secretRows(db, id, now)).secrets;
  }

  /** Stats of several endpoints with two statements in all. */
  private async statsOf(rows: EndpointRow[]): Promise<EndpointStats[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [recent, waiting] = await Promise.all([
      this.pool.query<{ endpoint_id: string; succeeded: number; duration_ms: number }>(SQL.recentAttempts, [ids]),
      this.pool.query<{ endpoint_id: string; status: string; n: number }>(SQL.waiting, [ids]),
    ]);
    return rows.map((r) =>
      endpointStats(
        r,
        recent.rows.filter((a) => a.endpoint_id === r.id),
        waiting.rows.filter((w) => w.endpoint_id === r.id),
      ),
    );
  }
}
