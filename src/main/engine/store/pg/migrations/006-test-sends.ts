// Migration 6 (PostgreSQL): SQLite's migration 10, an event written by a test send says so (1), so that replaying
// missed events leaves it out. An integer, as SQLite's, for the SQL the stores share (missedEventsSql).
import type { PgMigration } from './types';

export const pgMigration006: PgMigration = {
  version: 6,
  name: 'test-sends',
  up: 'ALTER TABLE events ADD COLUMN test INTEGER NOT NULL DEFAULT 0;',
};
