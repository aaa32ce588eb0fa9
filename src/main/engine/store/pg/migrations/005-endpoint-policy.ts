// Migration 5 (PostgreSQL): SQLite's migration 9, an endpoint's own retry policy and auto-disable threshold (NULL:
// the settings'). Both are part of what the engine caches per endpoint (a new delivery's maxAttempts), so a change to
// either bumps the endpoint epoch (migration 4) like the other columns the engine acts on.
import type { PgMigration } from './types';

export const pgMigration005: PgMigration = {
  version: 5,
  name: 'endpoint-policy',
  up: `
  ALTER TABLE endpoints ADD COLUMN retry_policy TEXT NULL;
  ALTER TABLE endpoints ADD COLUMN auto_disable_threshold INTEGER NULL;
  DROP TRIGGER endpoints_epoch_update ON endpoints;
  CREATE TRIGGER endpoints_epoch_update AFTER UPDATE ON endpoints FOR EACH ROW
    WHEN (OLD.event_types IS DISTINCT FROM NEW.event_types OR OLD.enabled IS DISTINCT FROM NEW.enabled
      OR OLD.disabled_by IS DISTINCT FROM NEW.disabled_by OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
      OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.url IS DISTINCT FROM NEW.url
      OR OLD.headers IS DISTINCT FROM NEW.headers OR OLD.scheme IS DISTINCT FROM NEW.scheme
      OR OLD.timeout_ms IS DISTINCT FROM NEW.timeout_ms OR OLD.rate_limit_per_sec IS DISTINCT FROM NEW.rate_limit_per_sec
      OR OLD.retry_policy IS DISTINCT FROM NEW.retry_policy
      OR OLD.auto_disable_threshold IS DISTINCT FROM NEW.auto_disable_threshold)
    EXECUTE FUNCTION hookbench_endpoint_epoch();
  `,
};
