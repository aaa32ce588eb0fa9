// The dispatcher: claims due deliveries in batches, runs attempts within the global and per-endpoint limits,
// hands results to Outcomes, and sleeps (on the injected clock) until the next delivery is due.
import { type AttemptTarget, performAttempt } from './attempt';
import type { EngineContext } from './context';
import type { EndpointStore } from './db/endpoints';
import { guardStorage, iso } from './db/util';
import type { HttpClient } from './http-client';
import type { Outcomes } from './outcomes';
import { DispatcherOwner } from './owner';
import { type ClaimedDelivery, type DeliveryQueue, type DeliveryState, stateTopic } from './queue';
import { RateLimiter } from './rate-limiter';

export interface DispatcherOptions {
  /** attempts in flight at once to one endpoint */
  perEndpointConcurrency: number;
  /** most deliveries claimed by one UPDATE */
  batchSize: number;
  /** how often expired leases are returned to pending */
  leaseRecoveryMs: number;
}

/** A sleeping dispatcher re-checks at least this often (another process may have written to the file). */
const MAX_SLEEP_MS = 30_000;

export class Dispatcher {
  private concurrency: number;
  private started = false;
  private stopping = false;
  private inFlight = 0;
  private readonly perEndpoint = new Map<string, number>();
  /** claimed in a batch beyond an endpoint's limit: they start as that endpoint's attempts finish */
  private readonly backlog = new Map<string, ClaimedDelivery[]>();
  private backlogSize = 0;
  private readonly running = new Set<Promise<void>>();
  private readonly limiter = new RateLimiter();
  private pumpScheduled = false;
  private timer: unknown = null;
  private timerAt = Number.POSITIVE_INFINITY;
  private recoveryTimer: unknown = null;
  private readonly owner: DispatcherOwner;

  constructor(
    private readonly ctx: EngineContext,
    private readonly queue: DeliveryQueue,
    private readonly store: EndpointStore,
    private readonly http: HttpClient,
    private readonly outcomes: Outcomes,
    private readonly opts: DispatcherOptions,
  ) {
    this.concurrency = ctx.settings().concurrency;
    this.owner = new DispatcherOwner(ctx.db);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    try {
      if (this.owner.claim()) {
        const states = guardStorage(() => this.queue.recoverAll(this.ctx.clock.now()));
        for (const s of states) this.ctx.emit('delivery.updated', stateTopic(s));
        if (states.length > 0)
          this.ctx.log.info('took back the deliveries of a crashed dispatcher', { count: states.length });
      }
    } catch (err) {
      this.ctx.log.error('dispatcher ownership check failed', { error: String(err) });
    }
    this.recover();
    this.wake();
  }

  /** Schedules a claim pass on the next tick (coalesced): new events, freed slots, resumed endpoints. */
  wake(): void {
    if (!this.started || this.stopping || this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  setConcurrency(n: number): void {
    this.concurrency = n;
    this.wake();
  }

  /** attempts running now (system.status, tests) */
  get active(): number {
    return this.inFlight;
  }

  /** No new claims; waits for in-flight attempts, records them, and gives back what was claimed but not started. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of [this.timer, this.recoveryTimer]) if (t !== null) this.ctx.clock.clearTimeout(t);
    this.timer = this.recoveryTimer = null;
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    this.outcomes.flush();
    const now = this.ctx.clock.now();
    for (const list of this.backlog.values()) {
      for (const d of list) this.publish(this.queue.release(d.id, now, now));
    }
    this.backlog.clear();
    this.backlogSize = 0;
    if (this.started) {
      try {
        this.owner.release();
      } catch (err) {
        this.ctx.log.warn('could not clear the dispatcher owner', { error: String(err) });
      }
    }
  }

  /**
   * One pass: in ONE transaction, write the outcomes gathered since the last pass and claim what is due for
   * the free slots; then publish and start the claimed attempts. Under load that is one commit per pass.
   */
  private pump(): void {
    if (this.stopping) return;
    const now = this.ctx.clock.now();
    const busy = this.busyEndpoints();
    const limit = Math.max(0, Math.min(this.concurrency - this.inFlight - this.backlogSize, this.opts.batchSize));
    const outcomes = this.outcomes.take();
    let publish = () => {};
    let batch: ClaimedDelivery[] = [];
    try {
      guardStorage(() =>
        this.ctx.db.transaction(() => {
          publish = this.outcomes.write(outcomes);
          if (limit > 0) batch = this.queue.claim(now, limit, busy);
        })(),
      );
    } catch (err) {
      if (outcomes.length > 0) this.outcomes.lost(outcomes, err);
      else this.ctx.log.error('claiming deliveries failed', { error: String(err) });
      this.sleepUntil(now + 1_000);
      return;
    }
    publish();
    for (const d of batch) {
      this.ctx.emit('delivery.updated', stateTopic({ ...d, status: 'sending' }));
      this.dispatch(d);
    }
    // A full batch: more may be due, claim again on the next tick. Otherwise sleep until the next due time
    // (finishing attempts wake us sooner).
    if (limit > 0 && batch.length === limit) this.wake();
    else if (limit > 0) {
      const due = this.queue.nextDue(this.busyEndpoints());
      if (due !== null) this.sleepUntil(due);
    }
  }

  private busyEndpoints(): string[] {
    const out: string[] = [];
    for (const [id, n] of this.perEndpoint) if (n >= this.opts.perEndpointConcurrency) out.push(id);
    return out;
  }

  private dispatch(d: ClaimedDelivery): void {
    if ((this.perEndpoint.get(d.endpoint_id) ?? 0) >= this.opts.perEndpointConcurrency) {
      const list = this.backlog.get(d.endpoint_id) ?? [];
      list.push(d);
      this.backlog.set(d.endpoint_id, list);
      this.backlogSize++;
      return;
    }
    this.inFlight++;
    this.perEndpoint.set(d.endpoint_id, (this.perEndpoint.get(d.endpoint_id) ?? 0) + 1);
    const p: Promise<void> = this.run(d)
      .catch((err) => this.ctx.log.error('attempt crashed', { deliveryId: d.id, error: String(err) }))
      .finally(() => {
        this.inFlight--;
        const left = (this.perEndpoint.get(d.endpoint_id) ?? 1) - 1;
        if (left > 0) this.perEndpoint.set(d.endpoint_id, left);
        else this.perEndpoint.delete(d.endpoint_id);
        this.running.delete(p);
        if (!this.stopping) this.startFromBacklog(d.endpoint_id);
        this.wake();
      });
    this.running.add(p);
  }

  private startFromBacklog(endpointId: string): void {
    const list = this.backlog.get(endpointId);
    const next = list?.shift();
    if (!next) return;
    if (list?.length === 0) this.backlog.delete(endpointId);
    this.backlogSize--;
    // It waited in memory: make sure its lease still covers a full attempt.
    const target = this.store.target(endpointId);
    const until = this.ctx.clock.now() + (target?.timeoutMs ?? 15_000) + 10_000;
    if (next.lease_until < until) this.queue.renewLease(next.id, until);
    this.dispatch(next);
  }

  private async run(d: ClaimedDelivery): Promise<void> {
    const now = this.ctx.clock.now();
    const target = this.store.target(d.endpoint_id);
    if (!target || target.deleted) return this.publish(this.queue.settle(d.id, 'cancelled', now));
    if (!target.enabled) return this.publish(this.queue.settle(d.id, 'paused', now));
    if (target.rateLimitPerSec !== null) {
      const wait = this.limiter.reserve(target.id, d.id, target.rateLimitPerSec, now);
      if (wait > 0) {
        this.publish(this.queue.release(d.id, now + wait, now));
        return this.sleepUntil(now + wait);
      }
    }
    const attemptTarget: AttemptTarget = {
      endpointId: target.id,
      url: target.url,
      scheme: target.scheme,
      headers: target.headers,
      secrets: target.secrets,
      timeoutMs: target.timeoutMs,
    };
    const result = await performAttempt(this.http, this.ctx.clock, attemptTarget, {
      id: d.event_id,
      type: d.type,
      version: d.version,
      createdAt: iso(d.event_created_at),
      data: JSON.parse(d.data),
    });
    this.outcomes.add({ delivery: d, result });
  }

  private publish(s: DeliveryState | undefined): void {
    if (s) this.ctx.emit('delivery.updated', stateTopic(s));
  }

  /** Arms the wake-up timer for `at` unless an earlier one is armed. */
  private sleepUntil(at: number): void {
    if (this.stopping || !Number.isFinite(at) || at >= this.timerAt) return;
    if (this.timer !== null) this.ctx.clock.clearTimeout(this.timer);
    const delay = Math.min(MAX_SLEEP_MS, Math.max(0, at - this.ctx.clock.now()));
    this.timerAt = at;
    this.timer = this.ctx.clock.setTimeout(() => {
      this.timer = null;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.wake();
    }, delay);
  }

  /** Expired leases back to pending, now and every leaseRecoveryMs. */
  private recover(): void {
    try {
      const states = guardStorage(() => this.queue.recoverExpired(this.ctx.clock.now()));
      for (const s of states) this.ctx.emit('delivery.updated', stateTopic(s));
      if (states.length > 0) {
        this.ctx.log.info('returned expired leases to the queue', { count: states.length });
        this.wake();
      }
    } catch (err) {
      this.ctx.log.error('lease recovery failed', { error: String(err) });
    }
    if (this.stopping) return;
    // Check again when the earliest lease runs out (a crashed process's claims come back promptly), and at
    // least every leaseRecoveryMs.
    const now = this.ctx.clock.now();
    const earliest = this.queue.earliestLease();
    const delay =
      earliest === null
        ? this.opts.leaseRecoveryMs
        : Math.min(this.opts.leaseRecoveryMs, Math.max(0, earliest - now) + 1);
    this.recoveryTimer = this.ctx.clock.setTimeout(() => this.recover(), delay);
  }
}
