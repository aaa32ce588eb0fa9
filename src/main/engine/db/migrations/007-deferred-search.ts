// Migration 7: the payload index (migration 6) is written off the hot transaction. Indexing each event inside the
// commit that writes it cost ~28 µs per event (FTS5 writes a small segment per commit and merges them): a quarter
// of the engine's time per delivery. Now the insert only queues the event's rowid (an integer-key append, ~1 µs),
// and SearchIndex (search-index.ts) indexes the queue in large batches when the engine is quiet, or before any
// search, so a search still sees every event.
// - events_fts_pending: the rowids of events written but not yet indexed.
// - A deleted event leaves the index only if it was in it: FTS5's external-content 'delete' of a row it never
//   indexed would corrupt its token lists. Keyed by rowid, not a high-water mark, so a reused rowid (SQLite may
//   reuse the largest after it is deleted) is queued again like any new row.
import type { Migration } from './types';

export const migration007: Migration = {
  version: 7,
  name: 'deferred-search',
  up(db) {
    db.exec(`
      CREATE TABLE events_fts_pending (event_rowid INTEGER PRIMARY KEY);
      DROP TRIGGER events_fts_insert;
      CREATE TRIGGER events_fts_queue AFTER INSERT ON events BEGIN
        INSERT INTO events_fts_pending (event_rowid) VALUES (new.rowid);
      END;
      DROP TRIGGER events_fts_delete;
      CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
        INSERT INTO events_fts (events_fts, rowid, data) SELECT 'delete', old.rowid, old.data
          WHERE NOT EXISTS (SELECT 1 FROM events_fts_pending WHERE event_rowid = old.rowid);
        DELETE FROM events_fts_pending WHERE event_rowid = old.rowid;
      END;
    `);
  },
};
