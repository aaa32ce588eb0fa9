// The delivery state machine. This module is the only code that changes `deliveries.status` (a test greps the
// engine for status writes elsewhere), with its PostgreSQL twin store/pg/delivery-states.ts built from this table. Each transition below is one prepared statement whose WHERE clause is
// generated from the table, so the SQL cannot allow a move the table does not.
//
//   transition  from                           to                  by
//   create      (new row)                      pending | sending   events.create (sending: leased as written),
//               (new row)                      paused              ... to an auto-disabled endpoint; webhooks.test;
//                                                                  endpoints.replayMissing (pending | paused)
//   claim       pending                        sending             the dispatcher: a lease and a new lease_seq
//   succeed     sending                        succeeded           an attempt's 2xx            } fenced: only while
//   reschedule  sending                        pending             a failure, attempts left    } the claim's
//   exhaust     sending                        failed              a failure, none left        } lease_seq holds
//   hold        sending                        paused | cancelled  endpoint disabled / deleted }
//   release     sending                        pending             no attempt (rate limit, shutdown), fenced
//   expire      sending                        pending             a lease ran out (never one this process holds)
//   pause       pending | paused               paused              its endpoint was disabled (a paused one takes the
//                                                                  new reason: a person's disable after an auto-disable)
//   resume      paused                         pending             its endpoint was enabled
//   cancel      pending | paused               cancelled           a person, or its endpoint deleted
//   hurry       pending                        pending             a person's "retry now" of a waiting delivery
//   reopen      succeeded | failed | cancelled pending | paused    a person's retry: one more attempt
//
// Terminal states (succeeded, failed, cancelled) stay terminal: no engine transition leaves them; only `reopen`,
// a person's explicit retry, does. A late outcome (its lease lost and the delivery claimed again, or settled) is
// kept as an attempt marked superseded and changes no state.
import type Database from 'better-sqlite3';
import type { DeliveryStatus, PausedReason } from '../../../shared';
import type { ClaimedRow, DeliveryState } from './queue';
import type { DeliveryStateStore } from './state-store';

interface Rule {
  readonly from: readonly DeliveryStatus[];
  readonly to: readonly DeliveryStatus[];
}

export const TRANSITIONS = {
  claim: { from: ['pending'], to: ['sending'] },
  succeed: { from: ['sending'], to: ['succeeded'] },
  reschedule: { from: ['sending'], to: ['pending'] },
  exhaust: { from: ['sending'], to: ['failed'] },
  hold: { from: ['sending'], to: ['paused', 'cancelled'] },
  release: { from: ['sending'], to: ['pending'] },
  expire: { from: ['sending'], to: ['pending'] },
  pause: { from: ['pending', 'paused'], to: ['paused'] },
  resume: { from: ['paused'], to: ['pending'] },
  cancel: { from: ['pending', 'paused'], to: ['cancelled'] },
  hurry: { from: ['pending'], to: ['pending'] },
  reopen: { from: ['succeeded', 'failed', 'cancelled'], to: ['pending', 'paused'] },
} as const satisfies Record<string, Rule>;

export type Transition = keyof typeof TRANSITIONS;

export const TERMINAL: readonly DeliveryStatus[] = ['succeeded', 'failed', 'cancelled'];
/** The transitions a person asks for; every other one is the engine's own. */
export const MANUAL: readonly Transition[] = ['cancel', 'hurry', 'reopen'];

/** The status a transition leads to from `from`, or null when the table does not allow it (nothing changes). */
export function transition(from: DeliveryStatus, t: Transition, to: DeliveryStatus): DeliveryStatus | null {
  const rule: Rule = TRANSITIONS[t];
  return rule.from.includes(from) && rule.to.includes(to) ? to : null;
}

/**
 * `status = 'a' OR status = 'b'`, the table's from-list as SQL (ORs: SQLite matches partial indexes by them). Both
 * stores build their WHERE clauses from it, so neither can allow a move the table does not.
 */
export function fromClause(t: Transition): string {
  return `(${TRANSITIONS[t].from.map((s) => `status = '${s}'`).join(' OR ')})`;
}

const STATE = 'id, event_id, endpoint_id, status, attempt_count, max_attempts, last_status';

/**
 * The deliveries a retry of every failed match reopens, and its dry run counts (both stores): failed, of an
 * endpoint not deleted (a deleted endpoint's history stays as it ended).
 */
export const RETRYABLE = "status = 'failed' AND endpoint_id IN (SELECT id FROM endpoints WHERE deleted_at IS NULL)";
const CLAIMED = 'id, event_id, endpoint_id, attempt_count, max_attempts, lease_until, lease_seq, last_status';

/** A new delivery row (create). */
export interface NewDelivery {
  id: string;
  eventId: string;
  endpointId: string;
  eventType: string;
  maxAttempts: number;
  now: number;
  /** leased as written (sending, lease_seq 1) until then; null: pending, due now */
  leaseUntil: number | null;
  /** paused instead (an auto-disabled endpoint keeps what it misses) */
  pausedReason?: PausedReason;
}

/**
 * The `create` transition: a new delivery's first status (paused for an auto-disabled endpoint, sending when leased
 * as written, else pending) and the columns that follow from it: a pending one is due now, a sending one holds its
 * lease under lease_seq 1. Both stores' inserts (one row or many) write these.
 */
export interface CreatedRow {
  status: DeliveryStatus;
  nextAttemptAt: number | null;
  leaseUntil: number | null;
  leaseSeq: 0 | 1;
}

export function createdRow(d: NewDelivery): CreatedRow {
  const status: DeliveryStatus = d.pausedReason ? 'paused' : d.leaseUntil === null ? 'pending' : 'sending';
  const sending = status === 'sending';
  return {
    status,
    nextAttemptAt: status === 'pending' ? d.now : null,
    leaseUntil: sending ? d.leaseUntil : null,
    leaseSeq: sending ? 1 : 0,
  };
}

/** An attempt's effect on its delivery: the state it leads to and what the row records of it. */
export interface Finish {
  id: string;
  leaseSeq: number;
  /** attempt_count the claim saw: the row changes only if no other attempt was counted meanwhile */
  attemptCount: number;
  status: 'succeeded' | 'pending' | 'failed' | 'paused' | 'cancelled';
  pausedReason: PausedReason | null;
  nextAt: number | null;
  lastStatus: number | null;
  durationMs: number;
  error: string | null;
  now: number;
}

/** The transition an attempt's outcome makes (all of them out of `sending`). */
export const FINISH_TRANSITION: Record<Finish['status'], Transition> = {
  succeeded: 'succeed',
  pending: 'reschedule',
  failed: 'exhaust',
  paused: 'hold',
  cancelled: 'hold',
};

export class DeliveryStates implements DeliveryStateStore {
  private readonly q;

  constructor(private readonly db: Database.Database) {
    this.q = {
      insert: db.prepare(
        `INSERT INTO deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, max_attempts,
           next_attempt_at, lease_until, lease_seq, paused_reason, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      // One endpoint's due deliveries in due order, from the per-endpoint pending index (rowids straight from it).
      // `LIMIT ? + 0`, not `LIMIT ?`: SQLite (3.53) plans a bare `LIMIT ?` with the value bound at preparation and
      // marks the statement to be prepared again whenever that parameter is bound, which is every claim: measured,
      // 21-23 us a claim instead of 8.4 (.bench micro-test; 3% of the engine thread in a perf profile of a burst).
      claim: db.prepare<[number, number, string, number, number], ClaimedRow>(
        `UPDATE deliveries SET status = 'sending', updated_at = ?, lease_until = ?, lease_seq = lease_seq + 1
         WHERE rowid IN (
           SELECT rowid FROM deliveries WHERE status = 'pending' AND endpoint_id = ? AND next_attempt_at <= ?
           ORDER BY next_attempt_at LIMIT ? + 0) AND ${fromClause('claim')}
         RETURNING ${CLAIMED}`,
      ),
      // No RETURNING: the new state is known; `changes` says whether the claim still held.
      finish: db.prepare<
        [
          DeliveryStatus,
          number,
          number | null,
          number | null,
          number,
          string | null,
          string | null,
          number,
          string,
          number,
          number,
        ]
      >(
        `UPDATE deliveries SET status = ?, attempt_count = ?, next_attempt_at = ?, lease_until = NULL,
           last_status = ?, last_duration_ms = ?, last_error = ?, paused_reason = ?, updated_at = ?
         WHERE id = ? AND lease_seq = ? AND attempt_count = ? AND status = 'sending'`,
      ),
      fence: db.prepare<[string], { status: DeliveryStatus; lease_seq: number; attempt_count: number }>(
        'SELECT status, lease_seq, attempt_count FROM deliveries WHERE id = ?',
      ),
      countAttempt: db.prepare<[number, string], { attempt_count: number }>(
        'UPDATE deliveries SET attempt_count = attempt_count + 1, updated_at = ? WHERE id = ? RETURNING attempt_count',
      ),
      release: db.prepare<[number, number, string, number], DeliveryState>(
        `UPDATE deliveries SET status = 'pending', lease_until = NULL, next_attempt_at = ?, updated_at = ?
         WHERE id = ? AND lease_seq = ? AND ${fromClause('release')} RETURNING ${STATE}`,
      ),
      hold: db.prepare<[DeliveryStatus, string | null, number, string, number], DeliveryState>(
        `UPDATE deliveries SET status = ?, paused_reason = ?, lease_until = NULL, next_attempt_at = NULL,
           updated_at = ? WHERE id = ? AND lease_seq = ? AND ${fromClause('hold')} RETURNING ${STATE}`,
      ),
      renew: db.prepare<[number, string, number]>(
        `UPDATE deliveries SET lease_until = ? WHERE id = ? AND lease_seq = ? AND status = 'sending'`,
      ),
      expire: db.prepare<[number, number, string], DeliveryState>(
        `UPDATE deliveries SET status = 'pending', lease_until = NULL, next_attempt_at = ?
         WHERE ${fromClause('expire')} AND lease_until <= ? AND id NOT IN (SELECT value FROM json_each(?))
         RETURNING ${STATE}`,
      ),
      expireAll: db.prepare<[number], DeliveryState>(
        `UPDATE deliveries SET status = 'pending', lease_until = NULL, next_attempt_at = ?
         WHERE ${fromClause('expire')} RETURNING ${STATE}`,
      ),
      pause: db.prepare<[string, number, string], DeliveryState>(
        `UPDATE deliveries SET status = 'paused', paused_reason = ?, next_attempt_at = NULL, updated_at = ?
         WHERE endpoint_id = ? AND ${fromClause('pause')} RETURNING ${STATE}`,
      ),
      resume: db.prepare<[number, number, string], DeliveryState>(
        `UPDATE deliveries SET status = 'pending', paused_reason = NULL, next_attempt_at = ?, updated_at = ?
         WHERE endpoint_id = ? AND ${fromClause('resume')} RETURNING ${STATE}`,
      ),
      cancelEndpoint: db.prepare<[number, string], DeliveryState>(
        `UPDATE deliveries SET status = 'cancelled', paused_reason = NULL, next_attempt_at = NULL, updated_at = ?
         WHERE endpoint_id = ? AND ${fromClause('cancel')} RETURNING ${STATE}`,
      ),
      cancel: db.prepare<[number, string], DeliveryState>(
        `UPDATE deliveries SET status = 'cancelled', paused_reason = NULL, next_attempt_at = NULL, updated_at = ?
         WHERE id = ? AND ${fromClause('cancel')} RETURNING ${STATE}`,
      ),
      hurry: db.prepare<[number, number, string], DeliveryState>(
        `UPDATE deliveries SET next_attempt_at = ?, updated_at = ? WHERE id = ? AND ${fromClause('hurry')}
         RETURNING ${STATE}`,
      ),
      reopen: db.prepare<[DeliveryStatus, string | null, number | null, number, string], DeliveryState>(
        `UPDATE deliveries SET status = ?, paused_reason = ?, next_attempt_at = ?, max_attempts = attempt_count + 1,
           lease_until = NULL, updated_at = ? WHERE id = ? AND ${fromClause('reopen')} RETURNING ${STATE}`,
      ),
    };
  }

  /** create: a new delivery, pending (due now), leased as written, or paused. */
  insert(d: NewDelivery): DeliveryStatus {
    const row = createdRow(d);
    this.q.insert.run(
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
    );
    return row.status;
  }

  /** claim: up to `limit` of one endpoint's due deliveries, leased until `leaseUntil` under a new lease_seq. */
  claim(endpointId: string, now: number, leaseUntil: number, limit: number): ClaimedRow[] {
    return this.q.claim.all(now, leaseUntil, endpointId, now, limit);
  }

  /**
   * succeed / reschedule / exhaust / hold after an attempt, fenced by the claim's lease_seq and attempt count.
   * Returns the attempt's number when the delivery moved, or null when the claim no longer holds (see superseded).
   */
  finish(f: Finish): number | null {
    if (transition('sending', FINISH_TRANSITION[f.status], f.status) === null) return null;
    const number = f.attemptCount + 1;
    const { changes } = this.q.finish.run(
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
    );
    return changes === 1 ? number : null;
  }

  /** The row's fence now: whether an outcome for (leaseSeq) may still move it, and the attempts counted so far. */
  fence(id: string): { status: DeliveryStatus; leaseSeq: number; attemptCount: number } | null {
    const r = this.q.fence.get(id);
    return r ? { status: r.status, leaseSeq: r.lease_seq, attemptCount: r.attempt_count } : null;
  }

  /** A superseded attempt is counted (attempt numbers stay unique) without any state change; its number. */
  countSuperseded(id: string, now: number): number | null {
    return this.q.countAttempt.get(now, id)?.attempt_count ?? null;
  }

  /** release: a claimed delivery goes back without an attempt, due at `at`. */
  release(id: string, leaseSeq: number, at: number, now: number): DeliveryState | undefined {
    return this.q.release.get(at, now, id, leaseSeq);
  }

  /** hold without an attempt: its endpoint was disabled (paused) or deleted (cancelled) meanwhile. */
  hold(
    id: string,
    leaseSeq: number,
    status: 'paused' | 'cancelled',
    reason: PausedReason | null,
    now: number,
  ): DeliveryState | undefined {
    return this.q.hold.get(status, status === 'paused' ? reason : null, now, id, leaseSeq);
  }

  /** Extends a lease while its claim holds; false when it was taken back (and perhaps claimed again). */
  renew(id: string, leaseSeq: number, until: number): boolean {
    return this.q.renew.run(until, id, leaseSeq).changes === 1;
  }

  /** expire: leases that ran out go back to pending, due now, except those this process holds (`held`). */
  expire(now: number, held: readonly string[]): DeliveryState[] {
    return this.q.expire.all(now, now, JSON.stringify(held));
  }

  /** expire every lease: the process that held them is known dead. */
  expireAll(now: number): DeliveryState[] {
    return this.q.expireAll.all(now);
  }

  pauseEndpoint(endpointId: string, reason: PausedReason, now: number): DeliveryState[] {
    return this.q.pause.all(reason, now, endpointId);
  }

  resumeEndpoint(endpointId: string, now: number): DeliveryState[] {
    return this.q.resume.all(now, now, endpointId);
  }

  cancelEndpoint(endpointId: string, now: number): DeliveryState[] {
    return this.q.cancelEndpoint.all(now, endpointId);
  }

  cancel(id: string, now: number): DeliveryState | undefined {
    return this.q.cancel.get(now, id);
  }

  hurry(id: string, now: number): DeliveryState | undefined {
    return this.q.hurry.get(now, now, id);
  }

  /** reopen: one more attempt, now (pending) or when its endpoint is enabled again (paused). */
  reopen(id: string, to: 'pending' | 'paused', reason: PausedReason | null, now: number): DeliveryState | undefined {
    return this.q.reopen.get(to, to === 'paused' ? reason : null, to === 'pending' ? now : null, now, id);
  }

  /**
   * reopen every failed delivery matching `where` (conditions over deliveries' columns, from the list filter):
   * pending when its endpoint is enabled, else paused. Run it in a transaction.
   */
  reopenFailed(where: readonly string[], args: readonly unknown[], now: number): DeliveryState[] {
    const ep = '(SELECT e.enabled FROM endpoints e WHERE e.id = deliveries.endpoint_id)';
    const reason = `(SELECT CASE e.disabled_by WHEN 'auto' THEN 'endpoint_auto_disabled' ELSE 'endpoint_disabled' END
      FROM endpoints e WHERE e.id = deliveries.endpoint_id)`;
    const sql = `UPDATE deliveries SET
        status = CASE WHEN ${ep} = 1 THEN 'pending' ELSE 'paused' END,
        paused_reason = CASE WHEN ${ep} = 1 THEN NULL ELSE ${reason} END,
        next_attempt_at = CASE WHEN ${ep} = 1 THEN ? ELSE NULL END,
        max_attempts = attempt_count + 1, lease_until = NULL, updated_at = ?
      WHERE ${RETRYABLE} ${where.map((w) => `AND ${w}`).join(' ')} RETURNING ${STATE}`;
    return this.db.prepare(sql).all(now, now, ...args) as DeliveryState[];
  }
}
