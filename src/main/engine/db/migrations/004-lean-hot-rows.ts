// Migration 4: fewer b-trees touched per delivery (measured on the dispatcher's write pattern).
// - The event's payload moves into the events row. A table of its own keyed by a TEXT id was two b-trees (the rowid
//   table and the key's index) written once per event for no read that needed them apart: list and detail read
//   both together, and the queue's hot rows (deliveries) never held the payload either way.
// - deliveries_by_endpoint loses `status`: every claim (pending → sending) and every acknowledgement (sending →
//   succeeded) moved the row's entry in that index, a delete and an insert, measured as about half the cost of a
//   claim. A delivery's endpoint and time never change, so the entry is now written once. Listing one endpoint's
//   deliveries of a rare status (failed, paused, cancelled) reads deliveries_endpoint_held, a partial index that
//   rows enter only when they reach those states; queries name its condition literally so that SQLite uses it.
//   The condition is written as ORs of equalities, not `status IN (...)`: measured, the IN list made every claim
//   and acknowledgement (which change `status`) about twice as slow, the row's membership being checked through
//   the list each time, where the ORs cost next to nothing.
import type { Migration } from './types';

export const migration004: Migration = {
  version: 4,
  name: 'lean-hot-rows',
  up(db) {
    db.exec(`
      ALTER TABLE events ADD COLUMN data TEXT NOT NULL DEFAULT 'null';
      UPDATE events SET data = (SELECT p.data FROM event_payloads p WHERE p.event_id = events.id)
        WHERE EXISTS (SELECT 1 FROM event_payloads p WHERE p.event_id = events.id);
      DROP TABLE event_payloads;

      DROP INDEX deliveries_by_endpoint;
      CREATE INDEX deliveries_by_endpoint ON deliveries (endpoint_id, created_at, id);
      CREATE INDEX deliveries_endpoint_held ON deliveries (endpoint_id, status, created_at, id)
        WHERE status = 'failed' OR status = 'paused' OR status = 'cancelled';
    `);
  },
};
