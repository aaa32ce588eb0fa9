// The durable queue's reads and shapes: what a claimed delivery carries, the events of a claimed batch, when the
// next delivery is due and when the first lease runs out. Every status change is in state.ts.
import type Database from 'better-sqlite3';
import type { DeliveryStatus } from '../../../shared';

/** A delivery leased to this process for one attempt. */
export interface ClaimedDelivery {
  id: string;
  event_id: string;
  endpoint_id: string;
  attempt_count: number;
  max_attempts: number;
  /** the lease as written (wall clock), for other processes; this one measures its leases on the monotonic clock */
  lease_until: number;
  /** the claim's fencing token: outcomes, renewals and releases change the row only while it still holds */
  lease_seq: number;
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
  max_attempts: number;
  last_status: number | null;
}

/** The event fields a claimed delivery carries. */
export type ClaimedEvent = Pick<ClaimedDelivery, 'type' | 'version' | 'event_created_at' | 'data'>;
/** A claimed row as the claim statement returns it, before its event is attached. */
export type ClaimedRow = Omit<ClaimedDelivery, keyof ClaimedEvent>;

export class DeliveryQueue {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      // the events of a claimed batch, in one statement
      events: db.prepare<[string], ClaimedEvent & { id: string }>(
        `SELECT e.id, e.type, e.version, e.created_at AS event_created_at, e.data FROM events e
         WHERE e.id IN (SELECT value FROM json_each(?))`,
      ),
      earliestLease: db.prepare<[], { at: number | null }>(
        "SELECT MIN(lease_until) AS at FROM deliveries WHERE status = 'sending'",
      ),
      nextDue: db.prepare<[string], { at: number | null }>(
        "SELECT MIN(next_attempt_at) AS at FROM deliveries WHERE status = 'pending' AND endpoint_id = ?",
      ),
      dueEndpoints: db.prepare<[], { endpoint_id: string }>(
        "SELECT DISTINCT endpoint_id FROM deliveries WHERE status = 'pending'",
      ),
    };
  }

  /** Claimed rows with their events attached (one read for the batch). */
  withEvents(rows: readonly ClaimedRow[]): ClaimedDelivery[] {
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

  /** When the first current lease runs out (a crashed process's claims included), null when none. */
  earliestLease(): number | null {
    return this.q.earliestLease.get()?.at ?? null;
  }

  /** The endpoint's earliest pending due time, null when nothing waits. */
  nextDue(endpointId: string): number | null {
    return this.q.nextDue.get(endpointId)?.at ?? null;
  }

  /** Endpoints with pending deliveries (at start-up and after recovery: the index's distinct first column). */
  dueEndpoints(): string[] {
    return this.q.dueEndpoints.all().map((r) => r.endpoint_id);
  }
}

/** A claimed delivery's state once its attempt `attemptCount` moved it to `status` (both stores' outcomes). */
export function finishedState(
  d: Pick<ClaimedDelivery, 'id' | 'event_id' | 'endpoint_id' | 'max_attempts'>,
  status: DeliveryStatus,
  attemptCount: number,
  lastStatus: number | null,
): DeliveryState {
  return {
    id: d.id,
    event_id: d.event_id,
    endpoint_id: d.endpoint_id,
    status,
    attempt_count: attemptCount,
    max_attempts: d.max_attempts,
    last_status: lastStatus,
  };
}

/** The delivery.updated topic of a state. */
export function stateTopic(s: DeliveryState) {
  return topicOf(s, s.status);
}

/** The delivery.updated topic of a delivery just claimed (no copy of the row to make). */
export function claimedTopic(d: ClaimedDelivery) {
  return topicOf(d, 'sending');
}

function topicOf(s: Omit<DeliveryState, 'status'>, status: DeliveryStatus) {
  return {
    id: s.id,
    eventId: s.event_id,
    endpointId: s.endpoint_id,
    status,
    attemptCount: s.attempt_count,
    maxAttempts: s.max_attempts,
    lastStatus: s.last_status,
  };
}
