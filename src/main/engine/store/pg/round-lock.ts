// "One process does each round": periodic work that every process schedules but only one should run at a time
// (retention, lease recovery). The winner holds a session advisory lock on a client of its own for the round;
// the others skip the round instead of waiting (pg_try_advisory_lock), and try again on their next tick.
import type pg from 'pg';
import type { Clock } from '../../types';
import { ROUND_LOCK_CLASS } from './lock-keys';
import { checkOut } from './pool';

/**
 * Runs `fn` only if no other process (or caller) is running the round `name` now; resolves to whether it ran.
 * The lock lives with its session: a process that dies mid-round frees it when PostgreSQL notices the connection
 * is gone. `fn`'s own queries use the pool, not the locking client (which is busy holding the lock). If the
 * locking session itself is lost mid-round (a server restart), another process may start the round before this
 * one ends: rounds must be safe to overlap now and then (retention and lease recovery are: each row changes once).
 */
export async function runExclusively(pool: pg.Pool, name: string, fn: () => Promise<void> | void): Promise<boolean> {
  const out = await checkOut(pool);
  const client = out.client;
  let broken: Error | undefined;
  try {
    const { rows } = await client.query<{ won: boolean }>('SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS won', [
      ROUND_LOCK_CLASS,
      name,
    ]);
    if (!rows[0]?.won) return false;
    try {
      await fn();
    } finally {
      await client
        .query('SELECT pg_advisory_unlock($1::int, hashtext($2))', [ROUND_LOCK_CLASS, name])
        .catch((err: Error) => {
          // the session is unusable: destroying the client below ends it, and the lock with it
          broken = err;
        });
    }
    return true;
  } catch (err) {
    broken ??= err as Error;
    throw err;
  } finally {
    out.release(broken);
  }
}

/**
 * A round run now and again on the clock, one at a time in this process: start() runs one at once, each round
 * returns the delay until the next, stop() cancels the next and resolves once a round under way has ended (so the
 * pool may be closed after). A round handles its own failures (it is tried again on the next tick).
 */
export class PeriodicRounds {
  private timer: unknown = null;
  private stopped = false;
  private running: Promise<void> | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly round: () => Promise<number>,
  ) {}

  start(): void {
    this.stopped = false;
    this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private tick(): void {
    this.timer = null;
    if (this.stopped) return;
    this.running = this.roundThenSchedule().finally(() => {
      this.running = null;
    });
  }

  private async roundThenSchedule(): Promise<void> {
    const delay = await this.round();
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => this.tick(), delay);
  }
}
