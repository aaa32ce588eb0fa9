// webhooks.test to a stored endpoint as a port: a one-shot delivery written leased, attempted now, its outcome
// recorded through the dispatcher's commit batch and flushed before the answer. SQLite's SqliteWebhookTest
// (delivery/webhook-test.ts) and PostgreSQL's PgWebhookTest (store/pg/webhook-test.ts) write the event and its
// delivery each in their own transaction; the attempt and its recording are the same code (delivery/one-shot.ts).
import type { AttemptResult } from '../delivery/attempt';
import type { Awaitable } from '../delivery/state-store';

export interface WebhookTestInput {
  endpointId: string;
  type: string;
  version: string;
  data: unknown;
  /** the data as stored (checkedJson) */
  dataJson: string;
  /** the engine clock when the test was asked for: the event's created_at */
  now: number;
}

export interface WebhookTestOutcome {
  deliveryId: string;
  eventId: string;
  result: AttemptResult;
}

export interface WebhookTestPort {
  /** not_found for an unknown, deleted or system endpoint, before anything is written */
  toEndpoint(input: WebhookTestInput): Awaitable<WebhookTestOutcome>;
}
