// The attempt half of a one-shot delivery (webhooks.test to an endpoint), once its event and leased delivery are
// committed: the lease held in memory, the topics, one attempt through the dispatcher's attempt code, the outcome
// recorded through its commit batch and flushed, so the delivery's final state is stored when the caller answers.
// The same on both stores; only the write before it differs.
import type { Event } from '../../../shared';
import type { HandlerContext } from '../api/handler-context';
import type { DispatchTarget } from '../db/endpoint-logic';
import { publishCreated } from '../events/service';
import type { HttpPoster } from '../http/client';
import type { WebhookTestOutcome } from '../store/webhook-test-port';
import { attemptTarget, performAttempt } from './attempt';
import type { Dispatcher } from './dispatcher';
import type { LeaseBook } from './lease';
import type { ClaimedDelivery } from './queue';

export interface OneShotParts {
  ctx: Pick<HandlerContext, 'clock' | 'emit'>;
  http: HttpPoster;
  leases: LeaseBook;
  dispatcher: Pick<Dispatcher, 'batch' | 'flushNow'>;
  targets: { target(id: string): DispatchTarget | null };
}

export async function attemptOneShot(
  { ctx, http, leases, dispatcher, targets }: OneShotParts,
  written: { event: Event; leased: ClaimedDelivery[] },
  data: unknown,
  timeoutMs: number,
): Promise<WebhookTestOutcome> {
  const { event, leased } = written;
  const delivery = leased[0];
  if (!delivery) throw new Error('test delivery was not created');
  leases.hold(delivery.id, delivery.lease_seq, delivery.endpoint_id, timeoutMs);
  publishCreated(ctx.emit, { event, created: true, leased });
  const t = targets.target(delivery.endpoint_id);
  if (!t) throw new Error('endpoint vanished');
  const result = await performAttempt(http, ctx.clock, attemptTarget(t), {
    id: event.id,
    type: event.type,
    version: event.version,
    createdAt: event.createdAt,
    data,
  });
  dispatcher.batch.addOutcome({ delivery, result });
  await dispatcher.flushNow();
  return { deliveryId: delivery.id, eventId: event.id, result };
}
