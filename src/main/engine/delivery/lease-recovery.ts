// Leases that ran out go back to the queue: at start-up (all of them at once when the previous dispatcher on this
// host is known dead), then whenever the earliest lease in the file expires, and at least every `everyMs`. A lease
// this process holds is never taken back here, whatever the wall clock says (it is measured on the monotonic
// clock and renewed while its attempt runs: lease.ts).
import type { EngineContext } from '../context';
import { guardStorage } from '../db/util';
import type { LeaseBook } from './lease';
import { DispatcherOwner } from './owner';
import type { DeliveryQueue, DeliveryState } from './queue';
import type { DeliveryStates } from './state';

export class LeaseRecovery {
  private timer: unknown = null;
  private stopped = false;
  private readonly owner: DispatcherOwner;
  private owning = false;

  constructor(
    private readonly ctx: EngineContext,
    private readonly states: DeliveryStates,
    private readonly queue: DeliveryQueue,
    private readonly leases: LeaseBook,
    /** the longest pause between two checks */
    private readonly everyMs: number,
    /** deliveries came back to pending (already committed): publish them and claim */
    private readonly onRecovered: (states: readonly DeliveryState[]) => void,
  ) {
    this.owner = new DispatcherOwner(ctx.db);
  }

  /** Records this process as the dispatcher, takes back a dead one's claims, and starts the periodic check. */
  start(): void {
    try {
      this.owning = true;
      if (this.owner.claim()) {
        const states = guardStorage(() => this.states.expireAll(this.ctx.clock.now()));
        if (states.length > 0) {
          this.ctx.log.info('took back the deliveries of a crashed dispatcher', { count: states.length });
          this.onRecovered(states);
        }
      }
    } catch (err) {
      this.ctx.log.error('dispatcher ownership check failed', { error: String(err) });
    }
    this.check();
  }

  /** Stops checking; a clean stop leaves no owner behind. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.ctx.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  releaseOwnership(): void {
    if (!this.owning) return;
    try {
      this.owner.release();
    } catch (err) {
      this.ctx.log.warn('could not clear the dispatcher owner', { error: String(err) });
    }
  }

  private check(): void {
    try {
      const states = guardStorage(() => this.states.expire(this.ctx.clock.now(), this.leases.ids()));
      if (states.length > 0) {
        this.ctx.log.info('returned expired leases to the queue', { count: states.length });
        this.onRecovered(states);
      }
    } catch (err) {
      this.ctx.log.error('lease recovery failed', { error: String(err) });
    }
    if (this.stopped) return;
    // Check again when the earliest lease runs out (a crashed process's claims come back promptly), and at
    // least every everyMs. Our own leases are renewed before they run out, so they do not make this spin.
    const now = this.ctx.clock.now();
    const earliest = this.queue.earliestLease();
    const delay = earliest === null ? this.everyMs : Math.min(this.everyMs, Math.max(1_000, earliest - now + 1));
    this.timer = this.ctx.clock.setTimeout(() => this.check(), delay);
  }
}
