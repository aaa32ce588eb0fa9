// The durable delivery queue: SQL for claim-with-lease, release, recovery, pause/resume and the due time.
// Acknowledgements (attempt results) are in outcomes.ts; this file only moves rows between states.
import type Database from 'better-sqlite3';
import type { DeliveryStatus } from '../../../shared';

/** A delivery leased to this process for one attempt. */
export interface ClaimedDelivery {
  id: string;
  event_id: string;
  endpoint_id: string;
  attempt_count: number;
  max_attempts: number;
  lease_until: number;
  last_status: number | null;
  /** the event, read with the claim (deliveries leased as they are written carry it from EventService) */
  type: string;
  version: string;
  event_created_at: number;
  /** JSON.stringify output: the engine is the only writer of events.data, always through checkedJson */
  data: string;
}

/** Slim state for the delivery.updated topic. */
export interface DeliveryState {
  id: string;
  event_id: string;
  endpoint_id: string;
  status: DeliveryStatus;
  attempt_count: number;
  last_status: number | null;
}

const STATE = 'id, event_id, endpoint_id, status, attempt_count, last_status';
const CLAIMED = 'id, event_id, endpoint_id, attempt_count, max_attempts, lease_until, last_status';
/** now + grace + the endpoint's timeout (the endpoints table is tiny and hot) */
const LEASE = '? + ? + COALESCE((SELECT timeout_ms FROM endpoints e WHERE e.id = deliveries.endpoint_id), 15000)';

type ClaimedRow = Omit<ClaimedDelivery, keyof ClaimedEvent>;
/** The event fields a claimed delivery carries. */
export type ClaimedEvent = Pick<ClaimedDelivery, 'type' | 'version' | 'event_created_at' | 'data'>;

export class DeliveryQueue {
  private readonly q;

  /**
   * @param leaseGraceMs lease = now + the endpoint's timeout + this (covers body reading and the ack)
   */
  constructor(
    db: Database.Database,
    private readonly leaseGraceMs: number,
  ) {
    this.q = {
      // The inner SELECT walks the deliveries_pending partial index in due order (rowids straight from the index);
      // with endpoints to leave out (at their concurrency limit, so one slow endpoint cannot take every slot of a
      // batch) it reads their endpoint_id too. The event is not read here: see eventOf.
      claim: db.prepare<[number, number, number, number, number], ClaimedRow>(
        `UPDATE deliveries SET status = 'sending', updated_at = ?, lease_until = ${LEASE}
         WHERE rowid IN (
           SELECT rowid FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ?
           ORDER BY next_attempt_at LIMIT ?)
         RETURNING ${CLAIMED}`,
      ),
      claimExcluding: db.prepare<[number, number, number, number, string, number], ClaimedRow>(
        `UPDATE deliveries SET status = 'sending', updated_at = ?, lease_until = ${LEASE}
         WHERE rowid IN (
           SELECT rowid FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ?
             AND endpoint_id NOT IN (SELECT value FROM json_each(?))
           ORDER BY next_attempt_at LIMIT ?)
         RETURNING ${CLAIMED}`,
      ),
      // the events of a claimed batch, in one statement
      events: db.prepare<[string], ClaimedEvent & { id: string }>(
        `SELECT e.id, e.type, e.version, e.created_at AS event_created_at, e.data FROM events e
         WHERE e.id IN (SELECT value FROM json_each(?))`,
      ),
      recover: db.prepare<[number, number], DeliveryState>(
        `UPDATE deliveries SET status = 'pending', lease_until = NULL, next_attempt_at = ?
         WHERE status = 'sending' AND lease_until <= ? RETURNING ${STATE}`,
      ),
      recoverAll: db.prepare<[number], DeliveryState>(
        `UPDATE deliveries SET status = 'pending', lease_until = NULL, next_attempt_at = ?
         WHERE status = 'sending' RETURNING ${STATE}`,
      ),
      release: db.prepare<[number, number, string], DeliveryState>(
        `UPDATE deliveries SET status = 'pending', lease_until = NULL, next_attempt_at = ?, updated_at = ?
         WHERE id = ? AND status = 'sending' RETURNING ${STATE}`,
      ),
      settle: db.prepare<[DeliveryStatus, number, string], DeliveryState>(
        `UPDATE deliveries SET status = ?, lease_until = NULL, next_attempt_at = NULL, updated_at = ?
         WHERE id = ? AND status = 'sending' RETURNING ${STATE}`,
      ),
      earliestLease: db.prepare<[], { at: number | null }>(
        "SELECT MIN(lease_until) AS at FROM deliveries WHERE status = 'sending'",
      ),
      renew: db.prepare<[number, string, number]>(
        "UPDATE deliveries SET lease_until = ? WHERE id = ? AND status = 'sending' AND lease_until = ?",
      ),
      nextDue: db.prepare<[string], { at: number | null }>(
        `SELECT MIN(next_attempt_at) AS at FROM deliveries
         WHERE status = 'pending' AND endpoint_id NOT IN (SELECT value FROM json_each(?))`,
      ),
      pause: db.prepare<[number, string], DeliveryState>(
        `UPDATE deliveries SET status = 'paused', next_attempt_at = NULL, updated_at = ?
         WHERE endpoint_id = ? AND status = 'pending' RETURNING ${STATE}`,
      ),
      resume: db.prepare<[number, number, string], DeliveryState>(
        `UPDATE deliveries SET status = 'pending', next_attempt_at = ?, updated_at = ?
         WHERE endpoint_id = ? AND status = 'paused' RETURNING ${STATE}`,
      ),
      cancelWaiting: db.prepare<[number, string], DeliveryState>(
        `UPDATE deliveries SET status = 'cancelled', next_attempt_at = NULL, updated_at = ?
         WHERE endpoint_id = ? AND status IN ('pending', 'paused') RETURNING ${STATE}`,
      ),
    };
  }

  /** The lease a delivery gets when leased now (the claim statement's LEASE, for rows leased as they are written). */
  leaseUntil(now: number, timeoutMs: number): number {
    return now + this.leaseGraceMs + timeoutMs;
  }

  /** Leases up to `limit` due deliveries, skipping the endpoints in `exclude`. */
  claim(now: number, limit: number, exclude: readonly string[]): ClaimedDelivery[] {
    const rows =
      exclude.length === 0
        ? this.q.claim.all(now, now, this.leaseGraceMs, now, limit)
        : this.q.claimExcluding.all(now, now, this.leaseGraceMs, now, JSON.stringify(exclude), limit);
    if (rows.length === 0) return [];
    const events = new Map<string, ClaimedEvent>();
    for (const ev of this.q.events.all(JSON.stringify([...new Set(rows.map((r) => r.event_id))])))
      events.set(ev.id, ev);
    const out: ClaimedDelivery[] = [];
    for (const row of rows) {
      const ev = events.get(row.event_id);
      // (an event cannot be missing: deleting one deletes its deliveries; such a row would come back after its lease)
      if (ev) {
        out.push({ ...row, type: ev.type, version: ev.version, event_created_at: ev.event_created_at, data: ev.data });
      }
    }
    return out;
  }

  /** Expired leases (a crashed or stuck process) go back to pending, due now. */
  recoverExpired(now: number): DeliveryState[] {
    return this.q.recover.all(now, now);
  }

  /** Every leased delivery back to pending (their dispatcher is known dead). */
  recoverAll(now: number): DeliveryState[] {
    return this.q.recoverAll.all(now);
  }

  /** Gives a claimed delivery back without an attempt (rate limit, shutdown), due at `at`. */
  release(id: string, at: number, now: number): DeliveryState | undefined {
    return this.q.release.get(at, now, id);
  }

  /** Ends a claimed delivery without an attempt (its endpoint was deleted or disabled meanwhile). */
  settle(id: string, status: 'paused' | 'cancelled', now: number): DeliveryState | undefined {
    return this.q.settle.get(status, now, id);
  }

  /** When the first current lease runs out (a crashed process's claims included), null when none. */
  earliestLease(): number | null {
    return this.q.earliestLease.get()?.at ?? null;
  }

  /**
   * Extends a lease this process holds (`held`: the lease it was given); false when it is no longer ours (it ran
   * out and was taken back, perhaps claimed again).
   */
  renewLease(id: string, held: number, until: number): boolean {
    return this.q.renew.run(until, id, held).changes === 1;
  }

  /** The earliest pending due time (excluding busy endpoints), null when nothing waits. */
  nextDue(exclude: readonly string[]): number | null {
    return this.q.nextDue.get(JSON.stringify(exclude))?.at ?? null;
  }

  pauseEndpoint(endpointId: string, now: number): DeliveryState[] {
    return this.q.pause.all(now, endpointId);
  }

  resumeEndpoint(endpointId: string, now: number): DeliveryState[] {
    return this.q.resume.all(now, now, endpointId);
  }

  cancelEndpoint(endpointId: string, now: number): DeliveryState[] {
    return this.q.cancelWaiting.all(now, endpointId);
  }
}

export function stateTopic(s: DeliveryState) {
  return {
    id: s.id,
    eventId: s.event_id,
    endpointId: s.endpoint_id,
    status: s.status,
    attemptCount: s.attempt_count,
    lastStatus: s.last_status,
  };
}
