// The dispatcher: claims due deliveries in batches, runs attempts within the global and per-endpoint limits,
// hands results to Outcomes, and sleeps (on the injected clock) until the next delivery is due.
//
// Commits are what cost (each writes its pages to the WAL), so the database is touched in batches: one
// transaction writes every outcome gathered since the last one AND claims the next deliveries. Deliveries are
// claimed ahead (up to twice the concurrency) and wait in memory, so a finished attempt starts the next one at
// once, without a query; outcomes are flushed when enough have gathered or a millisecond after the first.
import { type AttemptEvent, type AttemptTarget, performAttempt } from './attempt';
import type { EngineContext } from './context';
import type { DispatchTarget, EndpointStore } from './db/endpoints';
import { guardStorage, iso } from './db/util';
import type { HttpClient } from './http-client';
import type { Outcome, Outcomes } from './outcomes';
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
/** Outcomes wait at most this long (real time) for others to share their commit... */
const FLUSH_DELAY_MS = 1;
/** ...or until this many have gathered. */
const FLUSH_BATCH = 64;
/** A delivery leaving the in-memory backlog needs at least its timeout plus this much lease left. */
const LEASE_MARGIN_MS = 5_000;

export class Dispatcher {
  private concurrency: number;
  private started = false;
  private stopping = false;
  private inFlight = 0;
  private readonly perEndpoint = new Map<string, number>();
  /** claimed, waiting in memory for a slot (global or the endpoint's), in claim order per endpoint */
  private readonly backlog = new Map<string, ClaimedDelivery[]>();
  private backlogSize = 0;
  /** the last claim found nothing more due (for endpoints not excluded); cleared by wake() */
  private drained = false;
  /** endpoints excluded from the last claim because they had enough claimed already */
  private excluded: string[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly limiter = new RateLimiter();
  private pumpScheduled = false;
  private flushTimer: NodeJS.Timeout | null = null;
  private timer: unknown = null;
  private timerAt = Number.POSITIVE_INFINITY;
  private recoveryTimer: unknown = null;
  private readonly owner: DispatcherOwner;
  private readonly pumpNow = () => {
    this.pumpScheduled = false;
    this.pump();
  };
  /** a pass's write: outcomes, then the claim (one transaction function, made once) */
  private readonly passTx;

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
    this.passTx = ctx.db.transaction(
      (outcomes: Outcome[], now: number, limit: number, exclude: string[]): [() => void, ClaimedDelivery[]] => [
        this.outcomes.write(outcomes),
        limit > 0 ? this.queue.claim(now, limit, exclude) : [],
      ],
    );
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

  /** Something may be due (new events, retries, resumed endpoints, a timer): claim on the next tick. */
  wake(): void {
    this.drained = false;
    this.schedule();
  }

  /** An outcome was buffered (Outcomes calls this): flush soon, together with others. */
  outcomeAdded(buffered: number): void {
    if (buffered >= FLUSH_BATCH) this.schedule();
    else if (this.flushTimer === null && !this.stopping) {
      // Real time on purpose: this only batches commits, and a test clock standing still must not hold them.
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        this.schedule();
      }, FLUSH_DELAY_MS);
    }
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
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
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

  private schedule(): void {
    if (!this.started || this.stopping || this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(this.pumpNow);
  }

  /** Claims ahead up to twice the concurrency, so slots refill from memory while the next claim is due. */
  private claimRoom(): number {
    if (this.drained) return 0;
    return Math.max(0, Math.min(2 * this.concurrency - this.inFlight - this.backlogSize, this.opts.batchSize));
  }

  /** Few claimed deliveries left waiting: time to claim more (in batches, not one per finished attempt). */
  private runningLow(): boolean {
    return !this.drained && this.backlogSize <= this.concurrency >> 2;
  }

  /**
   * One pass: in ONE transaction, write the outcomes gathered since the last pass and claim what is due for
   * the free room; then publish, and start what the slots allow. Under load that is one commit per batch.
   */
  private pump(): void {
    if (this.stopping) return;
    if (this.flushTimer !== null) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    const now = this.ctx.clock.now();
    const outcomes = this.outcomes.take();
    // Claiming rides along with a commit that happens anyway; on its own it waits for the backlog to run low.
    const limit = outcomes.length > 0 || this.runningLow() ? this.claimRoom() : 0;
    if (limit === 0 && outcomes.length === 0) return;
    const exclude = limit > 0 ? this.saturatedEndpoints() : [];
    let publish: () => void;
    let batch: ClaimedDelivery[];
    try {
      [publish, batch] = guardStorage(() => this.passTx(outcomes, now, limit, exclude));
    } catch (err) {
      if (outcomes.length > 0) this.outcomes.lost(outcomes, err);
      else this.ctx.log.error('claiming deliveries failed', { error: String(err) });
      this.sleepUntil(now + 1_000);
      return;
    }
    publish();
    const st = ((globalThis as any).__hb ??= { pumps: 0, claimed: 0, outs: 0, claims: 0, limits: 0 });
    st.pumps++;
    st.claimed += batch.length;
    st.outs += outcomes.length;
    if (limit > 0) {
      st.claims++;
      st.limits += limit;
    }
    for (const d of batch) {
      this.ctx.emit('delivery.updated', stateTopic({ ...d, status: 'sending' }));
      this.enqueue(d);
    }
    this.fill();
    if (limit === 0) return;
    this.excluded = exclude;
    // A full batch: more may be due, claim again on the next tick. Otherwise sleep until the next due time
    // (new events, finishing attempts and freed endpoints wake us sooner).
    if (batch.length === limit) this.schedule();
    else {
      this.drained = true;
      const due = this.queue.nextDue(this.saturatedEndpoints());
      if (due !== null) this.sleepUntil(due);
    }
  }

  /** Has the endpoint as many deliveries claimed (running or waiting) as two rounds of its concurrency? */
  private saturated(endpointId: string): boolean {
    const claimed = (this.perEndpoint.get(endpointId) ?? 0) + (this.backlog.get(endpointId)?.length ?? 0);
    return claimed >= 2 * this.opts.perEndpointConcurrency;
  }

  /** Endpoints left out of a claim: they have enough work claimed already. */
  private saturatedEndpoints(): string[] {
    const out: string[] = [];
    for (const id of this.perEndpoint.keys()) if (this.saturated(id)) out.push(id);
    for (const id of this.backlog.keys()) if (!this.perEndpoint.has(id) && this.saturated(id)) out.push(id);
    return out;
  }

  private enqueue(d: ClaimedDelivery): void {
    const list = this.backlog.get(d.endpoint_id);
    if (list) list.push(d);
    else this.backlog.set(d.endpoint_id, [d]);
    this.backlogSize++;
  }

  /** Starts waiting deliveries while there are free slots, endpoints taking turns. */
  private fill(): void {
    if (this.stopping) return;
    let progressed = true;
    while (this.inFlight < this.concurrency && this.backlogSize > 0 && progressed) {
      progressed = false;
      for (const [endpointId, list] of this.backlog) {
        if (this.inFlight >= this.concurrency) break;
        if ((this.perEndpoint.get(endpointId) ?? 0) >= this.opts.perEndpointConcurrency) continue;
        const d = list.shift() as ClaimedDelivery;
        this.backlogSize--;
        // the endpoint goes to the back of the rotation (or leaves it when it has nothing more waiting)
        this.backlog.delete(endpointId);
        if (list.length > 0) this.backlog.set(endpointId, list);
        if (this.leaseHolds(d)) this.launch(d);
        progressed = true;
      }
    }
    // Running low on claimed work: claim more now rather than when the slots are already empty.
    if (this.runningLow() && this.claimRoom() > 0) this.schedule();
  }

  /** A delivery that waited in memory must still be ours, with a lease covering a full attempt. */
  private leaseHolds(d: ClaimedDelivery): boolean {
    const now = this.ctx.clock.now();
    const target = this.store.target(d.endpoint_id);
    const until = now + (target?.timeoutMs ?? 15_000) + LEASE_MARGIN_MS;
    if (d.lease_until >= until) return true;
    const next = until + LEASE_MARGIN_MS;
    if (!this.queue.renewLease(d.id, d.lease_until, next)) return false; // the lease ran out and was taken back
    d.lease_until = next;
    return true;
  }

  private launch(d: ClaimedDelivery): void {
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
        // an endpoint left out of the last claim for having enough work may have more due now
        if (this.drained && this.excluded.length > 0 && this.excluded.includes(d.endpoint_id)) {
          if (!this.saturated(d.endpoint_id)) this.drained = false;
        }
        this.fill();
      });
    this.running.add(p);
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
    const event: AttemptEvent = {
      id: d.event_id,
      type: d.type,
      version: d.version,
      createdAt: iso(d.event_created_at),
      // canonical text (our own JSON.stringify) renders without a parse; anything else is parsed as before
      data: d.canonical ? undefined : JSON.parse(d.data),
      dataJson: d.canonical ? d.data : undefined,
    };
    const result = await performAttempt(this.http, this.ctx.clock, attemptTarget(target), event, true);
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

/** The attempt's view of an endpoint, built once per cached target (not per delivery). */
const attemptTargets = new WeakMap<DispatchTarget, AttemptTarget>();
function attemptTarget(t: DispatchTarget): AttemptTarget {
  let a = attemptTargets.get(t);
  if (!a) {
    a = {
      endpointId: t.id,
      url: t.url,
      scheme: t.scheme,
      headers: t.headers,
      secrets: t.secrets,
      timeoutMs: t.timeoutMs,
    };
    attemptTargets.set(t, a);
  }
  return a;
}
