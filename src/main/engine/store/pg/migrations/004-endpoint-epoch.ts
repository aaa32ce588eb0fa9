// Migration 4 (PostgreSQL): a counter of the endpoint changes that decide where a fired event goes (a new endpoint, or
// one whose filters, enabled state, kind or deletion changed), bumped by triggers in the writer's own transaction. Each
// process's endpoint cache learns of other processes' changes from their notifications, a moment late; before
// matching fired events, a pass reads this counter and reloads the cache when it moved, so an endpoint that another
// process made or changed (and answered for) is matched by the very next event fired anywhere. Changes that do not
// touch matching (URL, headers, secrets, failure counters) leave it alone.
import type { PgMigration } from './types';

export const pgMigration004: PgMigration = {
  version: 4,
  name: 'endpoint-epoch',
  up: `
  CREATE TABLE endpoint_epoch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
  );
  INSERT INTO endpoint_epoch (id, n) VALUES (1, 0);
  CREATE FUNCTION hookbench_endpoint_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE endpoint_epoch SET n = n + 1 WHERE id = 1;
    RETURN NULL;
  END
  $$;
  CREATE TRIGGER endpoints_epoch_insert AFTER INSERT ON endpoints
    FOR EACH STATEMENT EXECUTE FUNCTION hookbench_endpoint_epoch();
  CREATE TRIGGER endpoints_epoch_update AFTER UPDATE ON endpoints FOR EACH ROW
    WHEN (OLD.event_types IS DISTINCT FROM NEW.event_types OR OLD.enabled IS DISTINCT FROM NEW.enabled
      OR OLD.disabled_by IS DISTINCT FROM NEW.disabled_by OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
      OR OLD.kind IS DISTINCT FROM NEW.kind)
    EXECUTE FUNCTION hookbench_endpoint_epoch();
  CREATE TRIGGER endpoints_epoch_delete AFTER DELETE ON endpoints
    FOR EACH STATEMENT EXECUTE FUNCTION hookbench_endpoint_epoch();
  `,
};
