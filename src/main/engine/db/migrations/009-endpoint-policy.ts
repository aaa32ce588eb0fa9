// Migration 9: an endpoint may have its own retry policy and auto-disable threshold (NULL: the settings'), so one
// endpoint's retries (a CLI send's quick ones, a scenario's) no longer need the whole database's settings changed.
// - retry_policy: JSON of a whole RetryPolicy; a new delivery takes its maxAttempts, a failed attempt its delays.
// - auto_disable_threshold: consecutive failed attempts that disable the endpoint, 0 = never.
import type { Migration } from './types';

export const migration009: Migration = {
  version: 9,
  name: 'endpoint-policy',
  up(db) {
    db.exec(`
      ALTER TABLE endpoints ADD COLUMN retry_policy TEXT NULL;
      ALTER TABLE endpoints ADD COLUMN auto_disable_threshold INTEGER NULL;
    `);
  },
};
