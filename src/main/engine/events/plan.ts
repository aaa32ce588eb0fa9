// What writing one event means, decided before any row is written: the event's id and row, one delivery per target
// (leased as written when the dispatcher has room, paused for an auto-disabled endpoint, else pending), the answer
// events.create gives, and the claimed rows the dispatcher takes for the leased ones. EventService writes a plan with
// SQLite's prepared statements; the PostgreSQL store writes a whole pass's plans with one statement per table.
import type { Event } from '../../../shared';
import type { MatchedEndpoint } from '../db/endpoints';
import { iso } from '../db/util';
import type { ClaimedDelivery } from '../delivery/queue';
import type { NewDelivery } from '../delivery/state';
import { newId } from '../ids';
import type { LeaseFor } from './service';

export interface EventPlan {
  /** the events row */
  row: { id: string; type: string; version: string; createdAt: number; dataJson: string };
  /** its deliveries, in target order */
  deliveries: NewDelivery[];
  /** the answer: each delivery `pending` (queued) or `paused`, whatever the load */
  event: Event;
  /** deliveries written `sending` under a lease, as the dispatcher holds them */
  leased: ClaimedDelivery[];
}

export function planEvent(
  type: string,
  version: string,
  data: unknown,
  dataJson: string,
  targets: readonly MatchedEndpoint[],
  now: number,
  maxAttempts: number,
  leaseFor?: LeaseFor,
): EventPlan {
  const id = newId();
  const deliveries: NewDelivery[] = [];
  const leased: ClaimedDelivery[] = [];
  const answer = targets.map((target) => {
    const deliveryId = newId();
    // leaseFor is asked in target order, and only for endpoints that can take an attempt (it counts its room)
    const lease = target.paused ? null : (leaseFor?.(target.id) ?? null);
    deliveries.push({
      id: deliveryId,
      eventId: id,
      endpointId: target.id,
      eventType: type,
      maxAttempts,
      now,
      leaseUntil: lease?.leaseUntil ?? null,
      pausedReason: target.paused ? 'endpoint_auto_disabled' : undefined,
    });
    if (lease) {
      leased.push({
        id: deliveryId,
        event_id: id,
        endpoint_id: target.id,
        attempt_count: 0,
        max_attempts: maxAttempts,
        lease_until: lease.leaseUntil,
        lease_seq: 1,
        last_status: null,
        type,
        version,
        event_created_at: now,
        data: dataJson,
      });
    }
    const status: 'pending' | 'paused' = target.paused ? 'paused' : 'pending';
    return { id: deliveryId, endpointId: target.id, status };
  });
  return {
    row: { id, type, version, createdAt: now, dataJson },
    deliveries,
    event: { id, type, version, createdAt: iso(now), data, deliveries: answer },
    leased,
  };
}
