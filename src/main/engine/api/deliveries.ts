// deliveries.*: the log (list, detail) and manual control (retry, cancel, retry every failed match).
import { type Handlers, HookbenchError } from '../../../shared';
import { attemptTarget, buildRequest } from '../attempt';
import type { EngineContext } from '../context';
import { DeliveryStore, toDelivery } from '../db/deliveries';
import { guardStorage } from '../db/util';
import { type DeliveryState, stateTopic } from '../queue';
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

export function deliveryHandlers(ctx: EngineContext, { dispatcher, store }: HandlerParts): DeliveryHandlers {
  const deliveries = new DeliveryStore(ctx.db);
  const publish = (states: DeliveryState[]) => {
    for (const s of states) ctx.emit('delivery.updated', stateTopic(s));
  };
  return {
    'deliveries.list': (input) => deliveries.list(input),
    'deliveries.count': (filter) => ({ count: deliveries.count(filter) }),
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
      dispatcher.wake();
      return toDelivery(deliveries.row(id));
    },
    'deliveries.cancel': ({ id }) => {
      const state = guardStorage(() => ctx.db.transaction(() => deliveries.cancel(id, ctx.clock.now()))());
      publish([state]);
      return toDelivery(deliveries.row(id));
    },
    'deliveries.retryMatching': (filter) => {
      const states = guardStorage(() => ctx.db.transaction(() => deliveries.retryFailed(filter, ctx.clock.now()))());
      publish(states);
      if (states.length > 0) dispatcher.wake();
      return { retried: states.length };
    },
  };
}
