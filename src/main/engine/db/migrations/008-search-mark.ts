// Migration 8: the payload index (migrations 6 and 7) remembers how far it has indexed instead of queueing each event.
// Migration 7's queue cost every event a trigger program and a b-tree insert in the hot commit, and a page of the
// queue in its WAL frames. Measured: the perf burst with the trigger dropped (4 interleaved pairs) 5.9 µs less of the
// engine thread per delivery; `bench/ab.mjs --base c3ede5c --pairs 8` CPU per delivery 143.3 -> 137.1 µs (engine
// thread 68 -> 63.6), deliveries/s x1.045 mean (x1.018 median, within the machine's spread).
// - events_fts_state.indexed_upto: every event with a rowid up to it is in the index, none above it. An insert adds
//   nothing: SQLite gives a new row the largest rowid plus one, above the mark. SearchIndex (search-index.ts) indexes
//   rowids above the mark in batches and moves the mark in the same transaction.
// - A deleted event leaves the index only if it is in it (at or below the mark): FTS5's external-content 'delete' of
//   a row it never indexed would corrupt its token lists.
// - Rowid reuse: once the largest rowid is deleted, SQLite may give it to the next row. The delete trigger lowers the
//   mark to the largest rowid left (every row above it is gone, and left the index if it was in it), so a reused
//   rowid is above the mark and indexed like any new row.
// - What migration 7 had queued is indexed here, once, so the mark starts at the largest rowid.
// - After a manual VACUUM (which may renumber rowids), `INSERT INTO events_fts(events_fts) VALUES ('rebuild')` and
//   setting the mark to the largest rowid re-index; the engine never vacuums.
import type { Migration } from './types';

export const migration008: Migration = {
  version: 8,
  name: 'search-mark',
  up(db) {
    db.exec(`
      INSERT INTO events_fts (rowid, data)
        SELECT e.rowid, e.data FROM events_fts_pending p JOIN events e ON e.rowid = p.event_rowid;
      CREATE TABLE events_fts_state (
        id           INTEGER PRIMARY KEY CHECK (id = 1),
        indexed_upto INTEGER NOT NULL
      );
      INSERT INTO events_fts_state (id, indexed_upto) VALUES (1, COALESCE((SELECT MAX(rowid) FROM events), 0));
      DROP TRIGGER events_fts_queue;
      DROP TRIGGER events_fts_delete;
      DROP TABLE events_fts_pending;
      CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
        INSERT INTO events_fts (events_fts, rowid, data) SELECT 'delete', old.rowid, old.data
          WHERE old.rowid <= (SELECT indexed_upto FROM events_fts_state WHERE id = 1);
        UPDATE events_fts_state SET indexed_upto = last.upto
          FROM (SELECT COALESCE(MAX(rowid), 0) AS upto FROM events) AS last
          WHERE id = 1 AND indexed_upto > last.upto;
      END;
    `);
  },
};
