import { z } from 'zod';
import { DeliveryStatus, ForwardResult, Id, InboxRequest } from './schemas';

/** Push topics: the engine emits them; IPC forwards them to windows, HTTP streams them as SSE. */
export const topics = {
  'event.created': z.object({ id: Id, type: z.string(), deliveryCount: z.number().int() }),
  /** slim on purpose: it fires for every state change; the UI refetches what it shows */
  'delivery.updated': z.object({
    id: Id,
    eventId: Id,
    endpointId: Id,
    status: DeliveryStatus,
    attemptCount: z.number().int(),
    /** the attempts it may take in all (as Delivery's `maxAttempts`) */
    maxAttempts: z.number().int(),
    lastStatus: z.number().int().nullable(),
  }),
  'endpoint.updated': z.object({ id: Id }),
  'endpoint.disabled': z.object({
    id: Id,
    url: z.string(),
    reason: z.string(),
    pausedDeliveries: z.number().int(),
  }),
  'inbox.request': z.object({ inboxId: Id, request: InboxRequest }),
  /** a captured request was forwarded to a local server (by hand or live); the answer is in `forward` */
  'inbox.forwarded': z.object({ inboxId: Id, requestId: Id, forward: ForwardResult }),
  'settings.updated': z.object({}),
  /**
   * Sent by a transport, never by the engine: pushes were lost (dropped for a reader that fell behind, or missed
   * while a stream reconnected), so the UI refetches everything it shows. `dropped` is null when nobody counted.
   */
  'stream.gap': z.object({ dropped: z.number().int().nonnegative().nullable() }),
} as const;

export type Topics = typeof topics;
export type TopicName = keyof Topics;
export type TopicPayload<T extends TopicName> = z.output<Topics[T]>;
export const topicNames = Object.keys(topics) as TopicName[];
export function isTopicName(name: string): name is TopicName {
  return Object.hasOwn(topics, name);
}
