// The dispatcher: flushes the commit batch, claims due deliveries per endpoint, runs attempts within the global
// and per-endpoint limits (scheduler.ts), and sleeps (on the injected clock) until the next delivery is due.
//
// Commits are what cost (each writes its pages to the WAL), so the database is touched in passes: one transaction
// writes the fired events and the outcomes gathered since the last pass (the commit batch) AND claims the next
// deliveries. Deliveries are claimed ahead (up to CLAIM_AHEAD rounds of what each endpoint may run) and wait in
// memory, so a finished attempt starts the next one at once, without a query. A new event's delivery to an endpoint
// with room and nothing older due is leased as it is written (no claim at all).
//
// Claims go endpoint by endpoint, each in due order from the per-endpoint pending index, taking turns: one
// endpoint's backlog never stands in front of another endpoint's new deliveries, and a hanging endpoint holds no
// more than its share (scheduler.ts).
import type { CoreContext } from '../context';
import type { CreateResult, LeaseFor } from '../events/service';
import type { HttpPoster } from '../http/client';
import { SlotMap } from '../slot-map';
import type { EndpointStorePort } from '../store/endpoint-ports';
import { attemptTarget, claimedEvent, isTimeout, performAttempt } from './attempt';
import { CommitBatch, type Flusher, type PendingEvent } from './commit-batch';
import { type Claim, type DispatchStore, isPromise, type PassOutput } from './dispatch-store';
import { type LeaseBook, monotonicNow } from './lease';
import type { Outcome } from './outcomes';
import { type ClaimedDelivery, claimedTopic, type DeliveryState, stateTopic } from './queue';
import { RateLimiter } from './rate-limiter';
import { pausedReason } from './retry';
import { type Pace, Scheduler } from './scheduler';
import type { Awaitable } from './state-store';

export interface DispatcherOptions {
  /** attempts in flight at once to one endpoint, at most (adaptive below it) */
  perEndpointConcurrency: number;
  /** most deliveries claimed by one UPDATE */
  batchSize: number;
  /**
   * endpoints' rate limits are kept by the storage's claims (PostgreSQL: one bucket for every process), not by this
   * process's own limiter
   */
  rateLimitedAtClaim?: boolean;
  /** a lease is the endpoint's timeout plus this */
  leaseGraceMs: number;
}

/** What the dispatcher uses of the engine's context (no database: that is its storage port). */
export type DispatcherContext = CoreContext;

/** Lease recovery as the dispatcher runs it (SQLite's LeaseRecovery; PostgreSQL's runs under a round lock). */
export interface Recovery {
  start(): void;
  /** no more rounds; resolves once a round under way ended */
  stop(): Awaitable<void>;
  /** a clean stop leaves no owner record behind (SQLite's file ownership; PostgreSQL has none) */
  releaseOwnership?(): void;
}

export interface DispatcherParts {
  /** the queue's storage: passes, and a claimed delivery's moves outside them */
  storage: DispatchStore;
  /** the dispatcher's view of endpoints, answered from memory */
  store: Pick<EndpointStorePort, 'target' | 'loading'>;
  http: HttpPoster;
  leases: LeaseBook;
  /** lease recovery, told what it returned to pending */
  recovery: (onRecovered: (states: readonly DeliveryState[]) => void) => Recovery;
}

/** A sleeping dispatcher re-checks at least this often (another process may have written to the file). */
const MAX_SLEEP_MS = 30_000;
/** Outcomes wait at most this long (real time) for others to share their commit... */
const FLUSH_DELAY_MS = 1;
/**
 * ...or this long while deliveries wait in memory for a slot (slots refill without a commit meanwhile; the pass that
 * claims the next round carries the outcomes anyway). Measured against 5 ms (`bench/ab.mjs`, 8 + 12 pairs): faster in
 * 15 of 20 pairs, deliveries/s x1.03-1.04 mean, CPU per delivery -3%; 2 ms was slower (x0.938)...
 */
const BUSY_FLUSH_DELAY_MS = 10;
/** ...or until this many have gathered. */
const FLUSH_BATCH = 64;
/**
 * Deliveries held (running and waiting in memory), in rounds of what may run. A claim is due when one round is left
 * waiting, so under load each pass claims (and commits) about two rounds at once: measured, four rounds instead of
 * two took 15-25% off the CPU per delivery.
 */
export const CLAIM_AHEAD = 4;
/** A delivery leaving the in-memory backlog needs at least its timeout plus this much lease left. */
const LEASE_MARGIN_MS = 5_000;
/**
 * Outcomes kept in memory while storage is out of reach, to be written once it is back (more are let go to lease
 * recovery, as a failed write's are): at ~15 KB each, a bound of ~150 MB on what an outage may hold.
 */
export const MAX_KEPT_OUTCOMES = 10_000;

export class Dispatcher implements Flusher {
  /** fired events and outcomes waiting for the next pass's commit */
  readonly batch = new CommitBatch(this);
  private concurrency: number;
  private started = false;
  private stopping = false;
  private readonly scheduler: Scheduler;
  /**
   * endpoints that may have pending deliveries, with the earliest time one is due (0: look now). This and `running`
   * change with every pass and attempt: SlotMaps, not Maps (see slot-map.ts).
   */
  private readonly due = new SlotMap<string, number>();
  /** attempts started and not yet finished, by a number of their own */
  private readonly running = new SlotMap<number, Promise<void>>();
  private runningSeq = 0;
  /** waiting for the pass being written to end (flushNow, stop) */
  private afterPasses: Array<() => void> = [];
  private readonly limiter = new RateLimiter();
  private pumpScheduled = false;
  private flushTimer: NodeJS.Timeout | null = null;
  private timer: unknown = null;
  private timerAt = Number.POSITIVE_INFINITY;
  private renewTimer: NodeJS.Timeout | null = null;
  /** wall minus monotonic at the last renewal check: a change means the wall clock stepped */
  private wallOffset = 0;
  private readonly recovery: Recovery;
  /** a pass is being written (PostgreSQL: awaited); another waits for it */
  private passing = false;
  private passAgain = false;
  /**
   * Due marks made while a pass was being written (a person's retry woke the endpoint, lease recovery returned a
   * delivery): the pass's "nothing more pending" for that endpoint was read before them, so they outlive it.
   */
  private readonly markedWhilePassing = new Map<string, number>();
  /** the last renewal of leases failed (said once until one works) */
  private renewFailing = false;
  /** storage was out of reach at the last pass, which kept this many outcomes to write later (said once an outage) */
  private keptSince: { count: number } | null = null;
  private readonly pumpNow = () => {
    this.pumpScheduled = false;
    try {
      this.pump();
    } catch (err) {
      // A pass runs from setImmediate: anything it throws would end the process. Log it and try again shortly;
      // claimed deliveries stay leased and return to pending if this persists.
      this.ctx.log.error('dispatcher pass failed', { error: String(err) });
      this.sleepUntil(this.ctx.clock.now() + 1_000);
    }
  };

  constructor(
    private readonly ctx: DispatcherContext,
    private readonly parts: DispatcherParts,
    private readonly opts: DispatcherOptions,
  ) {
    this.concurrency = ctx.settings().concurrency;
    this.scheduler = new Scheduler(opts.perEndpointConcurrency, CLAIM_AHEAD);
    this.recovery = parts.recovery((states) => this.recovered(states));
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.recovery.start();
    this.lookAgain();
    this.wallOffset = this.ctx.clock.now() - monotonicNow(this.ctx.clock);
    this.renewTimer = setInterval(() => this.renewLeases(), Math.max(500, this.opts.leaseGraceMs / 4));
    this.renewTimer.unref();
    this.schedule();
  }

  /** Attempts running or waiting in memory, or writes waiting for their pass: background work can wait. */
  get busy(): boolean {
    return this.scheduler.inFlight > 0 || this.scheduler.waiting > 0 || !this.batch.isEmpty;
  }

  /** Something may be due for the endpoint (resumed, retried), or for anyone (no id): claim on the next tick. */
  wake(endpointId?: string): void {
    if (endpointId !== undefined) this.markDue(endpointId, 0);
    this.schedule();
  }

  /** Flusher: an event joined the batch; the pass at the end of this turn writes it with the turn's others. */
  eventAdded(): void {
    this.schedule();
  }

  /**
   * Flusher: an outcome joined the batch. A commit costs about as much for one outcome as for sixty-four, so
   * outcomes gather: for a millisecond at most when the dispatcher has room (a delivery is reported done that soon),
   * longer while deliveries wait in memory for a slot, when the pass that claims the next batch carries them anyway.
   */
  outcomeAdded(buffered: number): void {
    if (buffered >= FLUSH_BATCH) this.schedule();
    else if (this.flushTimer === null) {
      // Real time on purpose: this only batches commits, and a test clock standing still must not hold them.
      this.flushTimer = setTimeout(
        () => {
          this.flushTimer = null;
          this.schedule();
        },
        this.scheduler.waiting > 0 ? BUSY_FLUSH_DELAY_MS : FLUSH_DELAY_MS,
      );
    }
  }

  /**
   * Writes what the batch holds now, in its own pass (webhooks.test waits for its outcome to be recorded); throws
   * when that write fails (storage_full), after letting the leases go to recovery. Synchronous on SQLite; on
   * PostgreSQL after the pass being written, if any.
   */
  flushNow(): Awaitable<void> {
    if (!this.passing) return this.pump(true);
    return new Promise<void>((resolve) => this.afterPasses.push(resolve)).then(() => this.flushNow());
  }

  setConcurrency(n: number): void {
    this.concurrency = n;
    this.schedule();
  }

  /** No new claims; waits for in-flight attempts, records them, and gives back what was claimed but not started. */
  async stop(): Promise<void> {
    this.stopping = true;
    const recoveryStopped = this.recovery.stop();
    if (this.timer !== null) this.ctx.clock.clearTimeout(this.timer);
    this.timer = null;
    if (this.renewTimer !== null) clearInterval(this.renewTimer);
    this.renewTimer = null;
    // events already accepted are written before anything stops
    await this.settled();
    await this.pump();
    while (this.running.size > 0) await Promise.allSettled(this.running.valuesArray());
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    await this.settled();
    await this.pump();
    const now = this.ctx.clock.now();
    for (const d of this.scheduler.takeWaiting()) {
      this.parts.leases.drop(d.id);
      try {
        this.publish(await this.parts.storage.release(d.id, d.lease_seq, now, now));
      } catch (err) {
        // its lease runs out and lease recovery returns it: nothing is lost
        this.ctx.log.warn('releasing a claimed delivery failed', { deliveryId: d.id, error: String(err) });
      }
    }
    await recoveryStopped;
    this.recovery.releaseOwnership?.();
  }

  /** Resolves once no pass is being written. */
  private settled(): Promise<void> {
    if (!this.passing) return Promise.resolve();
    return new Promise<void>((resolve) => this.afterPasses.push(resolve));
  }

  /** Endpoints with work waiting, from storage (at start, and after a long sleep): claim for them. */
  private lookAgain(): void {
    const mark = (ids: readonly string[]) => {
      for (const id of ids) this.markDue(id, 0);
      this.schedule();
    };
    try {
      const ids = this.parts.storage.dueEndpoints();
      if (isPromise(ids))
        ids.then(mark, (err) => this.ctx.log.error('reading due endpoints failed', { error: String(err) }));
      else mark(ids);
    } catch (err) {
      this.ctx.log.error('reading due endpoints failed', { error: String(err) });
    }
  }

  /**
   * Woken for an endpoint the view does not know: on PostgreSQL, maybe one another process made a moment ago (its
   * notice not here yet), which the view is reloading; claim for it once found, instead of after the next long sleep.
   */
  private onceKnown(endpointId: string): void {
    this.parts.store.loading?.(endpointId)?.then((known) => {
      if (known) this.wake(endpointId);
    });
  }

  private schedule(): void {
    if (this.pumpScheduled) return;
    if (this.stopping && this.batch.isEmpty) return;
    this.pumpScheduled = true;
    setImmediate(this.pumpNow);
  }

  private markDue(endpointId: string, at: number): void {
    const cur = this.due.get(endpointId);
    if (cur === undefined || at < cur) this.due.set(endpointId, at);
    if (this.passing) {
      const seen = this.markedWhilePassing.get(endpointId);
      if (seen === undefined || at < seen) this.markedWhilePassing.set(endpointId, at);
    }
  }

  /**
   * Time to claim more: a slot is idle that nothing waiting can fill, or few claimed deliveries are left waiting.
   * Otherwise claims wait, so that they come in batches rather than one per finished attempt.
   */
  private claimWanted(): boolean {
    return this.scheduler.inFlight < this.concurrency || this.scheduler.waiting <= this.concurrency;
  }

  /** This pass's claims: each endpoint with something due and room, in turn, within the global room. */
  private claims(now: number): Claim[] {
    if (!this.started || this.stopping) return [];
    let room = CLAIM_AHEAD * this.concurrency - this.scheduler.inFlight - this.scheduler.waiting;
    const out: Claim[] = [];
    this.due.some((at, endpointId) => {
      if (room <= 0) return true;
      if (at > now) return false;
      const target = this.parts.store.target(endpointId);
      if (!target) {
        this.due.delete(endpointId);
        this.onceKnown(endpointId);
        return false;
      }
      const limit = Math.min(this.scheduler.room(endpointId, this.concurrency), room, this.opts.batchSize);
      if (limit <= 0) return false;
      room -= limit;
      out.push({
        endpointId,
        limit,
        leaseUntil: this.parts.leases.wallUntil(target.timeoutMs),
        timeoutMs: target.timeoutMs,
      });
      return false;
    });
    // endpoints claimed for go to the back: the next pass starts with the others
    for (const c of out) {
      const at = this.due.get(c.endpointId) as number;
      this.due.delete(c.endpointId);
      this.due.set(c.endpointId, at);
    }
    return out;
  }

  /**
   * One pass: in ONE transaction, write the commit batch and claim what is due for the free room; then publish,
   * and start what the slots allow. Under load that is one commit per batch. One pass at a time: while one is being
   * written (PostgreSQL), the next waits for it.
   */
  private pump(rethrow = false): Awaitable<void> {
    if (this.passing) {
      this.passAgain = true;
      return;
    }
    if (this.flushTimer !== null) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    const now = this.ctx.clock.now();
    const { events, outcomes } = this.batch.take();
    // Claiming rides along with a commit that happens anyway; on its own it waits for the backlog to run low.
    const commitAnyway = events.length > 0 || outcomes.length > 0;
    const claims = commitAnyway || this.claimWanted() ? this.claims(now) : [];
    if (claims.length === 0 && !commitAnyway) {
      this.sleepForDue(now);
      return;
    }
    let out: Awaitable<PassOutput>;
    try {
      out = this.parts.storage.pass({
        events: events.map((e) => e.accepted),
        outcomes,
        claims,
        now,
        leaseFor: (claimed, drained) => this.leaseFor(now, claimed, drained),
      });
    } catch (err) {
      this.passFailed(err, events, outcomes, now);
      if (rethrow) throw err;
      return;
    }
    if (!isPromise(out)) {
      this.afterPass(out, events, outcomes, claims, now);
      return;
    }
    this.passing = true;
    return out.then(
      (pass) => {
        this.passDone();
        try {
          this.afterPass(pass, events, outcomes, claims, now);
        } catch (err) {
          this.ctx.log.error('dispatcher pass failed', { error: String(err) });
        }
      },
      (err: unknown) => {
        this.passDone();
        this.passFailed(err, events, outcomes, now);
        if (rethrow) throw err;
      },
    );
  }

  /** The pass being written ended: whoever waited for it goes on, and a pass asked for meanwhile runs. */
  private passDone(): void {
    this.passing = false;
    const waiting = this.afterPasses;
    this.afterPasses = [];
    for (const resolve of waiting) resolve();
    if (this.passAgain) {
      this.passAgain = false;
      this.schedule();
    }
  }

  /**
   * Nothing of the pass was written: callers get the error. Its outcomes are kept for the next pass when storage was
   * out of reach (PostgreSQL down or restarting: their leases stay held, so the deliveries are not sent again, and
   * each answer is recorded once it is back, fenced as ever); after any other error they go back to lease recovery.
   */
  private passFailed(err: unknown, events: readonly PendingEvent[], outcomes: readonly Outcome[], now: number): void {
    // nothing drained: the marks made meanwhile are in `due` as they are
    this.markedWhilePassing.clear();
    for (const e of events) e.reject(err);
    if (outcomes.length > 0 && this.parts.storage.unreachable?.(err)) this.keep(outcomes, err);
    else if (outcomes.length > 0) this.lost(outcomes, err);
    else if (events.length === 0 && !this.keptSince)
      this.ctx.log.error('claiming deliveries failed', { error: String(err) });
    this.sleepUntil(now + 1_000);
  }

  /** Storage is out of reach: the outcomes go back into the batch, ahead of newer ones, up to MAX_KEPT_OUTCOMES. */
  private keep(outcomes: readonly Outcome[], err: unknown): void {
    const room = Math.max(0, MAX_KEPT_OUTCOMES - this.batch.outcomeCount);
    const kept = outcomes.slice(0, room);
    this.batch.putBack(kept);
    if (kept.length < outcomes.length) this.lost(outcomes.slice(kept.length), err);
    const count = this.batch.outcomeCount;
    if (!this.keptSince) {
      this.ctx.log.warn('storage out of reach: keeping attempt outcomes to record when it is back', {
        count,
        error: String(err),
      });
    }
    this.keptSince = { count };
  }

  /** After the commit: topics, the events' callers, the claimed deliveries into memory, and the next attempts. */
  private afterPass(
    pass: PassOutput,
    events: readonly PendingEvent[],
    outcomes: readonly Outcome[],
    claims: readonly Claim[],
    now: number,
  ): void {
    // the attempts are recorded: their leases are done
    for (const o of outcomes) this.parts.leases.drop(o.delivery.id);
    if (this.keptSince) {
      this.ctx.log.info('storage back: kept attempt outcomes recorded', { count: outcomes.length });
      this.keptSince = null;
    }
    pass.publish();
    // What is due, in the order the pass wrote it: the claims' view of each drained endpoint first (taken after the
    // outcomes were written), then the outcomes' retries, then the new events' queued deliveries (written after the
    // claims). Applied the other way round, a drained endpoint's "nothing pending" erased the due mark of a delivery
    // the same pass had just queued for it, which then waited for the next full look at storage (up to 30 s).
    for (const [id, next] of pass.drained) {
      if (next === null) this.due.delete(id);
      else this.due.set(id, next);
    }
    // (PostgreSQL: a wake-up that came while the pass was written, perhaps just after its claim found nothing)
    for (const [id, at] of this.markedWhilePassing) this.markDue(id, at);
    this.markedWhilePassing.clear();
    for (const [id, at] of pass.due) this.markDue(id, at);
    this.settleEvents(events, pass.created);
    const timeouts = new Map(claims.map((c) => [c.endpointId, c.timeoutMs]));
    for (const d of pass.claimed) {
      this.parts.leases.hold(d.id, d.lease_seq, d.endpoint_id, timeouts.get(d.endpoint_id) ?? 15_000);
      this.ctx.emit('delivery.updated', claimedTopic(d));
      this.scheduler.add(d);
    }
    this.fill();
    this.sleepForDue(now);
  }

  /** After the commit: each caller gets its event (topics published) or its own error; new deliveries queue up. */
  private settleEvents(events: readonly PendingEvent[], created: ReadonlyArray<CreateResult | Error>): void {
    const now = this.ctx.clock.now();
    events.forEach((e, i) => {
      const r = created[i];
      if (r === undefined || r instanceof Error) {
        e.reject(r ?? new Error('event not written'));
        return;
      }
      for (const d of r.leased ?? []) {
        const t = this.parts.store.target(d.endpoint_id);
        this.parts.leases.hold(d.id, d.lease_seq, d.endpoint_id, t?.timeoutMs ?? 15_000);
        this.scheduler.add(d);
      }
      for (const id of r.queued ?? []) this.markDue(id, now);
      e.resolve(r.event);
    });
  }

  /**
   * Leases for the deliveries of new events, within the room a claim would have, for endpoints that can take an
   * attempt now (enabled, not rate-limited) and have nothing older due. Once an endpoint gets none in a pass, its
   * later deliveries in the pass get none either (they queue behind, in order).
   */
  private leaseFor(
    now: number,
    claimed: readonly ClaimedDelivery[],
    drained: ReadonlyMap<string, number | null>,
  ): LeaseFor {
    if (!this.started || this.stopping) return () => null;
    let room = CLAIM_AHEAD * this.concurrency - this.scheduler.inFlight - this.scheduler.waiting - claimed.length;
    const taken = new Map<string, number>();
    for (const d of claimed) taken.set(d.endpoint_id, (taken.get(d.endpoint_id) ?? 0) + 1);
    const blocked = new Set<string>();
    return (endpointId) => {
      if (room <= 0 || blocked.has(endpointId)) return null;
      const dueAt = drained.has(endpointId) ? drained.get(endpointId) : this.due.get(endpointId);
      const t = this.parts.store.target(endpointId);
      const n = taken.get(endpointId) ?? 0;
      if (
        (dueAt !== undefined && dueAt !== null && dueAt <= now) ||
        !t?.enabled ||
        t.deleted ||
        t.rateLimitPerSec !== null ||
        n >= this.scheduler.room(endpointId, this.concurrency)
      ) {
        blocked.add(endpointId);
        return null;
      }
      taken.set(endpointId, n + 1);
      room--;
      return { leaseUntil: this.parts.leases.wallUntil(t.timeoutMs) };
    };
  }

  /** Starts waiting deliveries while there are free slots, endpoints taking turns. */
  private fill(): void {
    if (this.stopping) return;
    for (let d = this.scheduler.next(this.concurrency); d; d = this.scheduler.next(this.concurrency)) {
      const held = this.leaseHolds(d);
      if (held === true) this.launch(d);
      else if (held === false) this.scheduler.dropped(d.endpoint_id);
      else this.launchOnceHeld(d, held);
    }
    if (this.claimWanted() && this.claimable(this.ctx.clock.now())) this.schedule();
  }

  /** Is there an endpoint with something due now and room to claim it? */
  private claimable(now: number): boolean {
    if (!this.started || this.stopping) return false;
    if (CLAIM_AHEAD * this.concurrency - this.scheduler.inFlight - this.scheduler.waiting <= 0) return false;
    return this.due.some((at, id) => at <= now && this.scheduler.room(id, this.concurrency) > 0);
  }

  /** A delivery that waited in memory must still be ours, with a lease covering a full attempt. */
  private leaseHolds(d: ClaimedDelivery): Awaitable<boolean> {
    const timeoutMs = this.parts.store.target(d.endpoint_id)?.timeoutMs ?? 15_000;
    if (this.parts.leases.covers(d.id, timeoutMs + LEASE_MARGIN_MS)) return true;
    const settle = (renewed: boolean) => {
      if (renewed) this.parts.leases.renewed(d.id);
      else this.parts.leases.drop(d.id); // taken back (or unwritable): lease recovery returns it
      return renewed;
    };
    // The write may be refused (disk full): the delivery leaves memory, its lease expires and lease recovery
    // returns it to pending, so nothing is lost; the process must not die for it.
    const refused = (err: unknown) => {
      this.ctx.log.error('renewing a lease failed', { deliveryId: d.id, error: String(err) });
      return settle(false);
    };
    try {
      const renewed = this.parts.storage.renew(d.id, d.lease_seq, this.parts.leases.wallUntil(timeoutMs));
      return isPromise(renewed) ? renewed.then(settle, refused) : settle(renewed);
    } catch (err) {
      return refused(err);
    }
  }

  /** Starts a delivery once its renewal is written (PostgreSQL); its slot is held meanwhile. */
  private launchOnceHeld(d: ClaimedDelivery, held: Promise<boolean>): void {
    const n = this.runningSeq++;
    const p: Promise<void> = held.then((ok) => {
      this.running.delete(n);
      if (ok && !this.stopping) this.launch(d);
      else {
        this.scheduler.dropped(d.endpoint_id);
        this.fill();
      }
    });
    this.running.set(n, p);
  }

  /**
   * Leases of running attempts are renewed before they run out, on the monotonic clock; all of them at once when
   * the wall clock stepped (their rows' wall-clock leases are stale for other processes).
   */
  private renewLeases(): void {
    const offset = this.ctx.clock.now() - monotonicNow(this.ctx.clock);
    const stepped = Math.abs(offset - this.wallOffset) > 1_000;
    this.wallOffset = offset;
    const margin = stepped ? Number.POSITIVE_INFINITY : this.opts.leaseGraceMs / 2;
    const expiring = this.parts.leases.expiring(margin);
    if (expiring.length === 0) return;
    const renewed = (lost: readonly string[]) => {
      if (this.renewFailing) {
        this.renewFailing = false;
        this.ctx.log.info('renewing leases works again', { count: expiring.length });
      }
      const lostIds = new Set(lost);
      for (const h of expiring) if (!lostIds.has(h.id)) this.parts.leases.renewed(h.id);
      if (stepped) this.ctx.log.info('wall clock stepped; leases renewed', { count: expiring.length - lost.length });
    };
    // said once until it works again (storage out of reach fails it every tick)
    const failed = (err: unknown) => {
      if (this.renewFailing) return;
      this.renewFailing = true;
      this.ctx.log.error('renewing leases failed', { error: String(err) });
    };
    try {
      const lost = this.parts.storage.renewAll(
        expiring.map((h) => ({ id: h.id, seq: h.seq, until: this.parts.leases.wallUntil(h.timeoutMs) })),
      );
      if (isPromise(lost)) lost.then(renewed, failed);
      else renewed(lost);
    } catch (err) {
      failed(err);
    }
  }

  private launch(d: ClaimedDelivery): void {
    const n = this.runningSeq++;
    const p: Promise<void> = this.run(d)
      .catch((err) => {
        this.ctx.log.error('attempt crashed', { deliveryId: d.id, error: String(err) });
        return 'slow' as Pace;
      })
      .then((pace) => {
        const timeoutMs = this.parts.store.target(d.endpoint_id)?.timeoutMs ?? 15_000;
        this.scheduler.finished(d.endpoint_id, pace ?? 'slow', monotonicNow(this.ctx.clock), timeoutMs);
        this.running.delete(n);
        this.fill();
      });
    this.running.set(n, p);
  }

  /** Runs one attempt (or settles the delivery without one); returns its pace, for the endpoint's limit. */
  private async run(d: ClaimedDelivery): Promise<Pace | undefined> {
    const now = this.ctx.clock.now();
    const { storage, store, leases } = this.parts;
    const target = store.target(d.endpoint_id);
    if (!target || target.deleted || !target.enabled) {
      leases.drop(d.id);
      const reason = target && !target.deleted ? pausedReason(target.disabledBy) : null;
      this.publish(await storage.hold(d.id, d.lease_seq, reason ? 'paused' : 'cancelled', reason, now));
      return undefined;
    }
    if (target.rateLimitPerSec !== null && !this.opts.rateLimitedAtClaim) {
      const wait = this.limiter.reserve(target.id, d.id, target.rateLimitPerSec, now);
      if (wait > 0) {
        leases.drop(d.id);
        this.publish(await storage.release(d.id, d.lease_seq, now + wait, now));
        this.markDue(d.endpoint_id, now + wait);
        this.sleepUntil(now + wait);
        return undefined;
      }
    }
    const result = await performAttempt(this.parts.http, this.ctx.clock, attemptTarget(target), claimedEvent(d), true);
    this.batch.addOutcome({ delivery: d, result });
    if (result.response) return result.durationMs < target.timeoutMs / 2 ? 'fast' : 'slow';
    return isTimeout(result) ? 'timeout' : 'slow';
  }

  /** Deliveries came back to pending (lease recovery): claim them. */
  private recovered(states: readonly DeliveryState[]): void {
    for (const s of states) {
      this.ctx.emit('delivery.updated', stateTopic(s));
      this.markDue(s.endpoint_id, 0);
    }
    if (states.length > 0) this.schedule();
  }

  /**
   * Nothing of a failed write was kept: the deliveries go back to lease recovery (their leases are let go here), so
   * the attempts are made again (at-least-once) rather than lost.
   */
  private lost(outcomes: readonly Outcome[], err: unknown): void {
    for (const o of outcomes) this.parts.leases.drop(o.delivery.id);
    this.ctx.log.error('recording attempts failed; they will be retried after the lease', {
      count: outcomes.length,
      error: String(err),
    });
  }

  private publish(s: DeliveryState | undefined): void {
    if (s) this.ctx.emit('delivery.updated', stateTopic(s));
  }

  /** Claims again right away when something is due with room; else sleeps until the earliest due time. */
  private sleepForDue(now: number): void {
    if (!this.started || this.stopping) return;
    if (this.claimWanted() && this.claimable(now)) {
      this.schedule();
      return;
    }
    let next = Number.POSITIVE_INFINITY;
    this.due.forEach((at) => {
      if (at > now && at < next) next = at;
    });
    this.sleepUntil(next);
  }

  /** Arms the wake-up timer for `at` (at the latest MAX_SLEEP_MS from now) unless an earlier one is armed. */
  private sleepUntil(at: number): void {
    if (this.stopping) return;
    const now = this.ctx.clock.now();
    const when = Math.min(at, now + MAX_SLEEP_MS);
    if (when >= this.timerAt) return;
    if (this.timer !== null) this.ctx.clock.clearTimeout(this.timer);
    this.timerAt = when;
    this.timer = this.ctx.clock.setTimeout(
      () => {
        this.timer = null;
        this.timerAt = Number.POSITIVE_INFINITY;
        // a full sleep: look at storage again (another process may have written to it)
        if (when < at) this.lookAgain();
        else this.schedule();
      },
      Math.max(0, when - now),
    );
  }
}
