// Migration 2: the built-in receiver's inboxes and the requests they captured.
import type { Migration } from './types';

export const migration002: Migration = {
  version: 2,
  name: 'inbox',
  up(db) {
    // Times are unix milliseconds (like the rest of the engine's clock) so retention prunes with one comparison.
    // endpoint_id is SET NULL on delete: an inbox outlives the endpoint it verified for, its requests stay readable.
    db.exec(`
      CREATE TABLE IF NOT EXISTS inboxes (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL DEFAULT '',
        endpoint_id TEXT NULL REFERENCES endpoints(id) ON DELETE SET NULL,
        script      TEXT NOT NULL,
        created_at  INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS inbox_requests (
        id              TEXT PRIMARY KEY,
        inbox_id        TEXT NOT NULL REFERENCES inboxes(id) ON DELETE CASCADE,
        method          TEXT NOT NULL,
        path            TEXT NOT NULL,
        headers         TEXT NOT NULL,
        body            BLOB NOT NULL,
        size            INTEGER NOT NULL,
        remote          TEXT NOT NULL,
        received_at     INTEGER NOT NULL,
        response_status INTEGER NULL,
        verification    TEXT NULL
      );
      CREATE INDEX IF NOT EXISTS inbox_requests_by_inbox ON inbox_requests (inbox_id, received_at DESC, id);
      CREATE INDEX IF NOT EXISTS inbox_requests_by_time ON inbox_requests (received_at);
      CREATE INDEX IF NOT EXISTS inboxes_by_endpoint ON inboxes (endpoint_id);
    `);
  },
};
