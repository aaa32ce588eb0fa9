// Enabling, disabling and deleting endpoints on PostgreSQL: the async twin of EndpointControl (endpoints/control.ts),
// same moves and the same topics. Each move is one transaction: the endpoint row and the deliveries it pauses,
// resumes or cancels change together, so another process never claims a delivery of an endpoint already disabled
// or deleted. The endpoint's cache is reloaded once the transaction committed (its rows are then current), before
// any topic is emitted, so a listener that reads the endpoint back sees the change.
import type pg from 'pg';
import type { Endpoint, ReplayMissingOutput } from '../../../../shared';
import type { HandlerContext } from '../../api/handler-context';
import { rowRetryPolicy } from '../../db/endpoint-rows';
import { SYSTEM_ENDPOINT_ID } from '../../db/endpoints';
import { type DeliveryState, stateTopic } from '../../delivery/queue';
import { pausedReason } from '../../delivery/retry';
import { announceReplay, type ReplayInput, replayAnswer, replayQuery, replayRows } from '../../endpoints/replay';
import type { Clock } from '../../types';
import type { EndpointControlPort } from '../control-ports';
import { PgDeliveryStates } from './delivery-states';
import type { PgEndpointStore } from './endpoints';
import { missedEvents } from './event-reads';
import { inTransaction } from './in-transaction';

export interface PgEndpointControlParts {
  pool: pg.Pool;
  store: PgEndpointStore;
  clock: Clock;
  /** the process's topics (startPgCore's emit: its listeners now, the other processes soon) */
  emit: HandlerContext['emit'];
  /** the dispatcher's wake-up for deliveries resumed due now */
  wake: (endpointId: string) => void;
  /** the retry policy's attempts, for replayed deliveries */
  maxAttempts: () => number;
}

export class PgEndpointControl implements EndpointControlPort {
  constructor(private readonly parts: PgEndpointControlParts) {}

  /** A manual disable: its pending deliveries are paused; no notification, the user did it. */
  async disable(id: string, reason = 'Disabled manually'): Promise<Endpoint> {
    const { store, clock, emit } = this.parts;
    const row = await store.row(id);
    const now = clock.now();
    const paused = await this.inTx(id, async (c, states) => {
      await store.markDisabled(id, reason, 'manual', now, c);
      return states.pauseEndpoint(id, pausedReason('manual'), now);
    });
    this.announce(paused);
    emit('endpoint.updated', { id });
    emit('endpoint.disabled', { id, url: row.url, reason, pausedDeliveries: paused.length });
    return store.get(id);
  }

  /** The events of a range the endpoint subscribes to and never got, each a new delivery (endpoints/replay.ts). */
  async replayMissing(input: ReplayInput): Promise<ReplayMissingOutput> {
    const { store, clock, emit, wake } = this.parts;
    const row = await store.row(input.id);
    const now = clock.now();
    const q = replayQuery(row, input, now);
    const maxAttempts = rowRetryPolicy(row)?.maxAttempts ?? this.parts.maxAttempts();
    let missed = 0;
    // in inTx, as every move here: the endpoint is reloaded once it committed, so this process's dispatcher, woken
    // below, knows an endpoint another process made a moment ago (else it would drop the wake-up as unknown)
    const created = await this.inTx(row.id, async (c, states) => {
      const events = await missedEvents(c, q);
      missed = events.length;
      if (input.dryRun) return [];
      const rows = replayRows(q, events, maxAttempts, now);
      await states.insertMany(rows.deliveries);
      return rows.states;
    });
    announceReplay(created, row.id, emit, wake);
    return replayAnswer(missed, input.dryRun);
  }

  async enable(id: string): Promise<Endpoint> {
    await this.parts.store.row(id);
    await this.resume(id);
    return this.parts.store.get(id);
  }

  /** Soft delete: the endpoint disappears from lists, its waiting deliveries are cancelled, history stays. */
  async delete(id: string): Promise<void> {
    const { store, clock, emit } = this.parts;
    await store.row(id);
    const now = clock.now();
    const cancelled = await this.inTx(id, async (c, states) => {
      await store.markDeleted(id, now, c);
      return states.cancelEndpoint(id, now);
    });
    this.announce(cancelled);
    emit('endpoint.updated', { id });
  }

  /**
   * The system endpoint follows settings.notificationUrl: re-pointed and resumed when one is set, its waiting
   * events paused (kept) when it is cleared.
   */
  async syncNotificationUrl(url: string | null): Promise<void> {
    const { store, clock } = this.parts;
    const now = clock.now();
    const paused = await this.inTx(SYSTEM_ENDPOINT_ID, async (c, states) => {
      await store.syncSystem(url, c);
      return url ? [] : states.pauseEndpoint(SYSTEM_ENDPOINT_ID, 'endpoint_disabled', now);
    });
    this.announce(paused);
    if (url) await this.resume(SYSTEM_ENDPOINT_ID);
  }

  private async resume(id: string): Promise<void> {
    const { store, clock, emit, wake } = this.parts;
    const now = clock.now();
    const resumed = await this.inTx(id, async (c, states) => {
      await store.markEnabled(id, now, c);
      return states.resumeEndpoint(id, now);
    });
    this.announce(resumed);
    if (id !== SYSTEM_ENDPOINT_ID) emit('endpoint.updated', { id });
    if (resumed.length > 0) wake(id);
  }

  /** `work` in one transaction with the delivery state machine on its client; the endpoint reloaded after commit. */
  private async inTx(
    id: string,
    work: (c: pg.PoolClient, states: PgDeliveryStates) => Promise<DeliveryState[]>,
  ): Promise<DeliveryState[]> {
    const changed = await inTransaction(this.parts.pool, (c) => work(c, new PgDeliveryStates(c)));
    await this.parts.store.refresh(id);
    return changed;
  }

  private announce(states: DeliveryState[]): void {
    for (const s of states) this.parts.emit('delivery.updated', stateTopic(s));
  }
}
