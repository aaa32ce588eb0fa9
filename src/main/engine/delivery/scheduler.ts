// Fair scheduling of the dispatcher's slots, in memory (no I/O): which claimed delivery starts next, how many an
// endpoint may run and hold, and how that adapts.
//
// - Endpoints take turns (round-robin over those with work waiting), within the global concurrency.
// - No endpoint, however slow, can take every slot: beyond its fair share (the concurrency divided among the
//   active endpoints plus one, the "plus one" being room for an endpoint that has nothing yet) it may start
//   attempts only while more than a share of slots stays free. So N endpoints that hang leave a share for the
//   healthy one from its first event on; a single busy endpoint still gets every slot.
// - Per-endpoint concurrency adapts, AIMD as in TCP: an attempt that times out halves the endpoint's limit (at most
//   once per timeout period, down to 1); answers within half the timeout grow it by one per window of its limit,
//   back to its configured maximum.
// - Claims follow the same shares: an endpoint holds (running + waiting in memory) at most `rounds` times what it
//   may run, so a hanging or backlogged endpoint's claims never fill the dispatcher's memory.
import { SlotMap } from '../slot-map';
import type { ClaimedDelivery } from './queue';

/** How an attempt went, for the endpoint's adaptive limit. */
export type Pace = 'fast' | 'slow' | 'timeout';

interface Lane {
  running: number;
  queued: ClaimedDelivery[];
}

interface Limit {
  value: number;
  /** fast answers since the last increase */
  streak: number;
  /** monotonic ms of the last decrease (one per timeout period) */
  cutAt: number;
}

export class Scheduler {
  /** attempts running now */
  inFlight = 0;
  /** deliveries waiting in memory */
  waiting = 0;
  /**
   * lanes with work (running or waiting), in turn order: an endpoint served goes to the back (a SlotMap, not a Map:
   * lanes move and come and go per delivery, see slot-map.ts)
   */
  private readonly lanes = new SlotMap<string, Lane>();
  private readonly limits = new Map<string, Limit>();

  /**
   * @param maxPerEndpoint attempts in flight at once to one endpoint, at most (its limit grows back to this)
   * @param rounds deliveries an endpoint may hold (running and waiting), in rounds of what it may run
   */
  constructor(
    private readonly maxPerEndpoint: number,
    private readonly rounds: number,
  ) {}

  add(d: ClaimedDelivery): void {
    this.lane(d.endpoint_id).queued.push(d);
    this.waiting++;
  }

  /**
   * The next waiting delivery allowed to start, endpoints taking turns; null when none can. It counts as running
   * from here: call finished() when it is done (or dropped() when it is not run after all).
   */
  next(concurrency: number): ClaimedDelivery | null {
    if (this.inFlight >= concurrency) return null;
    const share = this.share(concurrency);
    const spare = concurrency - this.inFlight > share;
    // the first lane in turn order that may start one (`as`: set inside the callback, not narrowed to null)
    let endpointId = null as string | null;
    let lane = null as Lane | null;
    this.lanes.some((l, id) => {
      if (l.queued.length === 0) return false;
      if (l.running >= this.limit(id).value) return false;
      if (l.running >= share && !spare) return false;
      endpointId = id;
      lane = l;
      return true;
    });
    if (endpointId === null || lane === null) return null;
    const d = lane.queued.shift() as ClaimedDelivery;
    this.waiting--;
    lane.running++;
    this.inFlight++;
    // the endpoint goes to the back of the rotation
    this.lanes.delete(endpointId);
    this.lanes.set(endpointId, lane);
    return d;
  }

  /** A delivery taken by next() is not run after all (its lease was lost). */
  dropped(endpointId: string): void {
    this.release(endpointId);
  }

  /** An attempt ended; `pace` adapts the endpoint's limit. `now` is monotonic ms, `timeoutMs` the endpoint's. */
  finished(endpointId: string, pace: Pace, now: number, timeoutMs: number): void {
    this.release(endpointId);
    const limit = this.limit(endpointId);
    if (pace === 'timeout') {
      if (now - limit.cutAt >= timeoutMs) {
        limit.value = Math.max(1, Math.floor(limit.value / 2));
        limit.cutAt = now;
      }
      limit.streak = 0;
    } else if (pace === 'fast' && limit.value < this.maxPerEndpoint) {
      if (++limit.streak >= limit.value) {
        limit.value++;
        limit.streak = 0;
      }
    }
  }

  /** The endpoint's current adaptive limit (attempts in flight at once). */
  limitOf(endpointId: string): number {
    return this.limits.get(endpointId)?.value ?? this.maxPerEndpoint;
  }

  /** deliveries of the endpoint held here: running and waiting */
  held(endpointId: string): number {
    const lane = this.lanes.get(endpointId);
    return lane ? lane.running + lane.queued.length : 0;
  }

  /** How many more the endpoint may claim now: its rounds of min(limit, fair share), less what it holds. */
  room(endpointId: string, concurrency: number): number {
    const runnable = Math.min(this.limitOf(endpointId), this.share(concurrency, endpointId));
    return Math.max(0, this.rounds * runnable - this.held(endpointId));
  }

  /** Every waiting delivery, removed (to give them back on stop). */
  takeWaiting(): ClaimedDelivery[] {
    const all: ClaimedDelivery[] = [];
    this.lanes.forEach((lane, id) => {
      all.push(...lane.queued.splice(0));
      if (lane.running === 0) this.lanes.delete(id);
    });
    this.waiting = 0;
    return all;
  }

  /**
   * The fair share of the slots: the concurrency divided among the active endpoints plus room for one more
   * (`endpointId` counted as active). A single active endpoint may use them all.
   */
  private share(concurrency: number, endpointId?: string): number {
    const active = this.lanes.size + (endpointId !== undefined && !this.lanes.has(endpointId) ? 1 : 0);
    return active <= 1 ? concurrency : Math.max(1, Math.floor(concurrency / (active + 1)));
  }

  private lane(endpointId: string): Lane {
    let lane = this.lanes.get(endpointId);
    if (!lane) {
      lane = { running: 0, queued: [] };
      this.lanes.set(endpointId, lane);
    }
    return lane;
  }

  private limit(endpointId: string): Limit {
    let limit = this.limits.get(endpointId);
    if (!limit) {
      limit = { value: this.maxPerEndpoint, streak: 0, cutAt: Number.NEGATIVE_INFINITY };
      this.limits.set(endpointId, limit);
    }
    return limit;
  }

  private release(endpointId: string): void {
    this.inFlight--;
    const lane = this.lanes.get(endpointId);
    if (!lane) return;
    lane.running--;
    if (lane.running <= 0 && lane.queued.length === 0) this.lanes.delete(endpointId);
  }
}
