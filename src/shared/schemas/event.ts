import { z } from 'zod';
import {
  Cursor,
  EventTypeName,
  EventVersion,
  Id,
  IsoDate,
  JsonValue,
  Limit,
  listOf,
  SearchText,
  wholeNumber,
} from './common';

export const DeliveryStatus = z.enum(['pending', 'sending', 'succeeded', 'failed', 'paused', 'cancelled']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;
/** Why a paused delivery waits: its endpoint was disabled by a person, or auto-disabled after failures. */
export const PausedReason = z.enum(['endpoint_disabled', 'endpoint_auto_disabled']);
export type PausedReason = z.infer<typeof PausedReason>;

/** The versioned envelope every generic (Standard Webhooks) delivery carries as its body. */
export const Envelope = z.object({
  id: z.string(),
  type: z.string(),
  version: z.string(),
  created_at: z.string(),
  data: JsonValue,
});
export type Envelope = z.infer<typeof Envelope>;

export const EventInput = z.strictObject({
  type: EventTypeName,
  version: EventVersion.default('v1'),
  data: JsonValue,
  /** only these endpoints (still filtered by their subscriptions unless `force`); default every matching one */
  endpointIds: z.array(Id).max(500).optional(),
  /** check `data` against the event type's JSON Schema (422 schema_violation); false sends a bad payload on purpose */
  validate: z.boolean().default(true),
  /** HTTP: the `Idempotency-Key` header. Same key + same body returns the first result; kept 24 h. */
  idempotencyKey: SearchText(255).min(1).optional(),
});
export type EventInput = z.input<typeof EventInput>;

export const EventDeliveryRef = z.object({
  id: Id,
  endpointId: Id,
  status: DeliveryStatus,
  /** attempts made so far (events.list; a pending delivery with attempts is waiting to retry) */
  attemptCount: z.number().int().optional(),
  /** the attempts it may take in all (as Delivery's `maxAttempts`) */
  maxAttempts: z.number().int(),
});

/** One endpoint's delivery of an event, with how it went so far (`events.get`). */
export const EventDelivery = EventDeliveryRef.extend({
  /** the endpoint's URL, null when the endpoint was deleted */
  endpointUrl: z.string().nullable(),
  /** why a paused delivery waits; null unless paused */
  pausedReason: PausedReason.nullable(),
  attemptCount: z.number().int(),
  /** HTTP status of the last attempt, null when it got no response (or none was made) */
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  lastDurationMs: z.number().nullable(),
  /** when the next attempt is due (pending), null otherwise */
  nextAttemptAt: IsoDate.nullable(),
  updatedAt: IsoDate,
});
export type EventDelivery = z.infer<typeof EventDelivery>;

export const Event = z.object({
  id: Id,
  type: z.string(),
  version: z.string(),
  createdAt: IsoDate,
  data: JsonValue,
  deliveries: z.array(EventDeliveryRef).optional(),
});
export type Event = z.infer<typeof Event>;

/** An event with the fate of each of its deliveries (`GET /events/{id}`). */
export const EventDetail = Event.extend({ deliveries: z.array(EventDelivery) });
export type EventDetail = z.infer<typeof EventDetail>;

export const EventListInput = z.strictObject({
  /** an exact type, or a family: `invoice.*` (a prefix, ASCII case ignored, as the delivery log's filter) */
  type: SearchText(128).optional(),
  /** an event id (prefix) or words of the event's data (full-text, the last word as a prefix) */
  q: SearchText(128).optional(),
  cursor: Cursor.optional(),
  limit: Limit,
});
export const EventList = listOf(Event);

/** How many distinct fired types `GET /events/types` reads at most (a workbench's catalog is far smaller). */
export const FIRED_TYPES_MAX = 1000;
export const FiredTypesInput = z.strictObject({
  limit: wholeNumber(1, FIRED_TYPES_MAX).prefault(500),
});
/** The event types fired so far, each once, catalogued or not; `truncated` when more than `limit` exist. */
export const FiredTypes = z.object({ data: z.array(z.string()), truncated: z.boolean() });
export type FiredTypes = z.infer<typeof FiredTypes>;

export const EventPreview = z.object({
  envelope: Envelope,
  requests: z.array(
    z.object({
      endpointId: Id,
      url: z.string(),
      method: z.literal('POST'),
      headers: z.record(z.string(), z.string()),
      body: z.string(),
    }),
  ),
});
export type EventPreview = z.infer<typeof EventPreview>;
