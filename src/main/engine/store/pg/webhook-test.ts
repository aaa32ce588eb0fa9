// webhooks.test to an endpoint on PostgreSQL: the event and its one delivery, written `sending` with lease_seq 1 (one
// attempt allowed: a test is never retried), in one transaction by the same planEvent and insertPlans as a pass's
// events; then attemptOneShot, whose outcome the dispatcher's commit batch records on PgDispatchStore.
import type pg from 'pg';
import { notFound } from '../../../../shared';
import { attemptOneShot, type OneShotParts } from '../../delivery/one-shot';
import { planEvent } from '../../events/plan';
import type { WebhookTestInput, WebhookTestOutcome, WebhookTestPort } from '../webhook-test-port';
import { PgDeliveryStates } from './delivery-states';
import { inTransaction } from './in-transaction';
import { insertPlans, markTestEvent } from './pass-events';

export class PgWebhookTest implements WebhookTestPort {
  constructor(
    private readonly pool: pg.Pool,
    private readonly parts: OneShotParts & { targets: OneShotParts['targets'] & { current(): Promise<void> } },
  ) {}

  async toEndpoint({ endpointId, type, version, data, dataJson, now }: WebhookTestInput): Promise<WebhookTestOutcome> {
    // the endpoint cache, up to date with other processes' changes of a moment ago, answers as SQLite's row() does:
    // a live user endpoint (a disabled one is tested too)
    await this.parts.targets.current();
    const t = this.parts.targets.target(endpointId);
    if (!t || t.deleted || t.system) throw notFound('endpoint', endpointId);
    const { leases } = this.parts;
    const plan = planEvent(type, version, data, dataJson, [{ id: endpointId, paused: false }], now, 1, () => ({
      leaseUntil: leases.wallUntil(t.timeoutMs),
    }));
    await inTransaction(this.pool, async (client) => {
      await insertPlans(client, new PgDeliveryStates(client), [plan]);
      await markTestEvent(client, plan.event.id);
    });
    return attemptOneShot(this.parts, { event: plan.event, leased: plan.leased }, data, t.timeoutMs);
  }
}
