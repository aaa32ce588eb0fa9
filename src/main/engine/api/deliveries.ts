// deliveries.*: the log (list, detail) and manual control (retry, cancel, retry every failed match).
import { type Handlers, HookbenchError } from '../../../shared';
import type { EngineContext } from '../context';
import { DeliveryStore, toDelivery } from '../db/deliveries';
import { guardStorage } from '../db/util';
import { attemptTarget, buildRequest } from '../delivery/attempt';
import { type DeliveryState, stateTopic } from '../delivery/queue';
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

export function deliveryHandlers(
  ctx: EngineContext,
  { dispatcher, store, states, search }: HandlerParts,
): DeliveryHandlers {
  const deliveries = new DeliveryStore(ctx.db, states);
  /** a filter that searches payloads reads the index with every event in it */
  const indexed = <F extends { q?: string | undefined }>(filter: F): F => {
    if (filter.q?.trim()) guardStorage(() => search.catchUp());
    return filter;
  };
  const publish = (states: DeliveryState[]) => {
    for (const s of states) ctx.emit('delivery.updated', stateTopic(s));
  };
  return {
    'deliveries.list': (input) => deliveries.list(indexed(input)),
    'deliveries.count': (filter) => ({ count: deliveries.count(indexed(filter)) }),
    'deliveries.get': ({ id }) => deliveries.detail(id),
    'deliveries.signNow': ({ id }) => {
      // The endpoint as it is now (URL, headers, secrets): what a retry would send, signed with this second's
      // timestamp, so a receiver's 5-minute tolerance accepts a replay by hand. Nothing is sent or stored.
      const { endpointId, event } = deliveries.toSign(id);
      const target = store.target(endpointId);
      if (!target || target.deleted) throw new HookbenchError('conflict', 'The endpoint was deleted');
      const now = ctx.clock.now();
      return { ...buildRequest(attemptTarget(target), event, now), signedAt: new Date(now).toISOString() };
    },
    'deliveries.retry': ({ id }) => {
      const state = guardStorage(() => ctx.db.transaction(() => deliveries.retry(id, ctx.clock.now()))());
      publish([state]);
      if (state.status === 'pending') dispatcher.wake(state.endpoint_id);
      return toDelivery(deliveries.row(id));
    },
    'deliveries.cancel': ({ id }) => {
      const state = guardStorage(() => ctx.db.transaction(() => deliveries.cancel(id, ctx.clock.now()))());
      publish([state]);
      return toDelivery(deliveries.row(id));
    },
    'deliveries.retryMatching': (filter) => {
      const reopened = guardStorage(() =>
        ctx.db.transaction(() => deliveries.retryFailed(indexed(filter), ctx.clock.now()))(),
      );
      publish(reopened);
      for (const id of new Set(reopened.filter((s) => s.status === 'pending').map((s) => s.endpoint_id)))
        dispatcher.wake(id);
      return { retried: reopened.length };
    },
  };
}
