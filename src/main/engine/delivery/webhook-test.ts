// webhooks.test to an endpoint on SQLite: the event and its one leased delivery written in one transaction by
// EventService.insert (one attempt allowed: a test is never retried), then attemptOneShot.
import type Database from 'better-sqlite3';
import type { EndpointStore } from '../db/endpoints';
import { guardStorage } from '../db/util';
import type { EventService } from '../events/service';
import type { WebhookTestInput, WebhookTestOutcome, WebhookTestPort } from '../store/webhook-test-port';
import { attemptOneShot, type OneShotParts } from './one-shot';
import type { ClaimedDelivery } from './queue';

export class SqliteWebhookTest implements WebhookTestPort {
  constructor(
    private readonly db: Database.Database,
    private readonly store: EndpointStore,
    private readonly events: EventService,
    private readonly parts: Omit<OneShotParts, 'targets'>,
  ) {}

  async toEndpoint({ endpointId, type, version, data, dataJson, now }: WebhookTestInput): Promise<WebhookTestOutcome> {
    const row = this.store.row(endpointId);
    const { leases } = this.parts;
    // A one-shot delivery leased as it is written: if the process dies mid-test, lease recovery makes the attempt.
    const leased: ClaimedDelivery[] = [];
    const event = guardStorage(() =>
      this.db.transaction(() => {
        const written = this.events.insert(type, version, data, dataJson, [{ id: endpointId, paused: false }], now, {
          maxAttempts: 1,
          leaseFor: () => ({ leaseUntil: leases.wallUntil(row.timeout_ms) }),
          leased,
        });
        this.events.markTest(written.id);
        return written;
      })(),
    );
    return attemptOneShot({ ...this.parts, targets: this.store }, { event, leased }, data, row.timeout_ms);
  }
}
