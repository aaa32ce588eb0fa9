// endpoints.stats on PostgreSQL: the rows of the window read as SQLite reads them (db/endpoint-stats.ts), bucketed by
// the same code (db/endpoint-stats-buckets.ts), so both stores draw the same points. attempts has no index on
// started_at (like SQLite's), so the window's first id is found by binary search over the primary key.
import type { EndpointStatsOutput, StatsWindow } from '../../../../shared';
import {
  aggregateStats,
  firstIdFrom,
  MAX_STATS_ROWS,
  OVERLAP_MS,
  type StatsAttemptRow,
  statsSpan,
} from '../../db/endpoint-stats-buckets';
import type { EndpointStatsPort } from '../control-ports';
import type { Queryable } from './pool';

/**
 * The response's HTTP status: the attempt log writes JSON.stringify({ status, ... }), so it is read from the first
 * bytes; parsing the whole document (a body of up to 64 KiB) is the fallback for any other layout.
 */
const STATUS = `CASE WHEN substr(response, 1, 10) = '{"status":' AND substr(response, 14, 1) = ','
    THEN CAST(substr(response, 11, 3) AS INTEGER) ELSE (response::json ->> 'status')::int END`;

const COLUMNS = `endpoint_id, started_at, duration_ms, succeeded, ${STATUS} AS status`;

const SQL = {
  maxId: 'SELECT MAX(id) AS id FROM attempts',
  probe: 'SELECT id, started_at FROM attempts WHERE id >= $1 ORDER BY id LIMIT 1',
  all: `SELECT ${COLUMNS} FROM attempts WHERE id >= $1 AND started_at >= $2 ORDER BY id DESC LIMIT $3`,
  one: `SELECT ${COLUMNS} FROM attempts WHERE endpoint_id = $4 AND id >= $1 AND started_at >= $2
    ORDER BY id DESC LIMIT $3`,
} as const;

export class PgEndpointStats implements EndpointStatsPort {
  /** `db`: a pool from openPgPool (its int8 parser makes ids and times numbers) */
  constructor(private readonly db: Queryable) {}

  async query(window: StatsWindow, nowMs: number, endpointId?: string): Promise<EndpointStatsOutput> {
    const span = statsSpan(window, nowMs);
    const maxId = (await this.db.query<{ id: number | null }>(SQL.maxId)).rows[0]?.id ?? 0;
    const first = await firstIdFrom(
      span.from - OVERLAP_MS,
      maxId,
      async (id) => (await this.db.query<{ id: number; started_at: number }>(SQL.probe, [id])).rows[0],
    );
    const params = [first, span.from, MAX_STATS_ROWS];
    const { rows } = endpointId
      ? await this.db.query<StatsAttemptRow>(SQL.one, [...params, endpointId])
      : await this.db.query<StatsAttemptRow>(SQL.all, params);
    return aggregateStats(span, rows, endpointId);
  }
}
