// Migration 11: a captured request keeps the rest of the inbox's answer (the headers and body its script wrote, and
// the delay), beside response_status: the request view shows it, and the HAR export's responses carry it. JSON of
// InboxAnswer; NULL for a request that hung, and for those captured before.
import type { Migration } from './types';

export const migration011: Migration = {
  version: 11,
  name: 'inbox-answers',
  up(db) {
    db.exec('ALTER TABLE inbox_requests ADD COLUMN response TEXT NULL;');
  },
};
