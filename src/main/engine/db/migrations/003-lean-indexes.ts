// Migration 3: indexes shaped for a commit per fired event.
// - Every time-ordered index is ascending: SQLite walks an index backwards for ORDER BY ... DESC just as fast,
//   while new rows (the newest time) land on the rightmost leaf, which SQLite appends to cheaply. Descending
//   indexes put every new row on the leftmost leaf, splitting it again and again: measured ~2 WAL frames per
//   index per commit instead of ~1, a quarter of all the pages an events.create commit writes.
// - The queue's two lookups are partial indexes: due time of `pending` rows, lease of `sending` rows. Finished
//   history (succeeded, failed, cancelled: almost every row) is in neither, so claiming and lease recovery stay
//   as fast with a million stored deliveries as with ten, and acknowledging a delivery removes one entry
//   instead of moving it. Queries must say `status = 'pending'` / `status = 'sending'` literally to use them.
//   Paused and failed rows (what the status strip counts besides the queue) get a small partial index too.
import type Database from 'better-sqlite3';
import type { Migration } from './types';

export const migration003: Migration = {
  version: 3,
  name: 'lean-indexes',
  up(db: Database.Database): void {
    db.exec(`
      DROP INDEX events_by_time;
      DROP INDEX events_by_type;
      CREATE INDEX events_by_time ON events (created_at, id);
      CREATE INDEX events_by_type ON events (type, created_at, id);

      DROP INDEX deliveries_due;
      DROP INDEX deliveries_by_time;
      DROP INDEX deliveries_by_endpoint;
      DROP INDEX deliveries_by_type;
      CREATE INDEX deliveries_pending ON deliveries (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX deliveries_leased ON deliveries (lease_until) WHERE status = 'sending';
      CREATE INDEX deliveries_held ON deliveries (status) WHERE status IN ('paused', 'failed');
      CREATE INDEX deliveries_by_time ON deliveries (created_at, id);
      CREATE INDEX deliveries_by_endpoint ON deliveries (endpoint_id, status, created_at, id);
      CREATE INDEX deliveries_by_type ON deliveries (event_type, created_at, id);

      DROP INDEX attempts_by_endpoint;
      CREATE INDEX attempts_by_endpoint ON attempts (endpoint_id, id);
    `);
  },
};
