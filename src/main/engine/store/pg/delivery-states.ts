// The delivery state machine on PostgreSQL: the async twin of DeliveryStates (delivery/state.ts), same methods,
// arguments and row shapes, WHERE clauses from the same TRANSITIONS table. With this and state.ts, these are the
// only places that write deliveries.status.
// Many processes share one queue here: a claim locks the rows it takes with FOR UPDATE SKIP LOCKED, so two
// processes claiming one endpoint at once take disjoint rows and neither waits for the other. Under READ COMMITTED
// a row another process claimed after this statement's snapshot is re-checked when locked (its status is no
// longer 'pending'), so it is never taken twice. Fencing by lease_seq is as in SQLite.
import type { DeliveryStatus, PausedReason } from '../../../../shared';
import type { ClaimedRow, DeliveryState } from '../../delivery/queue';
import {
  createdRow,
  FINISH_TRANSITION,
  type Finish,
  fromClause,
  type NewDelivery,
  RETRYABLE,
  transition,
} from '../../delivery/state';
import type { DeliveryFence, DeliveryStateStore } from '../../delivery/state-store';
import type { Queryable } from './pool';

const STATE = 'id, event_id, endpoint_id, status, attempt_count, max_attempts, last_status';
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

/** insert, for arrays of rows (one element per delivery). */
const INSERT_MANY = `INSERT INTO deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, max_attempts,
    next_attempt_at, lease_until, lease_seq, paused_reason, created_at, updated_at)
  SELECT id, event_id, endpoint_id, event_type, status, 0, max_attempts, next_attempt_at, lease_until, lease_seq,
    paused_reason, created_at, created_at
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bigint[], $8::bigint[],
    $9::int[], $10::text[], $11::bigint[])
    AS d(id, event_id, endpoint_id, event_type, status, max_attempts, next_attempt_at, lease_until, lease_seq,
      paused_reason, created_at)`;

/**
 * finish, for arrays of outcomes. Every finish transition leaves 'sending' (the table's from-list, asserted per
 * outcome in finishMany); the fence is the claim's lease_seq and attempt count, as in FINISH.
 */
const FINISH_MANY = `UPDATE deliveries SET status = o.status, attempt_count = o.attempt_count + 1,
    next_attempt_at = o.next_at, lease_until = NULL, last_status = o.last_status, last_duration_ms = o.duration_ms,
    last_error = o.error, paused_reason = o.paused_reason, updated_at = o.now
  FROM unnest($1::text[], $2::int[], $3::int[], $4::text[], $5::bigint[], $6::int[], $7::float8[], $8::text[],
    $9::text[], $10::bigint[])
    AS o(id, lease_seq, attempt_count, status, next_at, last_status, duration_ms, error, paused_reason, now)
  WHERE deliveries.id = o.id AND deliveries.lease_seq = o.lease_seq AND deliveries.attempt_count = o.attempt_count
    AND ${fromClause('succeed').replaceAll('status', 'deliveries.status')}
  RETURNING deliveries.id`;

// FINISH_MANY serves every finish transition with one from-list: true of the table today, and checked at load.
for (const t of Object.values(FINISH_TRANSITION)) {
  if (fromClause(t) !== fromClause('succeed')) throw new Error(`finish transition ${t} leaves other states`);
}

export class PgDeliveryStates implements DeliveryStateStore {
  /** `db`: a pool from openPgPool (its int8 parser makes times numbers), or one of its clients in a transaction */
  constructor(private readonly db: Queryable) {}

  async insert(d: NewDelivery): Promise<DeliveryStatus> {
    const row = createdRow(d);
    await this.db.query(SQL.insert, [
      d.id,
      d.eventId,
      d.endpointId,
      d.eventType,
      row.status,
      d.maxAttempts,
      row.nextAttemptAt,
      row.leaseUntil,
      row.leaseSeq,
      d.pausedReason ?? null,
      d.now,
      d.now,
    ]);
    return row.status;
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
   * create for a batch (a pass's new events) in one statement; each row's status as `insert` would give it.
   * Returns the statuses in input order.
   */
  async insertMany(ds: readonly NewDelivery[]): Promise<DeliveryStatus[]> {
    if (ds.length === 0) return [];
    const rows = ds.map(createdRow);
    const status = rows.map((r) => r.status);
    await this.db.query(INSERT_MANY, [
      ds.map((d) => d.id),
      ds.map((d) => d.eventId),
      ds.map((d) => d.endpointId),
      ds.map((d) => d.eventType),
      status,
      ds.map((d) => d.maxAttempts),
      rows.map((r) => r.nextAttemptAt),
      rows.map((r) => r.leaseUntil),
      rows.map((r) => r.leaseSeq),
      ds.map((d) => d.pausedReason ?? null),
      ds.map((d) => d.now),
    ]);
    return status;
  }

  /**
   * finish for a batch of outcomes in one statement, each fenced as `finish` is (its claim's lease_seq and attempt
   * count, still 'sending'). Returns, in input order, the attempt's number for each row that moved, else null (the
   * caller reads its fence, as Outcomes does for SQLite).
   */
  async finishMany(fs: readonly Finish[]): Promise<Array<number | null>> {
    const allowed = fs.filter((f) => transition('sending', FINISH_TRANSITION[f.status], f.status) !== null);
    if (allowed.length === 0) return fs.map(() => null);
    const { rows } = await this.db.query<{ id: string }>(FINISH_MANY, [
      allowed.map((f) => f.id),
      allowed.map((f) => f.leaseSeq),
      allowed.map((f) => f.attemptCount),
      allowed.map((f) => f.status),
      allowed.map((f) => f.nextAt),
      allowed.map((f) => f.lastStatus),
      allowed.map((f) => f.durationMs),
      allowed.map((f) => f.error),
      allowed.map((f) => (f.status === 'paused' ? f.pausedReason : null)),
      allowed.map((f) => f.now),
    ]);
    const moved = new Set(rows.map((r) => r.id));
    return fs.map((f) => (moved.has(f.id) && allowed.includes(f) ? f.attemptCount + 1 : null));
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
      WHERE ${RETRYABLE} AND ${fromClause('reopen')} ${where.map((w) => `AND ${w}`).join(' ')} RETURNING ${STATE}`;
    return this.all(sql, [...args, now]);
  }

  private async one(sql: string, values: unknown[]): Promise<DeliveryState | undefined> {
    return (await this.db.query<DeliveryState>(sql, values)).rows[0];
  }

  private async all(sql: string, values: unknown[]): Promise<DeliveryState[]> {
    return (await this.db.query<DeliveryState>(sql, values)).rows;
  }
}
