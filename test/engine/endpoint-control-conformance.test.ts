// EndpointControl (SQLite) and PgEndpointControl (PostgreSQL) run one scenario each on a real database: disable,
// enable, delete and syncNotificationUrl with deliveries in every waiting state. After each move both leave the same
// rows, emit the same topics in the same order and wake the dispatcher for the same endpoints; the important
// outcomes are also checked absolutely, so two controls wrong the same way cannot pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContext } from '../../src/main/engine/build-context';
import { SYSTEM_ENDPOINT_ID } from '../../src/main/engine/db/endpoints';
import { openDatabase } from '../../src/main/engine/db/open';
import { DeliveryStates } from '../../src/main/engine/delivery/state';
import { EndpointControl } from '../../src/main/engine/endpoints/control';
import { EndpointDisabler } from '../../src/main/engine/endpoints/disable';
import { OperationalEvents } from '../../src/main/engine/endpoints/operational';
import { EventService } from '../../src/main/engine/events/service';
import type { EndpointControlPort } from '../../src/main/engine/store/control-ports';
import type { EndpointStorePort } from '../../src/main/engine/store/endpoint-ports';
import { PgEndpointControl } from '../../src/main/engine/store/pg/endpoint-control';
import { defaultSettings, EndpointCreateInput, REPLAY_LIMIT, ReplayMissingInput } from '../../src/shared';
import { FakeClock } from '../support/clock';
import { pgStores, testSecretBox } from '../support/endpoint-stores';
import { createMigratedDatabase, type PgCluster, startPgCluster } from '../support/pg-cluster';
import { pgSql, type Row, sqliteSql } from '../support/sql';
import { tempDbPath } from '../support/temp';

interface ControlUnderTest {
  control: EndpointControlPort;
  store: EndpointStorePort<unknown>;
  /** plain SQL with `?` placeholders */
  sql(text: string, params?: unknown[]): Promise<Row[]>;
  /** topics emitted and endpoints woken since the last take() */
  take(): { topics: Array<[string, unknown]>; wakes: string[] };
  close(): Promise<void>;
}

const box = testSecretBox();
const START = Date.parse('2026-03-01T00:00:00.000Z');

function recorder() {
  let topics: Array<[string, unknown]> = [];
  let wakes: string[] = [];
  return {
    topic: (name: string, payload: unknown) => topics.push([name, payload]),
    wake: (id: string) => wakes.push(id),
    take: () => {
      const out = { topics, wakes };
      topics = [];
      wakes = [];
      return out;
    },
  };
}

function sqliteControl(clock: FakeClock): ControlUnderTest {
  const dbPath = tempDbPath();
  const db = openDatabase(dbPath);
  const { ctx, bus, store } = buildContext(db, { dbPath, clock, secrets: box });
  const rec = recorder();
  bus.onAny((topic, payload) => rec.topic(topic, payload));
  const states = new DeliveryStates(db);
  const disabler = new EndpointDisabler(
    ctx,
    store,
    states,
    new OperationalEvents(ctx, new EventService(ctx, store, states)),
  );
  return {
    control: new EndpointControl(ctx, store, states, disabler, { wake: rec.wake }),
    store,
    sql: sqliteSql(db),
    take: rec.take,
    close: async () => {
      db.close();
    },
  };
}

async function pgControl(clusterUrl: string, clock: FakeClock): Promise<ControlUnderTest> {
  const url = await createMigratedDatabase(clusterUrl);
  const { pool, endpoints } = await pgStores(url, clock, box);
  const rec = recorder();
  return {
    control: new PgEndpointControl({
      pool,
      store: endpoints,
      clock,
      emit: rec.topic,
      wake: rec.wake,
      maxAttempts: () => defaultSettings.retry.maxAttempts,
    }),
    store: endpoints,
    sql: pgSql(pool),
    take: rec.take,
    close: () => pool.end(),
  };
}

/** One step's outcome: the answer (or the error's code and message), the topics, the wakes and the rows after it. */
async function step(s: ControlUnderTest, move: () => unknown) {
  let answer: unknown;
  try {
    answer = (await move()) ?? null;
  } catch (err) {
    const e = err as { code?: string; message: string };
    answer = { error: e.code ?? 'unknown', message: e.message };
  }
  const deliveries = await s.sql(
    'SELECT id, endpoint_id, status, paused_reason, next_attempt_at, updated_at FROM deliveries ORDER BY id',
  );
  const endpoints = await s.sql(
    `SELECT id, url, kind, enabled, disabled_reason, disabled_by, consecutive_failures, deleted_at, updated_at
       FROM endpoints ORDER BY kind, created_at`,
  );
  return { answer, ...s.take(), deliveries, endpoints };
}

/** The whole scenario on one store; generated endpoint ids are replaced by their names. */
async function scenario(s: ControlUnderTest, clock: FakeClock) {
  const names = new Map<string, string>();
  const make = async (name: string) => {
    clock.advance(1);
    const ep = await s.store.create(EndpointCreateInput.parse({ url: `https://example.com/${name}` }));
    names.set(ep.id, name);
    return ep.id;
  };
  const a = await make('a');
  const b = await make('b');
  await s.sql("INSERT INTO events (id, type, version, created_at, data) VALUES ('e1', 'a.b', 'v1', 0, '{}')");
  const delivery = (id: string, endpointId: string, status: string) =>
    s.sql(
      `INSERT INTO deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, max_attempts,
         next_attempt_at, lease_until, lease_seq, created_at, updated_at) VALUES (?, 'e1', ?, 'a.b', ?, 0, 5, ?, ?, 1, 0, 0)`,
      [id, endpointId, status, status === 'pending' ? 50 : null, status === 'sending' ? START + 60_000 : null],
    );
  await delivery('d1', a, 'pending');
  await delivery('d2', a, 'pending');
  await delivery('d3', a, 'succeeded');
  await delivery('d4', a, 'sending');
  await delivery('d5', b, 'pending');
  s.take();

  const log: Record<string, unknown> = {};
  const tick = () => clock.advance(1_000);
  tick();
  log.disable = await step(s, () => s.control.disable(a, 'maintenance window'));
  tick();
  log.disableAgain = await step(s, () => s.control.disable(a));
  tick();
  log.enable = await step(s, () => s.control.enable(a));
  tick();
  log.enableAgain = await step(s, () => s.control.enable(a));
  tick();
  log.delete = await step(s, () => s.control.delete(a));
  tick();
  log.deletedAgain = await step(s, () => s.control.delete(a));
  log.disableDeleted = await step(s, () => s.control.disable(a));
  log.enableUnknown = await step(s, () => s.control.enable('nope'));
  tick();
  log.notificationSet = await step(s, () => s.control.syncNotificationUrl('https://ops.example.com/hook'));
  await delivery('d6', SYSTEM_ENDPOINT_ID, 'pending');
  await delivery('d7', SYSTEM_ENDPOINT_ID, 'failed');
  tick();
  log.notificationCleared = await step(s, () => s.control.syncNotificationUrl(null));
  tick();
  log.notificationRepointed = await step(s, () => s.control.syncNotificationUrl('https://ops.example.com/v2'));
  let text = JSON.stringify(log);
  for (const [id, name] of names) text = text.split(id).join(`<${name}>`);
  return JSON.parse(text);
}

let cluster: PgCluster;
let sqlite: ControlUnderTest;
let postgres: ControlUnderTest;
// biome-ignore lint/suspicious/noExplicitAny: the scenario's log is compared and spot-checked as plain JSON
const logs: { sqlite?: any; postgres?: any } = {};

beforeAll(async () => {
  cluster = await startPgCluster();
  const liteClock = new FakeClock(START);
  const pgClock = new FakeClock(START);
  sqlite = sqliteControl(liteClock);
  postgres = await pgControl(cluster.url, pgClock);
  logs.sqlite = await scenario(sqlite, liteClock);
  logs.postgres = await scenario(postgres, pgClock);
}, 120_000);
afterAll(async () => {
  await sqlite?.close();
  await postgres?.close();
  await cluster?.stop();
});

const status = (s: { deliveries: Row[] }) => Object.fromEntries(s.deliveries.map((d) => [d.id, d.status]));

describe('EndpointControl and PgEndpointControl', () => {
  it.each([
    'disable',
    'disableAgain',
    'enable',
    'enableAgain',
    'delete',
    'deletedAgain',
    'disableDeleted',
    'enableUnknown',
    'notificationSet',
    'notificationCleared',
    'notificationRepointed',
  ])('%s: same answer, topics, wakes and rows', (name) => {
    expect(logs.postgres[name]).toEqual(logs.sqlite[name]);
  });

  it('a manual disable pauses the pending deliveries and says so; enable resumes them due now and wakes', () => {
    const { disable, enable, enableAgain } = logs.sqlite;
    expect(disable.answer).toMatchObject({ id: '<a>', enabled: false, disabledReason: 'maintenance window' });
    expect(status(disable)).toEqual({ d1: 'paused', d2: 'paused', d3: 'succeeded', d4: 'sending', d5: 'pending' });
    expect(disable.topics.map(([t]: [string]) => t)).toEqual([
      'delivery.updated',
      'delivery.updated',
      'endpoint.updated',
      'endpoint.disabled',
    ]);
    expect(disable.topics[3][1]).toEqual({
      id: '<a>',
      url: 'https://example.com/a',
      reason: 'maintenance window',
      pausedDeliveries: 2,
    });
    expect(disable.wakes).toEqual([]);
    expect(status(enable)).toMatchObject({ d1: 'pending', d2: 'pending', d4: 'sending' });
    expect(enable.deliveries[0].next_attempt_at).toBe(START + 2 + 3_000); // two endpoints made a ms apart, three moves a second apart
    expect(enable.wakes).toEqual(['<a>']);
    expect(enableAgain.wakes).toEqual([]); // nothing resumed: nothing to wake for
  });

  it('delete cancels the waiting deliveries and hides the endpoint; unknown ones are not_found', () => {
    const { delete: del, deletedAgain, disableDeleted, enableUnknown } = logs.sqlite;
    expect(del.answer).toBeNull();
    expect(status(del)).toMatchObject({ d1: 'cancelled', d2: 'cancelled', d3: 'succeeded', d5: 'pending' });
    expect(del.topics.at(-1)).toEqual(['endpoint.updated', { id: '<a>' }]);
    for (const refused of [deletedAgain, disableDeleted, enableUnknown]) {
      expect(refused.answer.error).toBe('not_found');
      expect(refused.topics).toEqual([]);
      expect(refused.deliveries).toEqual(del.deliveries); // nothing changed
    }
  });

  it('the system endpoint follows the notification URL: paused when cleared, re-pointed and resumed when set', () => {
    const { notificationSet, notificationCleared, notificationRepointed } = logs.sqlite;
    const system = (s: { endpoints: Row[] }) => s.endpoints.find((e) => e.id === SYSTEM_ENDPOINT_ID);
    expect(system(notificationSet)).toMatchObject({ url: 'https://ops.example.com/hook', enabled: 1 });
    expect(notificationSet.topics).toEqual([]); // the system endpoint is not the user's: no endpoint.updated
    expect(status(notificationCleared)).toMatchObject({ d6: 'paused', d7: 'failed' });
    expect(system(notificationCleared)).toMatchObject({ enabled: 0, disabled_by: 'manual' });
    expect(notificationCleared.topics.map(([t]: [string]) => t)).toEqual(['delivery.updated']);
    expect(status(notificationRepointed)).toMatchObject({ d6: 'pending', d7: 'failed' });
    expect(system(notificationRepointed)).toMatchObject({ url: 'https://ops.example.com/v2', enabled: 1 });
    expect(notificationRepointed.wakes).toEqual([SYSTEM_ENDPOINT_ID]);
  });
});

/**
 * Replaying what endpoints missed, on one store: events of every kind written by hand (some before the endpoints
 * existed, one already delivered, one operational, one after `until`), then replays with each kind of filter, a dry
 * run, a second replay, an endpoint disabled by hand and one disabled automatically.
 */
async function replayScenario(s: ControlUnderTest, clock: FakeClock) {
  const names = new Map<string, string>();
  const make = async (name: string, eventTypes: string[]) => {
    clock.advance(1);
    const ep = await s.store.create(EndpointCreateInput.parse({ url: `https://example.com/${name}`, eventTypes }));
    names.set(ep.id, name);
    return ep.id;
  };
  const inv = await make('inv', ['invoice.*']);
  const all = await make('all', ['*']);
  const exact = await make('exact', ['order.created', 'shop/*']);
  const hand = await make('hand', ['*']);
  const auto = await make('auto', ['invoice.*']);
  const event = (id: string, type: string, at: number) =>
    s.sql("INSERT INTO events (id, type, version, created_at, data) VALUES (?, ?, 'v1', ?, '{}')", [id, type, at]);
  await event('e1', 'invoice.paid', START - 3_000);
  await event('e2', 'Invoice.paid', START - 2_500); // a prefix compares with case, as subscribes() does
  await event('e3', 'order.created', START - 2_000);
  await event('e4', 'invoice.created', START - 1_000);
  await event('e5', 'endpoint.disabled', START - 900); // operational: delivered to the system endpoint
  await event('e6', 'invoicex.paid', START - 800); // not in the family invoice.*
  await event('e7', 'shop/orders', START - 700);
  await event('e8', 'invoice.voided', START + 60_000); // after the replays' `until` (now)
  // a test send's event (webhooks.test to one endpoint): never fired, so no other endpoint missed it
  await s.sql(
    "INSERT INTO events (id, type, version, created_at, data, test) VALUES ('e9', 'invoice.paid', 'v1', ?, '{}', 1)",
    [START - 600],
  );
  const delivery = (id: string, eventId: string, endpointId: string, status: string) =>
    s.sql(
      `INSERT INTO deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, max_attempts,
         next_attempt_at, lease_until, lease_seq, created_at, updated_at) VALUES (?, ?, ?, 'x', ?, 1, 5, NULL, NULL, 1, 0, 0)`,
      [id, eventId, endpointId, status],
    );
  await delivery('d-e4', 'e4', inv, 'succeeded');
  await s.control.syncNotificationUrl('https://ops.example.com/hook');
  await delivery('d-e5', 'e5', SYSTEM_ENDPOINT_ID, 'succeeded');
  s.take();

  const since = new Date(START - 10_000).toISOString();
  const replay = async (id: string, extra: Record<string, unknown> = {}) => {
    clock.advance(1_000);
    const out = await step(s, () => s.control.replayMissing(ReplayMissingInput.parse({ id, since, ...extra })));
    // new delivery ids are random: the rows are compared by event and endpoint, the topics without their ids
    const rows = await s.sql(
      `SELECT event_id, endpoint_id, status, paused_reason, attempt_count, max_attempts, next_attempt_at, created_at
         FROM deliveries ORDER BY event_id, created_at`,
    );
    const topics = out.topics.map(([t, p]) => [
      t,
      { ...(p as object), id: t === 'delivery.updated' ? '<new>' : undefined },
    ]);
    return { answer: out.answer, topics, wakes: out.wakes, rows };
  };
  const log: Record<string, unknown> = {};
  log.dryRun = await replay(inv, { dryRun: true });
  log.family = await replay(inv);
  log.familyAgain = await replay(inv);
  log.exactAndSlash = await replay(exact);
  log.range = await replay(all, {
    since: new Date(START - 2_600).toISOString(),
    until: new Date(START - 1_000).toISOString(),
  });
  log.everything = await replay(all);
  await s.control.disable(hand);
  s.take();
  log.disabledByHand = await replay(hand);
  await s.sql("UPDATE endpoints SET enabled = 0, disabled_by = 'auto', disabled_reason = 'failing' WHERE id = ?", [
    auto,
  ]);
  s.store.invalidate(auto);
  log.autoDisabled = await replay(auto);
  log.unknown = await replay('nope');
  let text = JSON.stringify(log);
  for (const [id, name] of names) text = text.split(id).join(`<${name}>`);
  return JSON.parse(text);
}

describe('replayMissing on SQLite and PostgreSQL', () => {
  // biome-ignore lint/suspicious/noExplicitAny: the scenario's log is compared and spot-checked as plain JSON
  const replays: { sqlite?: any; postgres?: any } = {};
  const opened: ControlUnderTest[] = [];
  beforeAll(async () => {
    const liteClock = new FakeClock(START);
    const pgClock = new FakeClock(START);
    const lite = sqliteControl(liteClock);
    const pgc = await pgControl(cluster.url, pgClock);
    opened.push(lite, pgc);
    replays.sqlite = await replayScenario(lite, liteClock);
    replays.postgres = await replayScenario(pgc, pgClock);
  }, 120_000);
  afterAll(async () => {
    for (const c of opened) await c.close();
  });
  const byEndpoint = (rows: Row[], endpoint: string) =>
    rows.filter((r) => r.endpoint_id === endpoint).map((r) => r.event_id);

  it.each([
    'dryRun',
    'family',
    'familyAgain',
    'exactAndSlash',
    'range',
    'everything',
    'disabledByHand',
    'autoDisabled',
    'unknown',
  ])('%s: same answer, topics, wakes and rows', (name) => {
    expect(replays.postgres[name]).toEqual(replays.sqlite[name]);
  });

  it('gives each missed event of the family one pending delivery, due now, once; a dry run only counts', () => {
    const { dryRun, family, familyAgain } = replays.sqlite;
    expect(dryRun.answer).toEqual({ events: 1, truncated: false, dryRun: true });
    expect(byEndpoint(dryRun.rows, '<inv>')).toEqual(['e4']); // nothing written
    expect(dryRun.topics).toEqual([]);
    expect(family.answer).toEqual({ events: 1, truncated: false, dryRun: false });
    // e1 only: e2's type differs in case, e4 was delivered, e6 is another family, e8 is after now, e9 a test send
    expect(byEndpoint(family.rows, '<inv>')).toEqual(['e1', 'e4']);
    const row = family.rows.find((r: Row) => r.event_id === 'e1');
    const now = START + 5 + 2_000; // five endpoints a ms apart, two replays a second apart
    expect(row).toMatchObject({ status: 'pending', attempt_count: 0, max_attempts: 8, next_attempt_at: now });
    expect(family.topics.map(([t]: [string]) => t)).toEqual(['delivery.updated', 'endpoint.updated']);
    expect(family.topics[0][1]).toMatchObject({ eventId: 'e1', endpointId: '<inv>', status: 'pending' });
    expect(family.wakes).toEqual(['<inv>']);
    expect(familyAgain.answer).toEqual({ events: 0, truncated: false, dryRun: false });
    expect(familyAgain.rows).toEqual(family.rows);
    expect(familyAgain.topics).toEqual([]);
    expect(familyAgain.wakes).toEqual([]);
  });

  it('matches exact types and slash families, keeps to the range, in event order, never operational events nor test sends', () => {
    const { exactAndSlash, range, everything } = replays.sqlite;
    expect(byEndpoint(exactAndSlash.rows, '<exact>')).toEqual(['e3', 'e7']);
    expect(range.answer.events).toBe(2);
    expect(byEndpoint(range.rows, '<all>')).toEqual(['e2', 'e3']); // [since, until): e4 at `until` is not in it
    expect(everything.answer.events).toBe(4);
    expect(byEndpoint(everything.rows, '<all>')).toEqual(['e1', 'e2', 'e3', 'e4', 'e6', 'e7']);
    expect(
      everything.topics
        .filter(([t]: [string]) => t === 'delivery.updated')
        .map(([, p]: [string, { eventId: string }]) => p.eventId),
    ).toEqual(['e1', 'e4', 'e6', 'e7']);
  });

  it('refuses an endpoint disabled by hand and an unknown one, changing nothing; pauses for an auto-disabled one', () => {
    const { everything, disabledByHand, autoDisabled, unknown } = replays.sqlite;
    expect(disabledByHand.answer.error).toBe('conflict');
    expect(disabledByHand.answer.message).toMatch(/enable it/);
    expect(disabledByHand.rows).toEqual(everything.rows);
    expect(disabledByHand.topics).toEqual([]);
    expect(unknown.answer.error).toBe('not_found');
    expect(autoDisabled.answer.events).toBe(2);
    const paused = autoDisabled.rows.filter((r: Row) => r.endpoint_id === '<auto>');
    expect(paused.map((r: Row) => [r.event_id, r.status, r.paused_reason, r.next_attempt_at])).toEqual([
      ['e1', 'paused', 'endpoint_auto_disabled', null],
      ['e4', 'paused', 'endpoint_auto_disabled', null],
    ]);
    expect(autoDisabled.wakes).toEqual([]); // nothing due: it goes out on enable
  });

  it.each(['sqlite', 'postgres'] as const)(
    '%s: replays at most REPLAY_LIMIT events a call, says more are left, and the next call replays them',
    async (store) => {
      const clock = new FakeClock(START);
      const s = store === 'sqlite' ? sqliteControl(clock) : await pgControl(cluster.url, clock);
      opened.push(s);
      const ep = await s.store.create(EndpointCreateInput.parse({ url: 'https://example.com/many' }));
      await s.sql(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${REPLAY_LIMIT + 1})
         INSERT INTO events (id, type, version, created_at, data)
         SELECT 'b' || (100000 + i), 'bulk.made', 'v1', ${START - 200_000} + i, '{}' FROM n`,
      );
      const replay = () =>
        s.control.replayMissing(ReplayMissingInput.parse({ id: ep.id, since: '2026-01-01T00:00:00Z' }));
      expect(await replay()).toEqual({ events: REPLAY_LIMIT, truncated: true, dryRun: false });
      const [first] = await s.sql('SELECT count(*) AS n, max(event_id) AS last FROM deliveries');
      expect(Number(first?.n)).toBe(REPLAY_LIMIT);
      expect(first?.last).toBe(`b${100000 + REPLAY_LIMIT}`); // oldest first
      expect(await replay()).toEqual({ events: 1, truncated: false, dryRun: false });
      expect(await replay()).toEqual({ events: 0, truncated: false, dryRun: false });
    },
    120_000,
  );
});
