// deliveries.*: the log (list, detail) and manual control (retry, cancel, retry every failed match), on ports: the
// same handlers answer from SQLite's DeliveryStore and PostgreSQL's PgDeliveryReads.
import { type Handlers, HookbenchError } from '../../../shared';
import type { EngineContext } from '../context';
import { DeliveryStore, toDelivery } from '../db/deliveries';
import type { DispatchTarget } from '../db/endpoint-logic';
import { guardStorage } from '../db/util';
import { attemptTarget, buildRequest } from '../delivery/attempt';
import { type DeliveryState, stateTopic } from '../delivery/queue';
import type { Awaitable } from '../delivery/state-store';
import type { DeliveryReadStore } from '../store/read-ports';
import type { HandlerContext } from './handler-context';
import type { HandlerParts } from './index';

type DeliveryHandlers = Pick<
  Handlers,
  | 'deliveries.list'
  | 'deliveries.count'
  | 'deliveries.get'
  | 'deliveries.signNow'
  | 'deliveries.retry'
  | 'deliveries.cancel'
  | 'deliveries.retryMatching'
>;

/** What the deliveries handlers act on. */
export interface DeliveryPorts {
  reads: DeliveryReadStore;
  /**
   * the endpoint as the dispatcher sends to it now (cache; null when unknown); PostgreSQL's current() first brings
   * the cache up to date with what other processes changed a moment ago (their notices may not be here yet)
   */
  targets: { target(id: string): DispatchTarget | null; current?(): Promise<void> };
  /** a delivery made due now: its endpoint's dispatcher claims it */
  wake: (endpointId: string) => void;
  /** SQLite's payload index, caught up before a search (PostgreSQL searches the table itself) */
  search?: { catchUp(): void };
  /**
   * Runs a person's move (retry, cancel, retry matching) in one transaction. SQLite's store needs its caller's;
   * PostgreSQL's opens its own, so it passes none.
   */
  transaction?: <T>(work: () => T) => T;
}

/** SQLite's ports, from the running SQLite engine's parts. */
export function sqliteDeliveryPorts(
  db: EngineContext['db'],
  { dispatcher, store, states, search }: Pick<HandlerParts, 'dispatcher' | 'store' | 'states' | 'search'>,
): DeliveryPorts {
  return {
    reads: new DeliveryStore(db, states),
    targets: store,
    wake: (endpointId) => dispatcher.wake(endpointId),
    search,
    transaction: (work) => guardStorage(() => db.transaction(work)()),
  };
}

export function deliveryHandlers(ctx: HandlerContext, ports: DeliveryPorts): DeliveryHandlers {
  const { reads, targets, wake, search } = ports;
  const inTransaction = ports.transaction ?? (<T>(work: () => T) => work());
  /** a filter that searches payloads reads the index with every event in it */
  const indexed = <F extends { q?: string | undefined }>(filter: F): F => {
    if (search && filter.q?.trim()) guardStorage(() => search.catchUp());
    return filter;
  };
  const publish = (states: DeliveryState[]) => {
    for (const s of states) ctx.emit('delivery.updated', stateTopic(s));
  };
  /** a person's move: in its transaction, its topics once committed */
  const move = async <T>(work: () => Awaitable<T>): Promise<T> => inTransaction(work);
  return {
    'deliveries.list': async (input) => reads.list(indexed(input)),
    'deliveries.count': async (filter) => ({ count: await reads.count(indexed(filter)) }),
    'deliveries.get': async ({ id }) => reads.detail(id),
    'deliveries.signNow': async ({ id }) => {
      // The endpoint as it is now (URL, headers, secrets): what a retry would send, signed with this second's
      // timestamp, so a receiver's 5-minute tolerance accepts a replay by hand. Nothing is sent or stored.
      const { endpointId, event } = await reads.toSign(id);
      await targets.current?.();
      const target = targets.target(endpointId);
      if (!target || target.deleted) throw new HookbenchError('conflict', 'The endpoint was deleted');
      const now = ctx.clock.now();
      return { ...buildRequest(attemptTarget(target), event, now), signedAt: new Date(now).toISOString() };
    },
    'deliveries.retry': async ({ id }) => {
      const state = await move(() => reads.retry(id, ctx.clock.now()));
      publish([state]);
      if (state.status === 'pending') wake(state.endpoint_id);
      return toDelivery(await reads.row(id));
    },
    'deliveries.cancel': async ({ id }) => {
      const state = await move(() => reads.cancel(id, ctx.clock.now()));
      publish([state]);
      return toDelivery(await reads.row(id));
    },
    'deliveries.retryMatching': async ({ dryRun, ...filter }) => {
      if (dryRun) return { retried: await reads.countRetryable(indexed(filter)), dryRun };
      const reopened = await move(() => reads.retryFailed(indexed(filter), ctx.clock.now()));
      publish(reopened);
      for (const id of new Set(reopened.filter((s) => s.status === 'pending').map((s) => s.endpoint_id))) wake(id);
      return { retried: reopened.length, dryRun };
    },
  };
}
