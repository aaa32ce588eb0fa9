// What writing one event means, decided before any row is written: the event's id and row, one delivery per target
// (leased as written when the dispatcher has room, paused for an auto-disabled endpoint, else pending), the answer
// events.create gives, and the claimed rows the dispatcher takes for the leased ones. EventService writes a plan with
// SQLite's prepared statements; the PostgreSQL store writes a whole pass's plans with one statement per table.
import type { Event, PausedReason } from '../../../shared';
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
  const answer: Event['deliveries'] = [];
  for (const target of targets) {
    const deliveryId = newId();
    // leaseFor is asked in target order, and only for endpoints that can take an attempt (it counts its room)
    const lease = target.paused ? null : (leaseFor?.(target.id) ?? null);
    // the endpoint's own retry policy, else the settings'
    const attempts = target.maxAttempts ?? maxAttempts;
    deliveries.push(
      new PlannedDelivery(deliveryId, id, target.id, type, attempts, now, lease?.leaseUntil ?? null, target.paused),
    );
    if (lease) {
      leased.push(
        new LeasedDelivery(deliveryId, id, target.id, attempts, lease.leaseUntil, type, version, now, dataJson),
      );
    }
    answer.push(new DeliveryAnswer(deliveryId, target.id, target.paused ? 'paused' : 'pending', attempts));
  }
  return new Plan(
    new EventRow(id, type, version, now, dataJson),
    deliveries,
    new EventAnswer(id, type, version, iso(now), data, answer),
    leased,
  );
}

// The objects of a plan are made by constructors, not object literals: V8 pretenures literals whose objects survive
// a scavenge (a burst writes hundreds of events in one pass), and a pretenured row or leased delivery, dead but in
// old space, would keep its event's payload text alive through every scavenge until a full collection. Objects made
// by a constructor are never pretenured (see PendingEvent in delivery/commit-batch.ts).

class Plan implements EventPlan {
  constructor(
    readonly row: EventPlan['row'],
    readonly deliveries: NewDelivery[],
    readonly event: Event,
    readonly leased: ClaimedDelivery[],
  ) {}
}

class EventRow {
  constructor(
    readonly id: string,
    readonly type: string,
    readonly version: string,
    readonly createdAt: number,
    readonly dataJson: string,
  ) {}
}

class PlannedDelivery implements NewDelivery {
  readonly pausedReason: PausedReason | undefined;
  constructor(
    readonly id: string,
    readonly eventId: string,
    readonly endpointId: string,
    readonly eventType: string,
    readonly maxAttempts: number,
    readonly now: number,
    readonly leaseUntil: number | null,
    paused: boolean,
  ) {
    this.pausedReason = paused ? 'endpoint_auto_disabled' : undefined;
  }
}

/** A delivery leased as it is written: as the dispatcher holds a claimed one (lease_seq 1, no attempt yet). */
class LeasedDelivery implements ClaimedDelivery {
  readonly attempt_count = 0;
  readonly lease_seq = 1;
  readonly last_status = null;
  constructor(
    readonly id: string,
    readonly event_id: string,
    readonly endpoint_id: string,
    readonly max_attempts: number,
    readonly lease_until: number,
    readonly type: string,
    readonly version: string,
    readonly event_created_at: number,
    readonly data: string,
  ) {}
}

/** events.create's answer (the contract's Event: the same own properties, in the same order). */
class EventAnswer implements Event {
  constructor(
    readonly id: string,
    readonly type: string,
    readonly version: string,
    readonly createdAt: string,
    readonly data: unknown,
    readonly deliveries: Event['deliveries'],
  ) {}
}

class DeliveryAnswer {
  constructor(
    readonly id: string,
    readonly endpointId: string,
    readonly status: 'pending' | 'paused',
    readonly maxAttempts: number,
  ) {}
}
