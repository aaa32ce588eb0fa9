// The delivery state machine on PostgreSQL: the async twin of DeliveryStates (delivery/state.ts), same methods,
// arguments and row shapes, WHERE clauses from the same TRANSITIONS table. With this and state.ts, these are the
// only places that write deliveries.status.
// Many processes share one queue here: a claim locks the rows it takes with FOR UPDATE SKIP LOCKED, so two
// processes claiming one endpoint at once take disjoint rows and neither waits for the other. Under READ COMMITTED
// a row another process claimed after this statement's snapshot is re-checked when locked (its status is no
// longer 'pending'), so it is never taken twice. Fencing by lease_seq is as in SQLite.
import type { DeliveryStatus, PausedReason } from '../../../../shared';
import type { ClaimedRow, DeliveryState } from '../../delivery/queue';
import { FINISH_TRANSITION, type Finish, fromClause, type NewDelivery, transition } from '../../delivery/state';
import type { DeliveryFence, DeliveryStateStore } from '../../delivery/state-store';
import type { Queryable } from './pool';

const STATE = 'id, event_id, endpoint_id, status, attempt_count, last_status';
const CLAIMED = 'id, event_id, endpoint_id, attempt_count, max_attempts, lease_until, lease_seq, last_status';

// The due rows are chosen and locked first (MATERIALIZED: the locking SELECT runs exactly once, whatever plan the
// UPDATE gets), then leased; returned in due order.
const CLAIM = `
  WITH due AS MATERIALIZED (
    SELECT id, next_attempt_at FROM deliveries
    WHERE status = 'pending' AND endpoint_id = $3 AND next_attempt_at <= $4
    ORDER BY next_attempt_at LIMIT $5 FOR UPDATE SKIP LOCKED
  ), claimed AS (
    UPDATE deliveries SET status = 'sending', updated_at = $1, lease_until = $2, lease_seq = lease_seq + 1
    FROM due WHERE deliveries.id = due.id AND ${fromClause('claim')}
    RETURNING ${CLAIMED.split(', ')
      .map((c) => `deliveries.${c}`)
      .join(', ')}, due.next_attempt_at AS due_at
  )
  SELECT ${CLAIMED} FROM claimed ORDER BY due_at, id`;

const SQL = {
  insert: `INSERT INTO deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, max_attempts,
      next_attempt_at, lease_until, lease_seq, paused_reason, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8, $9, $10, $11, $12)`,
  fence: 'SELECT status, lease_seq, attempt_count FROM deliveries WHERE id = $1',
  countAttempt:
    'UPDATE deliveries SET attempt_count = attempt_count + 1, updated_at = $1 WHERE id = $2 RETURNING attempt_count',
  release: `UPDATE deliveries SET status = 'pending', lease_until = NULL, next_attempt_at = $1, updated_at = $2
    WHERE id = $3 AND lease_seq = $4 AND ${fromClause('release')} RETURNING ${STATE}`,
  hold: `UPDATE deliveries SET status = $1, paused_reason = $2, lease_until = NULL, next_attempt_at = NULL,
      updated_at = $3 WHERE id = $4 AND lease_seq = $5 AND ${fromClause('hold')} RETURNING ${STATE}`,
  renew: `UPDATE deliveries SET lease_until = $1 WHERE id = $2 AND lease_seq = $3 AND status = 'sending'`,
  expire: `UPDATE deliveries SET status = 'pending', lease_until = NULL, next_attempt_at = $1
    WHERE ${fromClause('expire')} AND lease_until <= $1 AND id <> ALL($2::text[]) RETURNING ${STATE}`,
  expireAll: `UPDATE deliveries SET status = 'pending', lease_until = NULL, next_attempt_at = $1
    WHERE ${fromClause('expire')} RETURNING ${STATE}`,
  pause: `UPDATE deliveries SET status = 'paused', paused_reason = $1, next_attempt_at = NULL, updated_at = $2
    WHERE endpoint_id = $3 AND ${fromClause('pause')} RETURNING ${STATE}`,
  resume: `UPDATE deliveries SET status = 'pending', paused_reason = NULL, next_attempt_at = $1, updated_at = $1
    WHERE endpoint_id = $2 AND ${fromClause('resume')} RETURNING ${STATE}`,
  cancelEndpoint: `UPDATE deliveries SET status = 'cancelled', paused_reason = NULL, next_attempt_at = NULL,
      updated_at = $1 WHERE endpoint_id = $2 AND ${fromClause('cancel')} RETURNING ${STATE}`,
  cancel: `UPDATE deliveries SET status = 'cancelled', paused_reason = NULL, next_attempt_at = NULL, updated_at = $1
    WHERE id = $2 AND ${fromClause('cancel')} RETURNING ${STATE}`,
  hurry: `UPDATE deliveries SET next_attempt_at = $1, updated_at = $1 WHERE id = $2 AND ${fromClause('hurry')}
    RETURNING ${STATE}`,
  reopen: `UPDATE deliveries SET status = $1, paused_reason = $2, next_attempt_at = $3,
      max_attempts = attempt_count + 1, lease_until = NULL, updated_at = $4
    WHERE id = $5 AND ${fromClause('reopen')} RETURNING ${STATE}`,
} as const;

/** finish's statement per outcome: the fence, and the from-list of that outcome's transition. */
const FINISH = Object.fromEntries(
  Object.entries(FINISH_TRANSITION).map(([status, t]) => [
    status,
    `UPDATE deliveries SET status = $1, attempt_count = $2, next_attempt_at = $3, lease_until = NULL,
       last_status = $4, last_duration_ms = $5, last_error = $6, paused_reason = $7, updated_at = $8
     WHERE id = $9 AND lease_seq = $10 AND attempt_count = $11 AND ${fromClause(t)}`,
  ]),
) as Record<Finish['status'], string>;

export class PgDeliveryStates implements DeliveryStateStore {
  /** `db`: a pool from openPgPool (its int8 parser makes times numbers), or one of its clients in a transaction */
  constructor(private readonly db: Queryable) {}

  async insert(d: NewDelivery): Promise<DeliveryStatus> {
    const status: DeliveryStatus = d.pausedReason ? 'paused' : d.leaseUntil === null ? 'pending' : 'sending';
    await this.db.query(SQL.insert, [
      d.id,
      d.eventId,
      d.endpointId,
      d.eventType,
      status,
      d.maxAttempts,
      status === 'pending' ? d.now : null,
      status === 'sending' ? d.leaseUntil : null,
      status === 'sending' ? 1 : 0,
      d.pausedReason ?? null,
      d.now,
      d.now,
    ]);
    return status;
  }

  async claim(endpointId: string, now: number, leaseUntil: number, limit: number): Promise<ClaimedRow[]> {
    return (await this.db.query<ClaimedRow>(CLAIM, [now, leaseUntil, endpointId, now, limit])).rows;
  }

  async finish(f: Finish): Promise<number | null> {
    if (transition('sending', FINISH_TRANSITION[f.status], f.status) === null) return null;
    const number = f.attemptCount + 1;
    const { rowCount } = await this.db.query(FINISH[f.status], [
      f.status,
      number,
      f.nextAt,
      f.lastStatus,
      f.durationMs,
      f.error,
      f.status === 'paused' ? f.pausedReason : null,
      f.now,
      f.id,
      f.leaseSeq,
      f.attemptCount,
    ]);
    return rowCount === 1 ? number : null;
  }

  async fence(id: string): Promise<DeliveryFence | null> {
    const r = (
      await this.db.query<{ status: DeliveryStatus; lease_seq: number; attempt_count: number }>(SQL.fence, [id])
    ).rows[0];
    return r ? { status: r.status, leaseSeq: r.lease_seq, attemptCount: r.attempt_count } : null;
  }

  async countSuperseded(id: string, now: number): Promise<number | null> {
    return (await this.db.query<{ attempt_count: number }>(SQL.countAttempt, [now, id])).rows[0]?.attempt_count ?? null;
  }

  async release(id: string, leaseSeq: number, at: number, now: number): Promise<DeliveryState | undefined> {
    return this.one(SQL.release, [at, now, id, leaseSeq]);
  }

  async hold(
    id: string,
    leaseSeq: number,
    status: 'paused' | 'cancelled',
    reason: PausedReason | null,
    now: number,
  ): Promise<DeliveryState | undefined> {
    return this.one(SQL.hold, [status, status === 'paused' ? reason : null, now, id, leaseSeq]);
  }

  async renew(id: string, leaseSeq: number, until: number): Promise<boolean> {
    return (await this.db.query(SQL.renew, [until, id, leaseSeq])).rowCount === 1;
  }

  async expire(now: number, held: readonly string[]): Promise<DeliveryState[]> {
    return this.all(SQL.expire, [now, [...held]]);
  }

  async expireAll(now: number): Promise<DeliveryState[]> {
    return this.all(SQL.expireAll, [now]);
  }

  async pauseEndpoint(endpointId: string, reason: PausedReason, now: number): Promise<DeliveryState[]> {
    return this.all(SQL.pause, [reason, now, endpointId]);
  }

  async resumeEndpoint(endpointId: string, now: number): Promise<DeliveryState[]> {
    return this.all(SQL.resume, [now, endpointId]);
  }

  async cancelEndpoint(endpointId: string, now: number): Promise<DeliveryState[]> {
    return this.all(SQL.cancelEndpoint, [now, endpointId]);
  }

  async cancel(id: string, now: number): Promise<DeliveryState | undefined> {
    return this.one(SQL.cancel, [now, id]);
  }

  async hurry(id: string, now: number): Promise<DeliveryState | undefined> {
    return this.one(SQL.hurry, [now, id]);
  }

  async reopen(
    id: string,
    to: 'pending' | 'paused',
    reason: PausedReason | null,
    now: number,
  ): Promise<DeliveryState | undefined> {
    return this.one(SQL.reopen, [to, to === 'paused' ? reason : null, to === 'pending' ? now : null, now, id]);
  }

  /**
   * reopen every failed delivery matching `where` (conditions over deliveries' columns, from pgFilterSql, with
   * `args` bound to $1..$n): pending when its endpoint is enabled, else paused; as DeliveryStates.reopenFailed.
   */
  async reopenFailed(where: readonly string[], args: readonly unknown[], now: number): Promise<DeliveryState[]> {
    const at = `$${args.length + 1}`;
    const ep = '(SELECT e.enabled FROM endpoints e WHERE e.id = deliveries.endpoint_id)';
    const reason = `(SELECT CASE e.disabled_by WHEN 'auto' THEN 'endpoint_auto_disabled' ELSE 'endpoint_disabled' END
      FROM endpoints e WHERE e.id = deliveries.endpoint_id)`;
    const sql = `UPDATE deliveries SET
        status = CASE WHEN ${ep} = 1 THEN 'pending' ELSE 'paused' END,
        paused_reason = CASE WHEN ${ep} = 1 THEN NULL ELSE ${reason} END,
        next_attempt_at = CASE WHEN ${ep} = 1 THEN ${at}::bigint ELSE NULL END,
        max_attempts = attempt_count + 1, lease_until = NULL, updated_at = ${at}
      WHERE status = 'failed' AND ${fromClause('reopen')}
        AND endpoint_id IN (SELECT id FROM endpoints WHERE deleted_at IS NULL)
        ${where.map((w) => `AND ${w}`).join(' ')} RETURNING ${STATE}`;
    return this.all(sql, [...args, now]);
  }

  private async one(sql: string, values: unknown[]): Promise<DeliveryState | undefined> {
    return (await this.db.query<DeliveryState>(sql, values)).rows[0];
  }

  private async all(sql: string, values: unknown[]): Promise<DeliveryState[]> {
    return (await this.db.query<DeliveryState>(sql, values)).rows;
  }
}
