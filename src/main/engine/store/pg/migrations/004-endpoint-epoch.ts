// Migration 4 (PostgreSQL): a counter of the endpoint changes the engine acts on (a new endpoint; its filters, enabled
// state, kind, deletion, URL, headers, scheme, timeout or rate limit; its signing secrets), bumped by triggers in the
// writer's own transaction. Each process's endpoint cache learns of other processes' changes from their
// notifications, a moment late; before a pass that fires events or claims deliveries, the engine reads this counter
// and reloads the cache when it moved, so what another process changed (and answered for) holds for the very next
// event matched or attempt sent anywhere. The failure counter and timestamps leave it alone.
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
  CREATE TRIGGER endpoints_epoch_insert AFTER INSERT OR DELETE ON endpoints
    FOR EACH STATEMENT EXECUTE FUNCTION hookbench_endpoint_epoch();
  CREATE TRIGGER endpoints_epoch_update AFTER UPDATE ON endpoints FOR EACH ROW
    WHEN (OLD.event_types IS DISTINCT FROM NEW.event_types OR OLD.enabled IS DISTINCT FROM NEW.enabled
      OR OLD.disabled_by IS DISTINCT FROM NEW.disabled_by OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
      OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.url IS DISTINCT FROM NEW.url
      OR OLD.headers IS DISTINCT FROM NEW.headers OR OLD.scheme IS DISTINCT FROM NEW.scheme
      OR OLD.timeout_ms IS DISTINCT FROM NEW.timeout_ms OR OLD.rate_limit_per_sec IS DISTINCT FROM NEW.rate_limit_per_sec)
    EXECUTE FUNCTION hookbench_endpoint_epoch();
  CREATE TRIGGER endpoint_secrets_epoch AFTER INSERT OR UPDATE OR DELETE ON endpoint_secrets
    FOR EACH STATEMENT EXECUTE FUNCTION hookbench_endpoint_epoch();
  `,
};
