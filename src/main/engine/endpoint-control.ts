// Enabling, disabling and deleting endpoints, with what each does to their waiting deliveries.
// Auto-disable (outcomes.ts) uses the same `disableInTx` inside its acknowledgement transaction.

import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { type Endpoint, redactUrl, redactUrlsIn } from '../../shared';
import { attemptSummary, performAttempt } from './attempt';
import type { EngineContext } from './context';
import type { EndpointStore } from './db/endpoints';
import { guardStorage, iso } from './db/util';
import type { HttpPoster } from './http-client';
import { type DeliveryQueue, type DeliveryState, stateTopic } from './queue';
import type { SettingsStore } from './settings-store';

export interface Disabled {
  endpointId: string;
  url: string;
  reason: string;
  paused: DeliveryState[];
}

export class EndpointControl {
  private readonly q;

  constructor(
    private readonly ctx: EngineContext,
    private readonly store: EndpointStore,
    private readonly queue: DeliveryQueue,
    private readonly settingsStore: SettingsStore,
    private readonly http: HttpPoster,
    /** wakes the dispatcher (resumed deliveries are due now) */
    private readonly wake: () => void,
  ) {
    const db: Database.Database = ctx.db;
    this.q = {
      disable: db.prepare('UPDATE endpoints SET enabled = 0, disabled_reason = ?, updated_at = ? WHERE id = ?'),
      enable: db.prepare(
        'UPDATE endpoints SET enabled = 1, disabled_reason = NULL, consecutive_failures = 0, updated_at = ? WHERE id = ?',
      ),
      softDelete: db.prepare('UPDATE endpoints SET deleted_at = ?, enabled = 0, updated_at = ? WHERE id = ?'),
    };
  }

  /** Inside a transaction: the endpoint is disabled and its pending deliveries paused. */
  disableInTx(endpointId: string, url: string, reason: string, now: number): Disabled {
    this.q.disable.run(reason, now, endpointId);
    return { endpointId, url, reason, paused: this.queue.pauseEndpoint(endpointId, now) };
  }

  /** A manual disable: no notification, the user did it. */
  disable(id: string, reason = 'Disabled manually'): Endpoint {
    const row = this.store.row(id);
    const now = this.ctx.clock.now();
    const d = guardStorage(() => this.ctx.db.transaction(() => this.disableInTx(id, row.url, reason, now))());
    this.store.invalidate(id);
    this.published(d, false);
    return this.store.get(id);
  }

  enable(id: string): Endpoint {
    this.store.row(id);
    const now = this.ctx.clock.now();
    const resumed = guardStorage(() =>
      this.ctx.db.transaction(() => {
        this.q.enable.run(now, id);
        return this.queue.resumeEndpoint(id, now);
      })(),
    );
    this.store.invalidate(id);
    for (const s of resumed) this.ctx.emit('delivery.updated', stateTopic(s));
    this.ctx.emit('endpoint.updated', { id });
    this.wake();
    return this.store.get(id);
  }

  /** Soft delete: the endpoint disappears from lists, its waiting deliveries are cancelled, history stays. */
  delete(id: string): void {
    this.store.row(id);
    const now = this.ctx.clock.now();
    const cancelled = guardStorage(() =>
      this.ctx.db.transaction(() => {
        this.q.softDelete.run(now, now, id);
        return this.queue.cancelEndpoint(id, now);
      })(),
    );
    this.store.invalidate(id);
    for (const s of cancelled) this.ctx.emit('delivery.updated', stateTopic(s));
    this.ctx.emit('endpoint.updated', { id });
  }

  /** After the disabling transaction committed: topics, and for an auto-disable the user's notifications. */
  published(d: Disabled, auto: boolean): void {
    for (const s of d.paused) this.ctx.emit('delivery.updated', stateTopic(s));
    this.ctx.emit('endpoint.updated', { id: d.endpointId });
    this.ctx.emit('endpoint.disabled', {
      id: d.endpointId,
      url: d.url,
      reason: d.reason,
      pausedDeliveries: d.paused.length,
    });
    if (!auto) return;
    this.ctx.log.warn('endpoint disabled', {
      endpointId: d.endpointId,
      url: redactUrl(d.url),
      reason: d.reason,
      paused: d.paused.length,
    });
    try {
      this.ctx.notify({
        topic: 'endpoint.disabled',
        title: 'Endpoint disabled',
        body: `${redactUrl(d.url)}: ${redactUrlsIn(d.reason)}`,
        endpointId: d.endpointId,
      });
    } catch (err) {
      this.ctx.log.warn('notify failed', { error: String(err) });
    }
    this.sendOperationalEvent(d).catch((err) =>
      this.ctx.log.warn('operational notification failed', { endpointId: d.endpointId, error: String(err) }),
    );
  }

  /** The consumer's own notification (as Svix does): a signed `endpoint.disabled` event to notificationUrl. */
  private async sendOperationalEvent(d: Disabled): Promise<void> {
    const url = this.ctx.settings().notificationUrl;
    if (!url) return;
    const now = this.ctx.clock.now();
    const result = await performAttempt(
      this.http,
      this.ctx.clock,
      {
        endpointId: 'operational',
        url,
        scheme: 'standard',
        headers: {},
        secrets: [this.settingsStore.operationalSecret()],
        timeoutMs: 10_000,
      },
      {
        id: randomUUID(),
        type: 'endpoint.disabled',
        version: 'v1',
        createdAt: iso(now),
        // the notification URL may be a third party's (a chat webhook): the endpoint URL's credentials stay here
        data: {
          endpoint: { id: d.endpointId, url: redactUrl(d.url) },
          reason: redactUrlsIn(d.reason),
          pausedDeliveries: d.paused.length,
        },
      },
    );
    const fields = { endpointId: d.endpointId, url: redactUrl(url), result: attemptSummary(result) };
    if (result.succeeded) this.ctx.log.info('operational notification sent', fields);
    else this.ctx.log.warn('operational notification failed', fields);
  }
}
