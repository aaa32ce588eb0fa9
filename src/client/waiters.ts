// Helpers an integration test wants: wait until a delivery reaches a status, or an inbox captures a request.
// Each checks the engine's state, then re-checks on every matching push topic and at a slow interval, so it
// neither misses a change made before the event stream connected nor depends on the stream at all.
import { z } from 'zod';
import { invalidInput } from '../shared/errors';
import { type DeliveryDetail, DeliveryStatus, type InboxRequest } from '../shared/schemas';
import type { TopicName } from '../shared/topics';
import { ApiError, WaitTimeoutError } from './errors';
import type { CallClient } from './http-transport';

/** How often state is re-read when no push arrives (the stream may be reconnecting). */
const RECHECK_MS = 500;

/**
 * Calls `check` until it returns a value or `timeoutMs` passes; a relevant push on `topics` makes it check at once.
 * On timeout it throws a WaitTimeoutError whose message says what `lastSeen` says it saw.
 */
export async function waitUntil<T>(
  client: CallClient,
  topics: TopicName[],
  relevant: (payload: unknown) => boolean,
  check: () => Promise<T | null>,
  timeoutMs: number,
  lastSeen: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let wake: (() => void) | null = null;
  let pushed = false;
  const offs = topics.map((topic) =>
    client.on(topic, (payload) => {
      if (!relevant(payload)) return;
      pushed = true;
      wake?.();
    }),
  );
  try {
    for (;;) {
      pushed = false;
      const found = await check();
      if (found !== null) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new WaitTimeoutError(`timed out after ${timeoutMs} ms: ${lastSeen()}`);
      if (pushed) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(RECHECK_MS, left));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  } finally {
    for (const off of offs) off();
  }
}

export interface WaitForDeliveryOptions {
  eventId: string;
  /** which of the event's deliveries; needed when the event fanned out to several endpoints */
  endpointId?: string;
  /** one status or any of several, e.g. ['succeeded', 'failed'] */
  status: DeliveryStatus | DeliveryStatus[];
  /** default 10 s */
  timeoutMs?: number;
}

const WantedStatuses = z.object({ status: z.array(DeliveryStatus).min(1) });

/** Resolves to the delivery (with every attempt) once it has the status; rejects after `timeoutMs`. */
export async function waitForDelivery(client: CallClient, opts: WaitForDeliveryOptions): Promise<DeliveryDetail> {
  const statuses = WantedStatuses.safeParse({ status: Array.isArray(opts.status) ? opts.status : [opts.status] });
  if (!statuses.success) throw invalidInput(statuses.error);
  const wanted = new Set(statuses.data.status);
  let seen = 'no delivery yet';
  // an event id that names no event is said at once (not after timeoutMs as "no delivery yet")
  let eventKnown = false;
  return waitUntil(
    client,
    ['delivery.updated'],
    (p) => (p as { eventId?: string }).eventId === opts.eventId,
    async () => {
      const list = await client.call('deliveries.list', {
        eventId: opts.eventId,
        ...(opts.endpointId ? { endpointId: opts.endpointId } : {}),
        limit: 100,
      });
      if (list.data.length > 1 && !opts.endpointId) {
        throw new ApiError({
          code: 'invalid_input',
          message: `event ${opts.eventId} has ${list.data.length} deliveries; give endpointId`,
        });
      }
      const d = list.data[0];
      if (!d && !eventKnown) {
        // throws not_found for an event that does not exist
        await client.call('events.get', { id: opts.eventId });
        eventKnown = true;
        seen = `event ${opts.eventId} has no delivery${opts.endpointId ? ` to endpoint ${opts.endpointId}` : ''} yet`;
      }
      if (!d) return null;
      seen = `delivery ${d.id} is ${d.status} after ${d.attemptCount} attempt(s)`;
      return wanted.has(d.status) ? client.call('deliveries.get', { id: d.id }) : null;
    },
    opts.timeoutMs ?? 10_000,
    () => `expected ${[...wanted].join(' or ')}; ${seen}`,
  );
}

export interface WaitForInboxRequestOptions {
  inboxId: string;
  /** only a request this accepts counts, e.g. `(r) => r.headers['webhook-id'] === eventId` */
  match?: (request: InboxRequest) => boolean;
  /** default 10 s */
  timeoutMs?: number;
}

/** Resolves to the newest captured request that matches; rejects after `timeoutMs`. */
export async function waitForInboxRequest(client: CallClient, opts: WaitForInboxRequestOptions): Promise<InboxRequest> {
  let count = 0;
  return waitUntil(
    client,
    ['inbox.request'],
    (p) => (p as { inboxId?: string }).inboxId === opts.inboxId,
    async () => {
      const list = await client.call('inboxes.requests', { id: opts.inboxId, limit: 100 });
      count = list.data.length;
      return list.data.find((r) => !opts.match || opts.match(r)) ?? null;
    },
    opts.timeoutMs ?? 10_000,
    () => `no matching request in inbox ${opts.inboxId} (${count} captured)`,
  );
}
