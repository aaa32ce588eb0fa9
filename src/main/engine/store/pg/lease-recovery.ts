// Lease recovery on PostgreSQL: the async twin of delivery/lease-recovery.ts for many processes sharing one queue.
// Leases that ran out go back to pending, whenever the earliest lease runs out and at least every `everyMs`.
// There is no ownership record here (SQLite's DispatcherOwner): many live processes share the database, so nothing
// says "the previous dispatcher is dead, take back all its claims"; only lease_until does. A dead process's claims
// therefore come back once their leases run out, not at once.
// Every process schedules rounds; runExclusively lets one of them run each round, the others skip it. The UPDATE
// alone would already hand each expired row to one process (the second waits on the row lock, then sees 'pending'),
// the round lock just saves the others the work. A lease this process holds (its LeaseBook) is never taken back
// here, whatever the wall clock says: its ids go in the statement.
import type pg from 'pg';
import type { DeliveryState } from '../../delivery/queue';
import type { Clock, Logger } from '../../types';
import { PgDeliveryStates } from './delivery-states';
import { PeriodicRounds, runExclusively } from './round-lock';

const EARLIEST_LEASE = "SELECT MIN(lease_until) AS at FROM deliveries WHERE status = 'sending'";
/** never check again sooner than this after a round, however soon the earliest lease runs out */
const MIN_DELAY_MS = 1_000;

export interface PgLeaseRecoveryOptions {
  pool: pg.Pool;
  clock: Clock;
  log: Logger;
  /** the deliveries this process holds leases on now (its LeaseBook's ids): never expired by this process */
  heldIds: () => readonly string[];
  /** the longest pause between two checks */
  everyMs: number;
  /** deliveries came back to pending (already committed): publish them and claim */
  onRecovered: (states: readonly DeliveryState[]) => void;
}

export class PgLeaseRecovery {
  private readonly states: PgDeliveryStates;
  private readonly rounds: PeriodicRounds;

  constructor(private readonly opts: PgLeaseRecoveryOptions) {
    this.states = new PgDeliveryStates(opts.pool);
    this.rounds = new PeriodicRounds(opts.clock, async () => {
      try {
        await this.round();
      } catch (err) {
        // a failed round (database down, pool ended) is tried again on the next tick
        this.opts.log.error('lease recovery failed', { error: String(err) });
      }
      return this.nextDelay();
    });
  }

  /** Runs a first round now, then keeps checking on the clock. */
  start(): void {
    this.rounds.start();
  }

  /** Stops checking; resolves once a round under way has ended (so its pool may be closed after). */
  stop(): Promise<void> {
    return this.rounds.stop();
  }

  /**
   * One round now: the expired leases this process took back (already handed to onRecovered), or null when another
   * process (or caller) was running the round. Throws when the database fails; nothing is half done then (one
   * statement).
   */
  async round(): Promise<DeliveryState[] | null> {
    const round: { recovered?: DeliveryState[] } = {};
    await runExclusively(this.opts.pool, 'lease-recovery', async () => {
      round.recovered = await this.states.expire(this.opts.clock.now(), [...this.opts.heldIds()]);
    });
    const recovered = round.recovered;
    if (recovered === undefined) return null;
    if (recovered.length > 0) {
      this.opts.log.info('returned expired leases to the queue', { count: recovered.length });
      this.opts.onRecovered(recovered);
    }
    return recovered;
  }

  /**
   * When the earliest lease of any process runs out (a dead process's claims come back promptly), at least every
   * everyMs. Live processes renew their leases before they run out, so theirs do not make this spin.
   */
  private async nextDelay(): Promise<number> {
    try {
      const { rows } = await this.opts.pool.query<{ at: number | null }>(EARLIEST_LEASE);
      const earliest = rows[0]?.at ?? null;
      if (earliest === null) return this.opts.everyMs;
      return Math.min(this.opts.everyMs, Math.max(MIN_DELAY_MS, earliest - this.opts.clock.now() + 1));
    } catch {
      return this.opts.everyMs;
    }
  }
}
