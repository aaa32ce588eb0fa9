// The delivery log's and events' reads (and a person's moves on one delivery) as interfaces, so the API can answer
// from either store: SQLite's DeliveryStore and EventReads answer synchronously, PostgreSQL's PgDeliveryReads and
// PgEventReads with promises. Both give the same answers to the same rows (test/engine/read-conformance.test.ts).
import type { z } from 'zod';
import type {
  Delivery,
  DeliveryDetail,
  DeliveryFilter,
  DeliveryListInput,
  Event,
  EventDetail,
  EventListInput,
  FiredTypes,
} from '../../../shared';
import type { DeliveryRow } from '../db/deliveries';
import type { AttemptEvent } from '../delivery/attempt';
import type { DeliveryState } from '../delivery/queue';
import type { Awaitable } from '../delivery/state-store';

/** One page of a keyset-paginated list, newest first; nextCursor continues below its last row. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface DeliveryReadStore {
  /** the row as stored; not_found when there is none */
  row(id: string): Awaitable<DeliveryRow>;
  list(input: z.output<typeof DeliveryListInput>): Awaitable<Page<Delivery>>;
  /** how many deliveries match the filter: the rows list() pages through, counted */
  count(filter: DeliveryFilter): Awaitable<number>;
  /** the delivery with every attempt (requests rendered again where logged without a body) and its event */
  detail(id: string): Awaitable<DeliveryDetail>;
  /** the delivery's endpoint and stored event, as an attempt renders them (deliveries.signNow) */
  toSign(id: string): Awaitable<{ endpointId: string; event: AttemptEvent }>;
  /** a person's retry: finished deliveries get one more attempt now (paused on a disabled endpoint) */
  retry(id: string, now: number): Awaitable<DeliveryState>;
  /** a person's cancel of a pending or paused delivery; conflict otherwise */
  cancel(id: string, now: number): Awaitable<DeliveryState>;
  /** retry every failed delivery matching the filter, in one statement */
  retryFailed(filter: Omit<DeliveryFilter, 'status'>, now: number): Awaitable<DeliveryState[]>;
  /** how many retryFailed would retry: the failed matches whose endpoint is not deleted */
  countRetryable(filter: Omit<DeliveryFilter, 'status'>): Awaitable<number>;
}

export interface EventReadStore {
  /** events newest first, each with its deliveries' refs; q: an id prefix or words of the data */
  list(input: z.output<typeof EventListInput>): Awaitable<Page<Event>>;
  /** one event with how each of its deliveries went; not_found when there is none */
  get(id: string): Awaitable<EventDetail>;
  /** the distinct types of the events stored, up to `limit`, sorted (events.types) */
  types(limit: number): Awaitable<FiredTypes>;
}
