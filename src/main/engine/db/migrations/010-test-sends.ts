// Migration 10: an event written by a test send (webhooks.test to an endpoint) says so. It is in that endpoint's
// delivery log like any event, but it was never fired: replaying missed events to the other endpoints must not send
// them a ping meant for one (a `*` endpoint was sent every other endpoint's tests). 1 = a test send.
import type { Migration } from './types';

export const migration010: Migration = {
  version: 10,
  name: 'test-sends',
  up(db) {
    db.exec('ALTER TABLE events ADD COLUMN test INTEGER NOT NULL DEFAULT 0;');
  },
};
