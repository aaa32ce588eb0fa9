// Retention on PostgreSQL: the twin of retention.ts. Finished deliveries (with their attempts), events left without
// deliveries, captured inbox requests and idempotency keys older than their limits are deleted in small chunks,
// each chunk its own transaction, so claims and passes never wait long. Pending, paused and sending deliveries are
// never touched, however old.
// Every process schedules prunes; runExclusively lets one of them run each round, the others skip it.
// Other processes write meanwhile, so each chunk locks what it deletes FOR UPDATE SKIP LOCKED:
// - a delivery reopened (failed -> pending) after the chunk's snapshot is re-checked when locked and kept;
//   one being changed right now is skipped, and taken by a later round if it is still finished and old;
// - events are locked first (one whose delivery is being inserted right now is skipped: the insert holds a
//   key-share lock on it), then deleted by a second statement that checks again for deliveries on a fresh
//   snapshot, so the ON DELETE CASCADE never takes a delivery committed meanwhile. A delivery insert that waited
//   for the lock fails on its foreign key after (no path adds deliveries to an old event today).
import type pg from 'pg';
import { IDEMPOTENCY_TTL_MS } from '../../events/service';
import type { PruneResult } from '../../retention';
import type { Clock, Logger } from '../../types';
import { PeriodicRounds, runExclusively } from './round-lock';
import { withTransaction } from './transaction';

export type { PruneResult } from '../../retention';

const DAY_MS = 24 * 3600 * 1000;
const CHUNK = 2_000;

const SQL = {
  deliveries: `
    WITH doomed AS MATERIALIZED (
      SELECT id FROM deliveries WHERE created_at < $1 AND status IN ('succeeded', 'failed', 'cancelled')
      LIMIT ${CHUNK} FOR UPDATE SKIP LOCKED
    )
    DELETE FROM deliveries d USING doomed WHERE d.id = doomed.id`,
  lockOrphanEvents: `
    SELECT e.id FROM events e WHERE e.created_at < $1
      AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id)
    LIMIT ${CHUNK} FOR UPDATE SKIP LOCKED`,
  deleteOrphanEvents: `
    DELETE FROM events e WHERE e.id = ANY($1::text[])
      AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id)`,
  idempotency: 'DELETE FROM idempotency_keys WHERE created_at < $1',
} as const;

export interface PgRetentionOptions {
  pool: pg.Pool;
  clock: Clock;
  log: Logger;
  /** the current settings' retentionDays (read at every prune: settings.update may change it) */
  retentionDays: () => number;
  /** the inbox store's own prune (captured requests before `beforeMs`) */
  pruneInbox: (beforeMs: number) => void | Promise<void>;
  everyMs: number;
}

export class PgRetention {
  private readonly rounds: PeriodicRounds;

  constructor(private readonly opts: PgRetentionOptions) {
    this.rounds = new PeriodicRounds(opts.clock, async () => {
      try {
        const r = await this.prune();
        if (r && r.deliveries + r.events > 0) this.opts.log.info('retention pruned old history', { ...r });
      } catch (err) {
        this.opts.log.error('retention prune failed', { error: String(err) });
      }
      return this.opts.everyMs;
    });
  }

  /** Prunes now, then every everyMs. */
  start(): void {
    this.rounds.start();
  }

  /** Stops pruning; resolves once a prune under way has ended. */
  stop(): Promise<void> {
    return this.rounds.stop();
  }

  /**
   * One full prune now; null when another process (or caller) was pruning, so this one skipped. A failure stops
   * the prune where it is: the chunks before it stay deleted (each is whole), the next prune goes on from there.
   * Attempts go with their deliveries (ON DELETE CASCADE).
   */
  async prune(): Promise<PruneResult | null> {
    const out: { result?: PruneResult } = {};
    const pool = this.opts.pool;
    const ran = await runExclusively(pool, 'retention', async () => {
      const now = this.opts.clock.now();
      const cutoff = now - this.opts.retentionDays() * DAY_MS;
      const deliveries = await this.drain(async () => {
        const n = (await pool.query(SQL.deliveries, [cutoff])).rowCount ?? 0;
        return { seen: n, deleted: n };
      });
      const events = await this.drain(() => this.orphanEventsChunk(cutoff));
      const idempotency = await pool.query(SQL.idempotency, [now - IDEMPOTENCY_TTL_MS]);
      await this.opts.pruneInbox(cutoff);
      out.result = { deliveries, events, idempotencyKeys: idempotency.rowCount ?? 0 };
    });
    if (!ran) this.opts.log.debug('retention skipped: another process is pruning');
    return out.result ?? null;
  }

  /** Runs chunks until one comes back short (it found fewer than CHUNK rows); the rows deleted. */
  private async drain(chunk: () => Promise<{ seen: number; deleted: number }>): Promise<number> {
    let total = 0;
    for (;;) {
      const { seen, deleted } = await chunk();
      total += deleted;
      if (seen < CHUNK) return total;
    }
  }

  /** One chunk of old events without deliveries: locked, then deleted after a fresh check (see the top). */
  private orphanEventsChunk(cutoff: number): Promise<{ seen: number; deleted: number }> {
    return withTransaction(this.opts.pool, async (tx) => {
      const { rows } = await tx.query<{ id: string }>(SQL.lockOrphanEvents, [cutoff]);
      if (rows.length === 0) return { seen: 0, deleted: 0 };
      const deleted = await tx.query(SQL.deleteOrphanEvents, [rows.map((r) => r.id)]);
      // the chunk's size decides whether more may wait, whatever the second check kept
      return { seen: rows.length, deleted: deleted.rowCount ?? 0 };
    });
  }
}
