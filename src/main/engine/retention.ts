// Retention: finished deliveries (with their attempts), events left without deliveries, captured inbox requests
// and idempotency keys older than their limits are deleted, in small chunks so the dispatcher never waits long.
// Pending, paused and sending deliveries are never touched, however old.
import type Database from 'better-sqlite3';
import type { EngineContext } from './context';
import { IDEMPOTENCY_TTL_MS } from './events/service';

const DAY_MS = 24 * 3600 * 1000;
const CHUNK = 2_000;

export interface PruneResult {
  deliveries: number;
  events: number;
  idempotencyKeys: number;
}

export class Retention {
  private readonly q;
  private timer: unknown = null;
  private stopped = false;

  constructor(
    private readonly ctx: EngineContext,
    /** the inbox service's own prune (captured requests) */
    private readonly pruneInbox: (beforeMs: number) => void,
    private readonly everyMs: number,
  ) {
    const db: Database.Database = ctx.db;
    this.q = {
      deliveries: db.prepare(
        `DELETE FROM deliveries WHERE id IN (
           SELECT id FROM deliveries WHERE created_at < ? AND status IN ('succeeded', 'failed', 'cancelled') LIMIT ${CHUNK})`,
      ),
      events: db.prepare(
        `DELETE FROM events WHERE id IN (
           SELECT e.id FROM events e WHERE e.created_at < ?
             AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id) LIMIT ${CHUNK})`,
      ),
      idempotency: db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?'),
    };
  }

  start(): void {
    this.runSafely();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.ctx.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** One full prune now. Attempts go with their deliveries (ON DELETE CASCADE). */
  prune(): PruneResult {
    const now = this.ctx.clock.now();
    const cutoff = now - this.ctx.settings().retentionDays * DAY_MS;
    const drain = (stmt: Database.Statement, arg: number) => {
      let total = 0;
      for (;;) {
        const n = this.ctx.db.transaction(() => stmt.run(arg).changes)();
        total += n;
        if (n < CHUNK) return total;
      }
    };
    const result = {
      deliveries: drain(this.q.deliveries, cutoff),
      events: drain(this.q.events, cutoff),
      idempotencyKeys: this.q.idempotency.run(now - IDEMPOTENCY_TTL_MS).changes,
    };
    this.pruneInbox(cutoff);
    return result;
  }

  private runSafely(): void {
    if (this.stopped) return;
    try {
      const r = this.prune();
      if (r.deliveries + r.events > 0) this.ctx.log.info('retention pruned old history', { ...r });
    } catch (err) {
      this.ctx.log.error('retention prune failed', { error: String(err) });
    }
    this.timer = this.ctx.clock.setTimeout(() => this.runSafely(), this.everyMs);
  }
}
