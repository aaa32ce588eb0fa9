// webhooks.test: one attempt now, through the same attempt code as the dispatcher, returned to the caller.
// To a stored endpoint it is a real one-shot delivery (in the log, counted for auto-disable); to a bare URL it is
// sent and returned, nothing stored.
import { randomUUID } from 'node:crypto';
import { type Attempt, type Handlers, WEBHOOK_TEST_DEFAULTS } from '../../../shared';
import type { EngineContext } from '../context';
import { assertSecretFits } from '../db/endpoints';
import { iso } from '../db/util';
import { type AttemptResult, performAttempt } from '../delivery/attempt';
import { SqliteWebhookTest } from '../delivery/webhook-test';
import { assertTargetAllowed } from '../endpoints/guard';
import { checkedJson } from '../events/service';
import type { HttpPoster } from '../http/client';
import { getScheme } from '../signing';
import type { WebhookTestPort } from '../store/webhook-test-port';
import type { HandlerContext } from './handler-context';
import type { HandlerParts } from './index';

/** What webhooks.test acts on: the store's one-shot delivery, and the HTTP client for a bare URL. */
export interface WebhookPorts {
  test: WebhookTestPort;
  http: HttpPoster;
}

/** SQLite's ports, from the running SQLite engine's parts. */
export function sqliteWebhookPorts(
  ctx: EngineContext,
  {
    store,
    events,
    dispatcher,
    leases,
    http,
  }: Pick<HandlerParts, 'store' | 'events' | 'dispatcher' | 'leases' | 'http'>,
): WebhookPorts {
  return { test: new SqliteWebhookTest(ctx.db, store, events, { ctx, http, leases, dispatcher }), http };
}

export function webhookHandlers(ctx: HandlerContext, { test, http }: WebhookPorts): Pick<Handlers, 'webhooks.test'> {
  return {
    'webhooks.test': async (input) => {
      const dataJson = checkedJson(input.data);
      const now = ctx.clock.now();
      if (input.endpointId) {
        const { endpointId, type, version, data } = input;
        const out = await test.toEndpoint({ endpointId, type, version, data, dataJson, now });
        return { deliveryId: out.deliveryId, eventId: out.eventId, attempt: toAttempt(out.result) };
      }
      const url = input.url as string;
      const scheme = input.scheme ?? WEBHOOK_TEST_DEFAULTS.scheme;
      assertTargetAllowed(url, 'url', ctx.settings());
      const secret = input.secret ?? getScheme(scheme).generateSecret();
      assertSecretFits(scheme, secret);
      const eventId = randomUUID();
      const result = await performAttempt(
        http,
        ctx.clock,
        {
          endpointId: 'test',
          url,
          scheme,
          headers: input.headers ?? {},
          secrets: [secret],
          timeoutMs: input.timeoutMs ?? WEBHOOK_TEST_DEFAULTS.timeoutMs,
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
