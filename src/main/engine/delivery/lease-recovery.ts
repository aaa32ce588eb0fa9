// Leases that ran out go back to the queue: at start-up (all of them at once when the previous dispatcher on this
// host is known dead), then whenever the earliest current lease expires, and at least every `everyMs`.
import type { EngineContext } from '../context';
import { guardStorage } from '../db/util';
import { DispatcherOwner } from './owner';
import { type DeliveryQueue, stateTopic } from './queue';

export class LeaseRecovery {
  private timer: unknown = null;
  private stopped = false;
  private readonly owner: DispatcherOwner;
  private owning = false;

  constructor(
    private readonly ctx: EngineContext,
    private readonly queue: DeliveryQueue,
    /** the longest pause between two checks */
    private readonly everyMs: number,
    /** deliveries came back to pending: the dispatcher should claim */
    private readonly onRecovered: () => void,
  ) {
    this.owner = new DispatcherOwner(ctx.db);
  }

  /** Records this process as the dispatcher, takes back a dead one's claims, and starts the periodic check. */
  start(): void {
    try {
      this.owning = true;
      if (this.owner.claim()) {
        const states = guardStorage(() => this.queue.recoverAll(this.ctx.clock.now()));
        for (const s of states) this.ctx.emit('delivery.updated', stateTopic(s));
        if (states.length > 0)
          this.ctx.log.info('took back the deliveries of a crashed dispatcher', { count: states.length });
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
      const states = guardStorage(() => this.queue.recoverExpired(this.ctx.clock.now()));
      for (const s of states) this.ctx.emit('delivery.updated', stateTopic(s));
      if (states.length > 0) {
        this.ctx.log.info('returned expired leases to the queue', { count: states.length });
        this.onRecovered();
      }
    } catch (err) {
      this.ctx.log.error('lease recovery failed', { error: String(err) });
    }
    if (this.stopped) return;
    // Check again when the earliest lease runs out (a crashed process's claims come back promptly), and at
    // least every everyMs.
    const now = this.ctx.clock.now();
    const earliest = this.queue.earliestLease();
    const delay = earliest === null ? this.everyMs : Math.min(this.everyMs, Math.max(0, earliest - now) + 1);
    this.timer = this.ctx.clock.setTimeout(() => this.check(), delay);
  }
}
