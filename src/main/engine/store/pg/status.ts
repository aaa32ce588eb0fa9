// The database's part of system.status on PostgreSQL (api/system.ts answers it from SQLite): queue depth by
// waiting status and the user's endpoints (total, disabled, failing). One statement, so every figure comes from
// the same snapshot while other processes write. Each queue count matches a partial index's WHERE clause
// (migration 001: deliveries_pending, deliveries_leased, deliveries_held), so it reads the index, not the
// finished history, however many deliveries are stored.
import type { EngineStatus } from '../../../../shared';
import type { Queryable } from './pool';

/** What the database contributes to system.status; the rest (running, version, ...) is the process's own. */
export type StatusFigures = Pick<EngineStatus, 'queue' | 'endpoints'>;

const FIGURES = `
  SELECT
    (SELECT count(*) FROM deliveries WHERE status = 'pending') AS pending,
    (SELECT count(*) FROM deliveries WHERE status = 'sending') AS sending,
    (SELECT count(*) FROM deliveries WHERE status = 'paused') AS paused,
    (SELECT count(*) FROM deliveries WHERE status = 'failed') AS failed,
    ep.total, ep.disabled, ep.failing
  FROM (
    SELECT count(*) AS total,
      count(*) FILTER (WHERE enabled = 0) AS disabled,
      count(*) FILTER (WHERE enabled = 1 AND consecutive_failures > 0) AS failing
    FROM endpoints WHERE deleted_at IS NULL AND kind = 'user'
  ) AS ep`;

interface FiguresRow {
  pending: number;
  sending: number;
  paused: number;
  failed: number;
  total: number;
  disabled: number;
  failing: number;
}

export class PgStatus {
  constructor(private readonly db: Queryable) {}

  async figures(): Promise<StatusFigures> {
    // count(*) is int8: the pool parses it to a number (pool.ts)
    const { rows } = await this.db.query<FiguresRow>(FIGURES);
    const r = rows[0];
    if (!r) throw new Error('status figures: no row'); // an aggregate always returns one
    return {
      queue: { pending: r.pending, sending: r.sending, paused: r.paused, failed: r.failed },
      endpoints: { total: r.total, disabled: r.disabled, failing: r.failing },
    };
  }
}
