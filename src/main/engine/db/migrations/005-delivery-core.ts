// Migration 5: the delivery core's fencing, fairness and pause reasons.
// - deliveries.lease_seq: each claim bumps it and carries it; an outcome, a renewal or a release changes the row only
//   while its sequence still holds (a late outcome from a lost lease cannot overwrite a newer claim).
// - deliveries.paused_reason: why a paused delivery waits (its endpoint disabled by a person, or auto-disabled).
// - endpoints.disabled_by ('manual' | 'auto') and endpoints.kind ('user' | 'system': the operational notification
//   endpoint, hidden from the API's lists and never matched by fired events).
// - attempts.superseded and a UNIQUE (delivery_id, number): attempt numbers are a constraint, not a hope. Duplicates
//   left by the old lease bug are renumbered in insertion order first.
// - deliveries_pending becomes per endpoint (endpoint_id, next_attempt_at): claims take each endpoint in turn, so a
//   backlog of one endpoint never stands in front of another's new deliveries (same number of b-trees as before).
import type { Migration } from './types';

export const migration005: Migration = {
  version: 5,
  name: 'delivery-core',
  up(db) {
    db.exec(`
      ALTER TABLE deliveries ADD COLUMN lease_seq INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE deliveries ADD COLUMN paused_reason TEXT NULL;
      ALTER TABLE endpoints ADD COLUMN disabled_by TEXT NULL;
      ALTER TABLE endpoints ADD COLUMN kind TEXT NOT NULL DEFAULT 'user';
      ALTER TABLE attempts ADD COLUMN superseded INTEGER NOT NULL DEFAULT 0;

      UPDATE endpoints SET disabled_by = 'manual' WHERE enabled = 0 AND deleted_at IS NULL;
      UPDATE endpoints SET disabled_by = 'auto'
        WHERE enabled = 0 AND deleted_at IS NULL AND disabled_reason LIKE '%consecutive failed attempts%';
      UPDATE deliveries SET paused_reason = CASE
          WHEN (SELECT disabled_by FROM endpoints e WHERE e.id = deliveries.endpoint_id) = 'auto'
          THEN 'endpoint_auto_disabled' ELSE 'endpoint_disabled' END
        WHERE status = 'paused';

      UPDATE attempts SET number = (
          SELECT COUNT(*) FROM attempts a2 WHERE a2.delivery_id = attempts.delivery_id AND a2.id <= attempts.id)
        WHERE delivery_id IN (SELECT delivery_id FROM attempts GROUP BY delivery_id, number HAVING COUNT(*) > 1);
      UPDATE deliveries SET attempt_count = (SELECT COUNT(*) FROM attempts a WHERE a.delivery_id = deliveries.id)
        WHERE attempt_count < (SELECT COUNT(*) FROM attempts a WHERE a.delivery_id = deliveries.id);
      DROP INDEX attempts_by_delivery;
      CREATE UNIQUE INDEX attempts_by_delivery ON attempts (delivery_id, number);

      DROP INDEX deliveries_pending;
      CREATE INDEX deliveries_pending ON deliveries (endpoint_id, next_attempt_at) WHERE status = 'pending';
    `);
  },
};
