// The database's part of system.status on SQLite (store/pg/status.ts is PostgreSQL's): queue depth by waiting status
// and the user's endpoints (total, disabled, failing).
import type Database from 'better-sqlite3';
import type { StatusFigures, StatusPort } from '../store/control-ports';

export class SqliteStatus implements StatusPort {
  // One count per partial index (migration 3): finished history is in none of them, so this stays cheap however
  // many deliveries are stored. The status literals must match the indexes' WHERE clauses.
  private readonly queue: Database.Statement<[], { status: string; n: number }>;
  private readonly endpoints: Database.Statement<[], { total: number; disabled: number; failing: number }>;

  constructor(db: Database.Database) {
    this.queue = db.prepare(
      `SELECT 'pending' AS status, COUNT(*) AS n FROM deliveries WHERE status = 'pending'
       UNION ALL SELECT 'sending', COUNT(*) FROM deliveries WHERE status = 'sending'
       UNION ALL SELECT status, COUNT(*) FROM deliveries WHERE status IN ('paused', 'failed') GROUP BY status`,
    );
    this.endpoints = db.prepare(
      `SELECT COUNT(*) AS total, COALESCE(SUM(enabled = 0), 0) AS disabled,
         COALESCE(SUM(enabled = 1 AND consecutive_failures > 0), 0) AS failing
       FROM endpoints WHERE deleted_at IS NULL AND kind = 'user'`,
    );
  }

  figures(): StatusFigures {
    const counts = new Map(this.queue.all().map((r) => [r.status, r.n]));
    return {
      queue: {
        pending: counts.get('pending') ?? 0,
        sending: counts.get('sending') ?? 0,
        paused: counts.get('paused') ?? 0,
        failed: counts.get('failed') ?? 0,
      },
      endpoints: this.endpoints.get() ?? { total: 0, disabled: 0, failing: 0 },
    };
  }
}
