// Migration 6: full-text search over what events say (their data), for the `q` of deliveries.list and events.list.
// - An external-content FTS5 table: the index keeps only its token lists, the text stays in events.data (no second
//   copy of every payload). It is keyed by the events row's rowid.
// - Triggers keep it in the transaction that writes or deletes the event, so the hot path (event-service's insert,
//   retention's delete) is unchanged and a search never sees an event half indexed. Events are never updated.
// - The default unicode61 tokenizer splits JSON on its punctuation: `{"email":"ada@example.com"}` indexes
//   `email`, `ada`, `example`, `com`, so a search for `ada@example.com` is the phrase of those words.
// - VACUUM may renumber the rowids of a table without an INTEGER PRIMARY KEY (events has a TEXT key). The engine
//   never vacuums; after a manual VACUUM, `INSERT INTO events_fts(events_fts) VALUES ('rebuild')` re-indexes.
import type { Migration } from './types';

export const migration006: Migration = {
  version: 6,
  name: 'event-search',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE events_fts USING fts5(data, content = 'events', content_rowid = 'rowid');
      CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN
        INSERT INTO events_fts (rowid, data) VALUES (new.rowid, new.data);
      END;
      CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
        INSERT INTO events_fts (events_fts, rowid, data) VALUES ('delete', old.rowid, old.data);
      END;
      -- every event stored before this version
      INSERT INTO events_fts (events_fts) VALUES ('rebuild');
    `);
  },
};
