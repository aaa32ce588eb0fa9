// Replaying what an endpoint missed (endpoints.replayMissing, as Svix's "replay missing"): the events of a time range
// its filters accept and that have no delivery to it (fired before it existed, while it was disabled by hand, or to
// other chosen endpoints) each get a new delivery, created as events.create creates one (pending, due now, or paused
// for an auto-disabled endpoint), oldest first. Store-agnostic: SQLite's EndpointControl and PostgreSQL's
// PgEndpointControl read the missed events with missedEventsSql (db/event-reads.ts) and write these rows.

import type { z } from 'zod';
import {
  firedEventReach,
  HookbenchError,
  REPLAY_LIMIT,
  type ReplayMissingInput,
  type ReplayMissingOutput,
} from '../../../shared';
import type { CoreContext } from '../context';
import type { EndpointRow } from '../db/endpoint-rows';
import type { MissedEventRow, MissedEventsQuery } from '../db/event-reads';
import { type DeliveryState, stateTopic } from '../delivery/queue';
import { createdRow, type NewDelivery } from '../delivery/state';
import { newId } from '../ids';

export type ReplayInput = z.output<typeof ReplayMissingInput>;

/** What a replay reads (`limit` one more than REPLAY_LIMIT, to tell truncated) and whether what it writes is paused. */
export interface ReplayQuery extends MissedEventsQuery {
  /** the endpoint was disabled automatically: its replayed deliveries wait, paused, for it to be enabled */
  paused: boolean;
}

/**
 * The query for an endpoint's replay, or a conflict when fired events do not reach it (disabled by a person: enable
 * it first, as such an endpoint gets no new event either). An auto-disabled one gets its replay paused.
 */
export function replayQuery(row: EndpointRow, input: ReplayInput, now: number): ReplayQuery {
  const reach = firedEventReach({ enabled: row.enabled === 1, disabledBy: row.disabled_by });
  if (reach === null) {
    throw new HookbenchError('conflict', 'The endpoint is disabled: enable it, then replay what it missed');
  }
  return {
    endpointId: row.id,
    filters: JSON.parse(row.event_types) as string[],
    since: Date.parse(input.since),
    until: input.until === undefined ? now + 1 : Date.parse(input.until),
    limit: REPLAY_LIMIT + 1,
    paused: reach === 'paused',
  };
}

export interface ReplayRows {
  deliveries: NewDelivery[];
  /** each new delivery as its delivery.updated topic tells it */
  states: DeliveryState[];
}

/** One new delivery per missed event (at most REPLAY_LIMIT), in event order. */
export function replayRows(
  q: ReplayQuery,
  missed: readonly MissedEventRow[],
  maxAttempts: number,
  now: number,
): ReplayRows {
  const deliveries: NewDelivery[] = [];
  const states: DeliveryState[] = [];
  for (const e of missed.slice(0, REPLAY_LIMIT)) {
    const d: NewDelivery = {
      id: newId(),
      eventId: e.id,
      endpointId: q.endpointId,
      eventType: e.type,
      maxAttempts,
      now,
      leaseUntil: null,
      ...(q.paused ? { pausedReason: 'endpoint_auto_disabled' as const } : {}),
    };
    deliveries.push(d);
    states.push({
      id: d.id,
      event_id: e.id,
      endpoint_id: q.endpointId,
      status: createdRow(d).status,
      attempt_count: 0,
      max_attempts: maxAttempts,
      last_status: null,
    });
  }
  return { deliveries, states };
}

/**
 * After the replay committed, on either store: each new delivery's topic, the endpoint's (its waiting counts
 * changed), and the dispatcher's wake-up when any of them is due now.
 */
export function announceReplay(
  states: readonly DeliveryState[],
  endpointId: string,
  emit: CoreContext['emit'],
  wake: (endpointId: string) => void,
): void {
  if (states.length === 0) return;
  for (const s of states) emit('delivery.updated', stateTopic(s));
  emit('endpoint.updated', { id: endpointId });
  if (states.some((s) => s.status === 'pending')) wake(endpointId);
}

export function replayAnswer(missed: number, dryRun: boolean): ReplayMissingOutput {
  return { events: Math.min(missed, REPLAY_LIMIT), truncated: missed > REPLAY_LIMIT, dryRun };
}
