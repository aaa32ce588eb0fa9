// PgRetention: exactly the old finished history goes (deliveries with their attempts, events left without
// deliveries, idempotency keys), waiting deliveries stay however old; one of two processes prunes at a time; and
// SQLite's Retention and PgRetention leave the same rows of the same seed.
import { describe, expect, it } from 'vitest';
import type { EngineContext } from '../../src/main/engine/context';
import { IDEMPOTENCY_TTL_MS } from '../../src/main/engine/events/service';
import { Retention } from '../../src/main/engine/retention';
import { checkOut, openPgPool } from '../../src/main/engine/store/pg/pool';
import { PgRetention } from '../../src/main/engine/store/pg/retention';
import { defaultSettings } from '../../src/shared';
import { FakeClock } from '../support/clock';
import { recordingLog } from '../support/log';
import { pgClusterPerFile } from '../support/pg-cluster';
import { pgStore, type StateStoreUnderTest, sqliteStore } from '../support/state-stores';
import { waitFor } from '../support/wait';

const DAY = 24 * 3600 * 1000;
const NOW = 1_800_000_000_000;
const RETENTION_DAYS = 7;
const OLD = NOW - 8 * DAY;
const RECENT = NOW - 6 * DAY;
const STATUSES = ['pending', 'sending', 'paused', 'succeeded', 'failed', 'cancelled'] as const;
const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

const cluster = pgClusterPerFile();

/**
 * One delivery of every status at every age, each with its own event (and an attempt when it was tried); an old
 * event with one finished and one waiting delivery; old and recent events without deliveries; idempotency keys on
 * both sides of their TTL.
 */
async function seed(store: StateStoreUnderTest): Promise<void> {
  await store.seed(['A'], []);
  const event = (id: string, at: number) =>
    store.sql("INSERT INTO events (id, type, version, created_at, data) VALUES (?, 'a.b', 'v1', ?, '{}')", [id, at]);
  const delivery = async (id: string, eventId: string, status: string, at: number) => {
    const tried = status !== 'pending' && status !== 'sending';
    await store.sql(
      `INSERT INTO deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, max_attempts,
         next_attempt_at, lease_until, lease_seq, created_at, updated_at)
       VALUES (?, ?, 'A', 'a.b', ?, ?, 5, ?, ?, 1, ?, ?)`,
      [id, eventId, status, tried ? 1 : 0, status === 'pending' ? at : null, status === 'sending' ? NOW : null, at, at],
    );
    if (tried) {
      await store.sql(
        `INSERT INTO attempts (delivery_id, endpoint_id, number, started_at, duration_ms, succeeded, request)
         VALUES (?, 'A', 1, ?, 1.5, ?, '{}')`,
        [id, at, status === 'succeeded' ? 1 : 0],
      );
    }
  };
  for (const [age, at] of [
    ['old', OLD],
    ['recent', RECENT],
  ] as const) {
    for (const status of STATUSES) {
      await event(`ev-${status}-${age}`, at);
      await delivery(`${status}-${age}`, `ev-${status}-${age}`, status, at);
    }
    await event(`ev-lonely-${age}`, at);
  }
  await event('ev-mixed-old', OLD);
  await delivery('mixed-done', 'ev-mixed-old', 'succeeded', OLD);
  await delivery('mixed-waiting', 'ev-mixed-old', 'paused', OLD);
  for (const [key, at] of [
    ['key-old', NOW - IDEMPOTENCY_TTL_MS - 1],
    ['key-recent', NOW - IDEMPOTENCY_TTL_MS + 60_000],
  ] as const) {
    await store.sql("INSERT INTO idempotency_keys (key, request_hash, response, created_at) VALUES (?, 'h', '{}', ?)", [
      key,
      at,
    ]);
  }
}

/** What is left, by table. */
async function left(store: StateStoreUnderTest) {
  // sorted here, not by ORDER BY: the two databases' text collations may differ
  const ids = async (sql: string) => (await store.sql(sql)).map((r) => String(Object.values(r)[0])).sort();
  return {
    deliveries: await ids('SELECT id FROM deliveries'),
    events: await ids('SELECT id FROM events'),
    attempts: await ids('SELECT delivery_id FROM attempts'),
    idempotencyKeys: await ids('SELECT key FROM idempotency_keys'),
  };
}

function pgRetention(pool: import('pg').Pool, pruneInbox: (beforeMs: number) => void | Promise<void> = () => {}) {
  const log = recordingLog();
  const retention = new PgRetention({
    pool,
    clock: new FakeClock(NOW),
    log,
    retentionDays: () => RETENTION_DAYS,
    pruneInbox,
    everyMs: 3_600_000,
  });
  return { retention, log };
}

describe('PgRetention', () => {
  it('deletes exactly the old finished deliveries, their attempts, orphaned old events and expired keys', async () => {
    const store = await pgStore(cluster.url);
    try {
      await seed(store);
      const inbox: number[] = [];
      const { retention } = pgRetention(store.pool, (before) => {
        inbox.push(before);
      });
      expect(await retention.prune()).toEqual({ deliveries: 4, events: 4, idempotencyKeys: 1 });
      expect(inbox).toEqual([NOW - RETENTION_DAYS * DAY]);

      const sorted = (xs: string[]) => [...xs].sort();
      const gone = new Set([...[...FINISHED].map((s) => `${s}-old`), 'mixed-done']);
      const allDeliveries = [...STATUSES.flatMap((s) => [`${s}-old`, `${s}-recent`]), 'mixed-done', 'mixed-waiting'];
      const kept = sorted(allDeliveries.filter((id) => !gone.has(id)));
      expect(await left(store)).toEqual({
        deliveries: kept,
        events: sorted([
          ...STATUSES.filter((s) => !FINISHED.has(s)).map((s) => `ev-${s}-old`),
          ...STATUSES.map((s) => `ev-${s}-recent`),
          'ev-lonely-recent',
          'ev-mixed-old',
        ]),
        attempts: kept.filter((id) => !id.startsWith('pending') && !id.startsWith('sending')),
        idempotencyKeys: ['key-recent'],
      });
      // a second prune finds nothing more
      expect(await retention.prune()).toEqual({ deliveries: 0, events: 0, idempotencyKeys: 0 });
    } finally {
      await store.close();
    }
  });

  it('drains more than one chunk of each', async () => {
    const store = await pgStore(cluster.url);
    try {
      await store.seed(['A'], []);
      await store.sql(
        `INSERT INTO events (id, type, version, created_at, data)
         SELECT 'ev' || g, 'a.b', 'v1', ?, '{}' FROM generate_series(1, 4101) AS g`,
        [OLD],
      );
      // 4500 old finished deliveries on ev1, nothing else: ev1 goes after them, with the 4100 orphans
      await store.sql(
        `INSERT INTO deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, max_attempts,
           lease_seq, created_at, updated_at)
         SELECT 'd' || g, 'ev1', 'A', 'a.b', 'succeeded', 1, 5, 1, ?, ? FROM generate_series(1, 4500) AS g`,
        [OLD, OLD],
      );
      await store.sql(
        `INSERT INTO deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, max_attempts,
           lease_seq, created_at, updated_at) VALUES ('waiting', 'ev2', 'A', 'a.b', 'paused', 1, 5, 1, ?, ?)`,
        [OLD, OLD],
      );
      const { retention } = pgRetention(store.pool);
      expect(await retention.prune()).toEqual({ deliveries: 4500, events: 4100, idempotencyKeys: 0 });
      expect(await left(store)).toMatchObject({ deliveries: ['waiting'], events: ['ev2'] });
    } finally {
      await store.close();
    }
  });

  it('prunes on start and then every everyMs; a failed prune is logged and the next one runs', async () => {
    const store = await pgStore(cluster.url);
    try {
      await seed(store);
      const clock = new FakeClock(NOW);
      const log = recordingLog();
      let inboxCalls = 0;
      const retention = new PgRetention({
        pool: store.pool,
        clock,
        log,
        retentionDays: () => RETENTION_DAYS,
        pruneInbox: () => {
          inboxCalls++;
          if (inboxCalls === 2) throw new Error('inbox store unavailable');
        },
        everyMs: 3_600_000,
      });
      retention.start();
      await waitFor(() => clock.pendingTimers().length === 1, { message: 'the first prune ran and scheduled' });
      expect(log.entries.filter((e) => e.level === 'info')).toEqual([
        {
          level: 'info',
          msg: 'retention pruned old history',
          fields: { deliveries: 4, events: 4, idempotencyKeys: 1 },
        },
      ]);
      expect(clock.pendingTimers()).toEqual([3_600_000]);

      clock.advance(3_600_000);
      await waitFor(() => log.messages('error').length === 1 && clock.pendingTimers().length === 1);
      expect(log.messages('error')).toEqual(['retention prune failed']);

      // two days on, the recent history is old too: the next prune takes it
      clock.advance(2 * DAY);
      await waitFor(() => inboxCalls >= 3 && clock.pendingTimers().length === 1);
      expect((await left(store)).deliveries).toEqual([
        'mixed-waiting',
        'paused-old',
        'paused-recent',
        'pending-old',
        'pending-recent',
        'sending-old',
        'sending-recent',
      ]);
      await retention.stop();
      expect(clock.pendingTimers()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('neither waits for nor deletes rows another process is changing right now', async () => {
    const store = await pgStore(cluster.url);
    const other = openPgPool(store.url);
    const reopen = await checkOut(other);
    const replay = await checkOut(other);
    try {
      await seed(store);
      // another process reopens an old failed delivery and adds a delivery to an old lonely event, not committed yet
      await reopen.client.query('BEGIN');
      await reopen.client.query(
        "UPDATE deliveries SET status = 'pending', next_attempt_at = $1 WHERE id = 'failed-old'",
        [NOW],
      );
      await replay.client.query('BEGIN');
      await replay.client.query(
        `INSERT INTO deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, max_attempts,
           next_attempt_at, lease_seq, created_at, updated_at)
         VALUES ('late', 'ev-lonely-old', 'A', 'a.b', 'pending', 0, 5, $1, 0, $1, $1)`,
        [NOW],
      );
      const { retention } = pgRetention(store.pool);
      const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('prune waited for a lock')), 5_000));
      expect(await Promise.race([retention.prune(), timeout])).toEqual({
        deliveries: 3,
        events: 2,
        idempotencyKeys: 1,
      });
      await reopen.client.query('COMMIT');
      await replay.client.query('COMMIT');
      const after = await left(store);
      expect(after.deliveries).toEqual(expect.arrayContaining(['failed-old', 'late']));
      expect(after.events).toEqual(expect.arrayContaining(['ev-failed-old', 'ev-lonely-old']));
      expect(after.deliveries).not.toEqual(expect.arrayContaining(['succeeded-old']));
      expect(await store.sql("SELECT status FROM deliveries WHERE id = 'failed-old'")).toEqual([{ status: 'pending' }]);
    } finally {
      reopen.release();
      replay.release();
      await other.end();
      await store.close();
    }
  });

  it('prunes in one of two processes at once; the other reports it skipped', async () => {
    const store = await pgStore(cluster.url);
    const other = openPgPool(store.url);
    try {
      await seed(store);
      const prunes: Array<Promise<unknown>> = [];
      // the winner's round lasts until the other process's prune has returned: the two surely overlap
      const holdUntilOtherEnds = () => Promise.race(prunes).then(() => {});
      const a = pgRetention(store.pool, holdUntilOtherEnds);
      const b = pgRetention(other, holdUntilOtherEnds);
      prunes.push(a.retention.prune(), b.retention.prune());
      const results = await Promise.all(prunes);
      expect(results.filter((r) => r === null)).toHaveLength(1);
      expect(results.filter((r) => r !== null)).toEqual([{ deliveries: 4, events: 4, idempotencyKeys: 1 }]);
      const skipper = results[0] === null ? a : b;
      expect(skipper.log.messages('debug')).toEqual(['retention skipped: another process is pruning']);
      // the round is free again
      expect(await b.retention.prune()).toEqual({ deliveries: 0, events: 0, idempotencyKeys: 0 });
    } finally {
      await other.end();
      await store.close();
    }
  });

  it('leaves the same rows as SQLite’s Retention for the same seed', async () => {
    const pg = await pgStore(cluster.url);
    const lite = sqliteStore();
    try {
      await seed(pg);
      await seed(lite);
      const ctx = {
        db: lite.db,
        clock: new FakeClock(NOW),
        log: recordingLog(),
        settings: () => ({ ...defaultSettings, retentionDays: RETENTION_DAYS }),
      } as Pick<EngineContext, 'db' | 'clock' | 'log' | 'settings'> as EngineContext;
      const liteInbox: number[] = [];
      const pgInbox: number[] = [];
      const liteResult = new Retention(ctx, (before) => liteInbox.push(before), 3_600_000).prune();
      const pgResult = await pgRetention(pg.pool, (before) => {
        pgInbox.push(before);
      }).retention.prune();
      expect(pgResult).toEqual(liteResult);
      expect(pgInbox).toEqual(liteInbox);
      const liteLeft = await left(lite);
      expect(liteLeft.deliveries.length).toBeGreaterThan(0);
      expect(await left(pg)).toEqual(liteLeft);
    } finally {
      await lite.close();
      await pg.close();
    }
  });
});
