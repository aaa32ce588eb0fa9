// Enabling, disabling and deleting endpoints, with what each does to their waiting deliveries. Enabling resumes
// paused deliveries (due now) and wakes the dispatcher for them.
import type { Endpoint, ReplayMissingOutput } from '../../../shared';
import type { EngineContext } from '../context';
import { rowRetryPolicy } from '../db/endpoint-rows';
import { type EndpointStore, SYSTEM_ENDPOINT_ID } from '../db/endpoints';
import { missedEvents } from '../db/event-reads';
import { guardStorage } from '../db/util';
import type { Dispatcher } from '../delivery/dispatcher';
import { stateTopic } from '../delivery/queue';
import type { DeliveryStates } from '../delivery/state';
import type { EndpointControlPort } from '../store/control-ports';
import type { EndpointDisabler } from './disable';
import { announceReplay, type ReplayInput, replayAnswer, replayQuery, replayRows } from './replay';

export class EndpointControl implements EndpointControlPort {
  constructor(
    private readonly ctx: EngineContext,
    private readonly store: EndpointStore,
    private readonly states: DeliveryStates,
    private readonly disabler: EndpointDisabler,
    /** only its wake-up, for deliveries resumed due now */
    private readonly dispatcher: Pick<Dispatcher, 'wake'>,
  ) {}

  /** The events of a range the endpoint subscribes to and never got, each a new delivery (endpoints/replay.ts). */
  replayMissing(input: ReplayInput): ReplayMissingOutput {
    const row = this.store.row(input.id);
    const now = this.ctx.clock.now();
    const q = replayQuery(row, input, now);
    const maxAttempts = rowRetryPolicy(row)?.maxAttempts ?? this.ctx.settings().retry.maxAttempts;
    const { missed, states } = guardStorage(() =>
      this.ctx.db.transaction(() => {
        const missed = missedEvents(this.ctx.db, q);
        if (input.dryRun) return { missed, states: [] };
        const rows = replayRows(q, missed, maxAttempts, now);
        for (const d of rows.deliveries) this.states.insert(d);
        return { missed, states: rows.states };
      })(),
    );
    announceReplay(states, row.id, this.ctx.emit, (id) => this.dispatcher.wake(id));
    return replayAnswer(missed.length, input.dryRun);
  }

  /** A manual disable: its pending deliveries are paused; no notification, the user did it. */
  disable(id: string, reason = 'Disabled manually'): Endpoint {
    const row = this.store.row(id);
    const now = this.ctx.clock.now();
    const d = guardStorage(() =>
      this.ctx.db.transaction(() => this.disabler.disableInTx(id, row.url, reason, 'manual', now))(),
    );
    this.disabler.announce(d);
    return this.store.get(id);
  }

  enable(id: string): Endpoint {
    this.store.row(id);
    this.resume(id);
    return this.store.get(id);
  }

  /** Soft delete: the endpoint disappears from lists, its waiting deliveries are cancelled, history stays. */
  delete(id: string): void {
    this.store.row(id);
    const now = this.ctx.clock.now();
    const cancelled = guardStorage(() =>
      this.ctx.db.transaction(() => {
        this.store.markDeleted(id, now);
        return this.states.cancelEndpoint(id, now);
      })(),
    );
    this.store.invalidate(id);
    for (const s of cancelled) this.ctx.emit('delivery.updated', stateTopic(s));
    this.ctx.emit('endpoint.updated', { id });
  }

  /**
   * The system endpoint follows settings.notificationUrl: re-pointed and resumed when one is set, its waiting
   * events paused (kept) when it is cleared.
   */
  syncNotificationUrl(url: string | null): void {
    const now = this.ctx.clock.now();
    const paused = guardStorage(() =>
      this.ctx.db.transaction(() => {
        this.store.syncSystem(url);
        return url ? [] : this.states.pauseEndpoint(SYSTEM_ENDPOINT_ID, 'endpoint_disabled', now);
      })(),
    );
    for (const s of paused) this.ctx.emit('delivery.updated', stateTopic(s));
    if (url) this.resume(SYSTEM_ENDPOINT_ID);
  }

  private resume(id: string): void {
    const now = this.ctx.clock.now();
    const resumed = guardStorage(() =>
      this.ctx.db.transaction(() => {
        this.store.markEnabled(id, now);
        return this.states.resumeEndpoint(id, now);
      })(),
    );
    this.store.invalidate(id);
    for (const s of resumed) this.ctx.emit('delivery.updated', stateTopic(s));
    if (id !== SYSTEM_ENDPOINT_ID) this.ctx.emit('endpoint.updated', { id });
    if (resumed.length > 0) this.dispatcher.wake(id);
  }
}
