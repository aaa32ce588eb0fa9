// The dispatcher: claims due deliveries in batches, runs attempts within the global and per-endpoint limits,
// hands results to Outcomes, and sleeps (on the injected clock) until the next delivery is due.
//
// Commits are what cost (each writes its pages to the WAL), so the database is touched in batches: one
// transaction writes every outcome gathered since the last one AND claims the next deliveries. Deliveries are
// claimed ahead (up to CLAIM_AHEAD rounds of the concurrency) and wait in memory, so a finished attempt starts the
// next one at once, without a query; outcomes are flushed when enough have gathered or soon after the first. New
// events' deliveries are leased as they are written when there is room and nothing older is due (no claim at all).

import type { EngineContext } from '../context';
import type { EndpointStore } from '../db/endpoints';
import { guardStorage } from '../db/util';
import type { EventIntake, IntakeGroup } from '../events/intake';
import type { CreateResult, DirectLease } from '../events/service';
import type { HttpPoster } from '../http/client';
import { attemptTarget, claimedEvent, performAttempt } from './attempt';
import { LeaseRecovery } from './lease-recovery';
import type { Outcome, Outcomes, Written } from './outcomes';
import { type ClaimedDelivery, type DeliveryQueue, type DeliveryState, stateTopic } from './queue';
import { RateLimiter } from './rate-limiter';
import { ClaimedWork } from './scheduler';

export interface DispatcherOptions {
  /** attempts in flight at once to one endpoint */
  perEndpointConcurrency: number;
  /** most deliveries claimed by one UPDATE */
  batchSize: number;
  /** how often expired leases are returned to pending */
  leaseRecoveryMs: number;
}

/** What one pass wrote, in one transaction. */
interface Pass {
  created: Array<CreateResult | Error>;
  written: Written;
  claimed: ClaimedDelivery[];
}

/** A sleeping dispatcher re-checks at least this often (another process may have written to the file). */
const MAX_SLEEP_MS = 30_000;
/** Outcomes wait at most this long (real time) for others to share their commit... */
const FLUSH_DELAY_MS = 1;
/** ...or this long while deliveries wait in memory for a slot (slots refill without a commit meanwhile)... */
const BUSY_FLUSH_DELAY_MS = 5;
/** ...or until this many have gathered. */
const FLUSH_BATCH = 64;
/**
 * Deliveries held (running and waiting in memory), in rounds of the concurrency, globally and per endpoint. A claim
 * is due when one round is left waiting, so under load each pass claims (and commits) about two rounds at once:
 * measured, four rounds instead of two took 15-25% off the CPU per delivery.
 */
export const CLAIM_AHEAD = 4;
/** A delivery leaving the in-memory backlog needs at least its timeout plus this much lease left. */
const LEASE_MARGIN_MS = 5_000;

export class Dispatcher {
  private concurrency: number;
  private started = false;
  private stopping = false;
  /** running attempts and deliveries claimed ahead */
  private readonly work: ClaimedWork;
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
  private readonly recovery: LeaseRecovery;
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
  /** a pass's write: outcomes, then the claim (one transaction function, made once) */
  private readonly passTx;

  constructor(
    private readonly ctx: EngineContext,
    private readonly queue: DeliveryQueue,
    private readonly store: EndpointStore,
    private readonly http: HttpPoster,
    private readonly outcomes: Outcomes,
    /** fired events waiting for their commit: written in the next pass */
    private readonly intake: EventIntake,
    private readonly opts: DispatcherOptions,
  ) {
    this.concurrency = ctx.settings().concurrency;
    this.work = new ClaimedWork(opts.perEndpointConcurrency, CLAIM_AHEAD);
    this.recovery = new LeaseRecovery(ctx, queue, opts.leaseRecoveryMs, () => this.wake());
    this.passTx = ctx.db.transaction(
      (group: IntakeGroup, outcomes: Outcome[], now: number, limit: number, exclude: string[]): Pass => {
        const written = this.outcomes.write(outcomes);
        const claimed = limit > 0 ? this.queue.claim(now, limit, exclude) : [];
        // New events last. When nothing older is due (this claim took all there was, or the last one did), their
        // deliveries skip the queue: written `sending`, leased to this dispatcher, up to its free room, and started
        // once committed. The rest are `pending`, as their caller hears, and the next pass claims them.
        const drainedNow = limit > 0 ? claimed.length < limit : this.drained;
        const lease = drainedNow && group.length > 0 ? this.directLease(claimed) : undefined;
        return { created: this.intake.write(group, lease), written, claimed };
      },
    );
    intake.carryWith(() => {
      if (!this.started || this.stopping) return false;
      this.schedule();
      return true;
    });
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.recovery.start();
    this.wake();
  }

  /** Something may be due (new events, retries, resumed endpoints, a timer): claim on the next tick. */
  wake(): void {
    this.drained = false;
    this.schedule();
  }

  /**
   * An outcome was buffered (Outcomes calls this): flush soon, together with others. A commit costs about as much
   * for one outcome as for sixty-four (it writes the same b-tree pages), so outcomes gather: for a millisecond at
   * most when the dispatcher has room (a delivery is reported done that soon), longer while deliveries wait in
   * memory for a slot, when the pass that claims the next batch carries them anyway.
   */
  outcomeAdded(buffered: number): void {
    if (buffered >= FLUSH_BATCH) this.schedule();
    else if (this.flushTimer === null && !this.stopping) {
      // Real time on purpose: this only batches commits, and a test clock standing still must not hold them.
      this.flushTimer = setTimeout(
        () => {
          this.flushTimer = null;
          this.schedule();
        },
        this.work.waiting > 0 ? BUSY_FLUSH_DELAY_MS : FLUSH_DELAY_MS,
      );
    }
  }

  setConcurrency(n: number): void {
    this.concurrency = n;
    this.wake();
  }

  /** attempts running now (system.status, tests) */
  get active(): number {
    return this.work.inFlight;
  }

  /** No new claims; waits for in-flight attempts, records them, and gives back what was claimed but not started. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.recovery.stop();
    if (this.timer !== null) this.ctx.clock.clearTimeout(this.timer);
    this.timer = null;
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    this.outcomes.flush();
    const now = this.ctx.clock.now();
    for (const d of this.work.takeWaiting()) this.publish(this.queue.release(d.id, now, now));
    this.recovery.releaseOwnership();
  }

  private schedule(): void {
    if (!this.started || this.stopping || this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(this.pumpNow);
  }

  /** Claims ahead up to CLAIM_AHEAD rounds of the concurrency, so slots refill from memory while a claim is due. */
  private claimRoom(): number {
    if (this.drained) return 0;
    const held = this.work.inFlight + this.work.waiting;
    return Math.max(0, Math.min(CLAIM_AHEAD * this.concurrency - held, this.opts.batchSize));
  }

  /**
   * Time to claim more: a slot is idle that nothing waiting can fill (the backlog is empty or only holds
   * endpoints at their own limit), or few claimed deliveries are left waiting. Otherwise claims wait, so that they
   * come in batches rather than one per finished attempt.
   */
  private claimWanted(): boolean {
    return !this.drained && (this.work.inFlight < this.concurrency || this.work.waiting <= this.concurrency);
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
    const group = this.intake.take();
    const outcomes = this.outcomes.take();
    // Claiming rides along with a commit that happens anyway; on its own it waits for the backlog to run low.
    const commitAnyway = group.length > 0 || outcomes.length > 0;
    const limit = commitAnyway || this.claimWanted() ? this.claimRoom() : 0;
    if (limit === 0 && !commitAnyway) return;
    const exclude = limit > 0 ? this.work.saturatedEndpoints() : [];
    let pass: Pass;
    try {
      pass = guardStorage(() => this.passTx(group, outcomes, now, limit, exclude));
    } catch (err) {
      this.intake.fail(group, err);
      if (outcomes.length > 0) this.outcomes.lost(outcomes, err);
      else if (group.length === 0) this.ctx.log.error('claiming deliveries failed', { error: String(err) });
      this.sleepUntil(now + 1_000);
      return;
    }
    pass.written.publish();
    this.intake.settle(group, pass.created);
    // a failed attempt was rescheduled: be awake when it is due (sooner ones keep their earlier timer)
    if (pass.written.retryAt !== null) this.sleepUntil(pass.written.retryAt);
    const batch = pass.claimed;
    for (const d of batch) {
      this.ctx.emit('delivery.updated', stateTopic({ ...d, status: 'sending' }));
      this.work.add(d);
    }
    let fresh = false;
    for (const r of pass.created) {
      if (r instanceof Error) continue;
      if (r.leased) for (const d of r.leased) this.work.add(d);
      // deliveries written `pending` after this pass's claim: the next pass claims them
      if (r.event.deliveries?.some((d) => d.status === 'pending')) fresh = true;
    }
    if (fresh) this.wake();
    this.fill();
    if (limit === 0) return;
    this.excluded = exclude;
    // A full batch: more may be due; claim again on the next tick if there is room for a batch still (else when the
    // backlog runs low: claiming a few at a time would cost a commit each). Otherwise sleep until the next due time
    // (new events, finishing attempts and freed endpoints wake us sooner).
    if (fresh) this.schedule();
    else if (batch.length === limit) {
      if (this.claimWanted() && this.claimRoom() > 0) this.schedule();
    } else {
      this.drained = true;
      const due = this.queue.nextDue(this.work.saturatedEndpoints());
      if (due !== null) this.sleepUntil(due);
    }
  }

  /**
   * Leases for the deliveries of new events, within the room a claim would have (CLAIM_AHEAD rounds, globally and per
   * endpoint's limit), for endpoints that can take an attempt now (enabled, not rate-limited).
   */
  private directLease(claimed: readonly ClaimedDelivery[]): DirectLease | undefined {
    let room = CLAIM_AHEAD * this.concurrency - this.work.inFlight - this.work.waiting - claimed.length;
    if (room <= 0 || this.stopping) return undefined;
    const perEndpoint = CLAIM_AHEAD * this.opts.perEndpointConcurrency;
    const taken = new Map<string, number>();
    for (const d of claimed) taken.set(d.endpoint_id, (taken.get(d.endpoint_id) ?? 0) + 1);
    return {
      leaseUntil: (endpointId, now) => {
        if (room <= 0) return null;
        const t = this.store.target(endpointId);
        if (!t?.enabled || t.deleted || t.rateLimitPerSec !== null) return null;
        const n = taken.get(endpointId) ?? 0;
        if (this.work.claimedFor(endpointId) + n >= perEndpoint) return null;
        taken.set(endpointId, n + 1);
        room--;
        return this.queue.leaseUntil(now, t.timeoutMs);
      },
    };
  }

  /** Starts waiting deliveries while there are free slots, endpoints taking turns. */
  private fill(): void {
    if (this.stopping) return;
    for (let d = this.work.next(this.concurrency); d; d = this.work.next(this.concurrency)) {
      if (this.leaseHolds(d)) this.launch(d);
      else this.work.dropped(d.endpoint_id);
    }
    if (this.claimWanted() && this.claimRoom() > 0) this.schedule();
  }

  /** A delivery that waited in memory must still be ours, with a lease covering a full attempt. */
  private leaseHolds(d: ClaimedDelivery): boolean {
    const now = this.ctx.clock.now();
    const target = this.store.target(d.endpoint_id);
    const until = now + (target?.timeoutMs ?? 15_000) + LEASE_MARGIN_MS;
    if (d.lease_until >= until) return true;
    const next = until + LEASE_MARGIN_MS;
    let renewed: boolean;
    try {
      renewed = this.queue.renewLease(d.id, d.lease_until, next);
    } catch (err) {
      // The write was refused (disk full): let it go from memory. Its lease expires and lease recovery returns it
      // to pending, so nothing is lost; the process must not die for it.
      this.ctx.log.error('renewing a lease failed', { deliveryId: d.id, error: String(err) });
      return false;
    }
    if (!renewed) return false; // the lease ran out and was taken back
    d.lease_until = next;
    return true;
  }

  private launch(d: ClaimedDelivery): void {
    const p: Promise<void> = this.run(d)
      .catch((err) => this.ctx.log.error('attempt crashed', { deliveryId: d.id, error: String(err) }))
      .finally(() => {
        this.work.finished(d.endpoint_id);
        this.running.delete(p);
        // an endpoint left out of the last claim for having enough work may have more due now
        if (this.drained && this.excluded.length > 0 && this.excluded.includes(d.endpoint_id)) {
          if (!this.work.saturated(d.endpoint_id)) this.drained = false;
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
    const result = await performAttempt(this.http, this.ctx.clock, attemptTarget(target), claimedEvent(d), true);
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
}
