// webhooks.test: one attempt now, through the same attempt code as the dispatcher, returned to the caller.
// To a stored endpoint it is a real one-shot delivery (in the log, counted for auto-disable); to a bare URL it is
// sent and returned, nothing stored.
import { randomUUID } from 'node:crypto';
import type { Attempt, Handlers } from '../../../shared';
import type { EngineContext } from '../context';
import { assertSecretFits } from '../db/endpoints';
import { guardStorage, iso } from '../db/util';
import { type AttemptResult, attemptTarget, performAttempt } from '../delivery/attempt';
import type { ClaimedDelivery } from '../delivery/queue';
import { assertTargetAllowed } from '../endpoints/guard';
import { checkedJson } from '../events/service';
import { getScheme } from '../signing';
import type { HandlerParts } from './index';

export function webhookHandlers(
  ctx: EngineContext,
  { store, events, dispatcher, leases, http }: HandlerParts,
): Pick<Handlers, 'webhooks.test'> {
  return {
    'webhooks.test': async (input) => {
      const dataJson = checkedJson(input.data);
      const now = ctx.clock.now();
      if (input.endpointId) {
        const endpointId = input.endpointId;
        const row = store.row(endpointId);
        // A one-shot delivery leased as it is written: if the process dies mid-test, lease recovery makes the attempt.
        const leased: ClaimedDelivery[] = [];
        const event = guardStorage(() =>
          ctx.db.transaction(() =>
            events.insert(input.type, input.version, input.data, dataJson, [{ id: endpointId, paused: false }], now, {
              maxAttempts: 1,
              leaseFor: () => ({ leaseUntil: leases.wallUntil(row.timeout_ms) }),
              leased,
            }),
          )(),
        );
        const delivery = leased[0];
        if (!delivery) throw new Error('test delivery was not created');
        leases.hold(delivery.id, delivery.lease_seq, endpointId, row.timeout_ms);
        events.publish({ event, created: true, leased });
        const t = store.target(endpointId);
        if (!t) throw new Error('endpoint vanished');
        const result = await performAttempt(http, ctx.clock, attemptTarget(t), {
          id: event.id,
          type: event.type,
          version: event.version,
          createdAt: event.createdAt,
          data: input.data,
        });
        dispatcher.batch.addOutcome({ delivery, result });
        await dispatcher.flushNow();
        return { deliveryId: delivery.id, eventId: event.id, attempt: toAttempt(result) };
      }
      const url = input.url as string;
      assertTargetAllowed(url, 'url', ctx.settings());
      const secret = input.secret ?? getScheme(input.scheme).generateSecret();
      assertSecretFits(input.scheme, secret);
      const eventId = randomUUID();
      const result = await performAttempt(
        http,
        ctx.clock,
        {
          endpointId: 'test',
          url,
          scheme: input.scheme,
          headers: input.headers,
          secrets: [secret],
          timeoutMs: input.timeoutMs,
        },
        { id: eventId, type: input.type, version: input.version, createdAt: iso(now), data: input.data },
      );
      // the receiver needs the secret to verify: a generated one is returned (a given one the caller has)
      return { deliveryId: null, eventId, attempt: toAttempt(result), ...(input.secret ? {} : { secret }) };
    },
  };
}

function toAttempt(r: AttemptResult): Attempt {
  return {
    number: 1,
    startedAt: iso(r.startedAt),
    durationMs: r.durationMs,
    request: r.request,
    response: r.response,
    error: r.error,
    succeeded: r.succeeded,
    superseded: false,
  };
}
