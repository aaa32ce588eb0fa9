// deliveries.*: the log (list, detail) and manual control (retry, cancel, retry every failed match).
import type { Handlers } from '../../../shared';
import type { EngineContext } from '../context';
import { DeliveryStore, toDelivery } from '../db/deliveries';
import { guardStorage } from '../db/util';
import { type DeliveryState, stateTopic } from '../delivery/queue';
import type { HandlerParts } from './index';

type DeliveryHandlers = Pick<
  Handlers,
  'deliveries.list' | 'deliveries.get' | 'deliveries.retry' | 'deliveries.cancel' | 'deliveries.retryMatching'
>;

export function deliveryHandlers(ctx: EngineContext, { dispatcher }: HandlerParts): DeliveryHandlers {
  const deliveries = new DeliveryStore(ctx.db);
  const publish = (states: DeliveryState[]) => {
    for (const s of states) ctx.emit('delivery.updated', stateTopic(s));
  };
  return {
    'deliveries.list': (input) => deliveries.list(input),
    'deliveries.get': ({ id }) => deliveries.detail(id),
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
