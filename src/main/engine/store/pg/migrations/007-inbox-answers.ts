// Migration 7 (PostgreSQL): SQLite's migration 11, a captured request keeps the rest of the inbox's answer (JSON of
// InboxAnswer; NULL when it hung, and for requests captured before).
import type { PgMigration } from './types';

export const pgMigration007: PgMigration = {
  version: 7,
  name: 'inbox-answers',
  up: 'ALTER TABLE inbox_requests ADD COLUMN response TEXT NULL;',
};
