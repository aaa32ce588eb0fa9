// Operational events: what the engine tells settings.notificationUrl (Svix's "operational webhooks"). Each is written
// in the transaction of what it reports, as a delivery to the hidden system endpoint, so it is durable, signed with
// the notification secret and retried like any delivery. Two types:
// - `endpoint.disabled`: an endpoint was auto-disabled (endpoints/disable.ts);
// - `delivery.exhausted`: a delivery failed its last allowed attempt and will not be retried (delivery/outcomes.ts;
//   Svix's message.attempt.exhausted).
// The notification URL may be a third party's (a chat webhook): URLs in the data have their credentials redacted.
// The data builders are shared by both stores; SQLite writes with OperationalEvents, PostgreSQL's pass with the same
// plan (store/pg/pass.ts).
import { redactUrl, redactUrlsIn } from '../../../shared';
import type { EngineContext } from '../context';
import { SYSTEM_ENDPOINT_ID } from '../db/endpoints';
import type { CreateResult, EventService } from '../events/service';
import { checkedJson } from '../events/service';

export type OperationalType = 'endpoint.disabled' | 'delivery.exhausted';

/** The system endpoint as a fan-out target. */
export const SYSTEM_TARGETS = [{ id: SYSTEM_ENDPOINT_ID, paused: false }] as const;

/** `endpoint.disabled`'s data. */
export function disabledData(endpointId: string, url: string, reason: string, pausedDeliveries: number) {
  return { endpoint: { id: endpointId, url: redactUrl(url) }, reason: redactUrlsIn(reason), pausedDeliveries };
}

/** A delivery that failed its last allowed attempt, as `delivery.exhausted` reports it. */
export interface Exhausted {
  deliveryId: string;
  eventId: string;
  eventType: string;
  endpointId: string;
  url: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
}

/** `delivery.exhausted`'s data. */
export function exhaustedData(x: Exhausted) {
  return {
    delivery: { id: x.deliveryId, eventId: x.eventId, eventType: x.eventType, attempts: x.attempts },
    endpoint: { id: x.endpointId, url: redactUrl(x.url) },
    lastAttempt: { status: x.lastStatus, error: x.lastError === null ? null : redactUrlsIn(x.lastError) },
  };
}

/** SQLite's writer of operational events, inside the transaction of what they report. */
export class OperationalEvents {
  constructor(
    private readonly ctx: EngineContext,
    private readonly events: EventService,
  ) {}

  /** The event as a delivery to the system endpoint, when a notification URL is set; else nothing (null). */
  writeInTx(type: OperationalType, data: unknown, now: number): CreateResult | null {
    if (!this.ctx.settings().notificationUrl) return null;
    const event = this.events.insert(type, 'v1', data, checkedJson(data), SYSTEM_TARGETS, now);
    return { event, created: true, queued: [SYSTEM_ENDPOINT_ID] };
  }
}
