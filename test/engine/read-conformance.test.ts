// One read-side suite, two stores: the delivery log (list, count, detail, signNow's event) and events (list, get)
// answer the same on SQLite and PostgreSQL for the same rows, filter by filter, page by page; a person's retry,
// cancel and retry-every-failed leave the same states. Each answer is compared across the stores, and a few are
// checked absolutely, so two stores wrong the same way cannot pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryFilter } from '../../src/shared';
import { bothAnswers } from '../support/answers';
import { type PgCluster, startPgCluster } from '../support/pg-cluster';
import {
  pgReads,
  type ReadStoreUnderTest,
  SEED_DELIVERIES,
  SEED_EVENTS,
  sqliteReads,
  T0,
} from '../support/read-stores';

let cluster: PgCluster;
let sqlite: ReadStoreUnderTest;
let postgres: ReadStoreUnderTest;

beforeAll(async () => {
  cluster = await startPgCluster();
  sqlite = await sqliteReads();
  postgres = await pgReads(cluster.url);
}, 120_000);
afterAll(async () => {
  await sqlite?.close();
  await postgres?.close();
  await cluster?.stop();
});

const iso = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

/** Both stores' answers to one call, each store's search index caught up first. */
const both = <T>(call: (s: ReadStoreUnderTest) => unknown) =>
  bothAnswers<ReadStoreUnderTest, T>(sqlite, postgres, (s) => {
    s.catchUp();
    return call(s);
  });

const ids = (page: { data: Array<{ id: string }> }) => page.data.map((d) => d.id);

const FILTERS: Array<[string, DeliveryFilter]> = [
  ['no filter', {}],
  ['endpoint', { endpointId: 'ep_a' }],
  ['event', { eventId: 'evt_03' }],
  ['one status', { status: 'failed' }],
  ['statuses', { status: ['paused', 'cancelled'] }],
  ['no status at all', { status: [] }],
  ['endpoint, held statuses', { endpointId: 'ep_b', status: ['failed', 'cancelled'] }],
  ['exact type', { type: 'invoice.paid' }],
  ['type family', { type: 'invoice.*' }],
  ['type family, other case', { type: 'INVOICE.*' }],
  ['type family with _', { type: 'inv_*' }],
  ['since', { since: iso(5) }],
  ['until', { until: iso(7) }],
  ['since and until', { since: iso(3), until: iso(9) }],
  ['q: delivery id prefix', { q: 'dlv_1' }],
  ['q: id prefix, other case', { q: 'DLV_2' }],
  ['q: event id', { q: 'evt_07' }],
  ['q: data word prefix', { q: 'ada@exa' }],
  ['q: data phrase', { q: 'quick brown' }],
  ['q: response body', { q: 'database locked' }],
  ['q: response body, other case', { q: 'DATABASE' }],
  ['q: an earlier response only', { q: 'earlier' }],
  ['q: wildcards are literal', { q: '100%_' }],
  ['q: punctuation only', { q: '!!!' }],
  ['q: response body before a NUL', { q: 'eral kept' }],
  ['q: response body after a NUL', { q: 'cut off' }],
  ['q: text \\u0000 in a response body', { q: '\\u0000' }],
  ['2xx', { statusClass: '2xx' }],
  ['3xx', { statusClass: '3xx' }],
  ['4xx', { statusClass: '4xx' }],
  ['5xx', { statusClass: '5xx' }],
  ['timeout', { errorKind: 'timeout' }],
  ['refused', { errorKind: 'refused' }],
  ['tls', { errorKind: 'tls' }],
  ['invalid response', { errorKind: 'invalid_response' }],
  ['endpoint and 5xx', { endpointId: 'ep_b', statusClass: '5xx' }],
  ['type family and failed', { type: 'invoice.*', status: 'failed' }],
  ['q and statuses', { q: 'ada', status: ['succeeded', 'failed'] }],
  ['since and timeout', { since: iso(5), errorKind: 'timeout' }],
];

describe('deliveries.list and count on both stores', () => {
  it.each(FILTERS)('%s', async (_name, filter) => {
    const [a, b] = await both<{ data: Array<{ id: string }>; nextCursor: string | null }>((s) =>
      s.deliveries.list({ ...filter, limit: 100 }),
    );
    expect(b).toEqual(a);
    const [n, m] = await both<number>((s) => s.deliveries.count(filter));
    expect(m).toBe(n);
    expect(n).toBe(a.data.length);
  });

  it('finds what the seed holds (absolute answers)', async () => {
    for (const store of [sqlite, postgres]) {
      store.catchUp();
      const list = async (filter: DeliveryFilter) => ids(await store.deliveries.list({ ...filter, limit: 100 }));
      const failed = SEED_DELIVERIES.filter((d) => d.status === 'failed').length;
      expect(await store.deliveries.count({ status: 'failed' })).toBe(failed);
      expect(await store.deliveries.count({})).toBe(SEED_DELIVERIES.length);
      expect(await list({ type: 'inv_*' })).toEqual(['dlv_10', 'dlv_09']);
      expect((await list({ type: 'INVOICE.*' })).sort()).toEqual(
        ['dlv_01', 'dlv_02', 'dlv_03', 'dlv_04', 'dlv_05', 'dlv_06', 'dlv_18', 'dlv_19', 'dlv_20', 'dlv_21']
          .concat(['dlv_25', 'dlv_26'])
          .sort(),
      );
      expect(await list({ q: '100%_' })).toEqual(['dlv_25']);
      expect(await list({ q: 'earlier' })).toEqual([]);
      expect(await list({ q: 'DATABASE' })).toEqual(['dlv_02']);
      // a body is read up to its first NUL (SQLite's LIKE stops there); a body holding one fails no search
      expect(await list({ q: 'eral kept' })).toEqual(['dlv_14']);
      expect(await list({ q: '\\u0000eral' })).toEqual(['dlv_14']);
      expect(await list({ q: 'cut off' })).toEqual([]);
      expect(await list({ q: 'zebra' })).toEqual([]);
      expect(await list({ q: 'ada@exa' })).toEqual(['dlv_14', 'dlv_13', 'dlv_02', 'dlv_01']);
      expect(await list({ errorKind: 'timeout' })).toEqual(['dlv_19', 'dlv_04']);
      expect(await list({ errorKind: 'invalid_response' })).toEqual(['dlv_22', 'dlv_24', 'dlv_07']);
      expect(await list({ statusClass: '3xx' })).toEqual(['dlv_16']);
      expect(await list({ status: [] })).toEqual([]);
    }
  });

  it.each([
    ['everything, 4 a page', {}, 4],
    ['one endpoint, 3 a page', { endpointId: 'ep_a' }, 3],
    ['failed, 2 a page', { status: 'failed' as const }, 2],
  ])('pages through %s with the same cursors', async (_name, filter: DeliveryFilter, limit) => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const [a, b] = await both<{ data: Array<{ id: string }>; nextCursor: string | null }>((s) =>
        s.deliveries.list({ ...filter, cursor, limit }),
      );
      expect(b).toEqual(a);
      seen.push(...ids(a));
      cursor = a.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 20);
    expect(pages).toBeGreaterThanOrEqual(3);
    // the pages together are the whole list, each row once, in order
    const whole = ids(await sqlite.deliveries.list({ ...filter, limit: 100 }));
    expect(seen).toEqual(whole);
  });

  it('refuses a bad cursor alike', async () => {
    const [a, b] = await both((s) => s.deliveries.list({ cursor: 'not a cursor!', limit: 5 }));
    expect(b).toEqual(a);
    expect(a).toMatchObject({ error: 'invalid_input' });
  });
});

describe('deliveries.detail and signNow on both stores', () => {
  it.each(SEED_DELIVERIES.map((d) => d.id))('%s', async (id) => {
    const [a, b] = await both((s) => s.deliveries.detail(id));
    expect(b).toEqual(a);
    const [c, d] = await both((s) => s.deliveries.toSign(id));
    expect(d).toEqual(c);
  });

  it('renders a request logged without its body, and keeps attempts in order', async () => {
    for (const store of [sqlite, postgres]) {
      const shipped = await store.deliveries.detail('dlv_15');
      expect(JSON.parse(shipped.attempts[0]?.request.body ?? '')).toEqual({
        id: 'evt_08',
        type: 'order.shipped',
        version: 'v1',
        created_at: iso(7),
        data: { carrier: 'DHL', tracking: 'ZX-77' },
      });
      const failed = await store.deliveries.detail('dlv_02');
      expect(failed.attempts.map((x) => [x.number, x.response?.status, x.succeeded])).toEqual([
        [1, 500, false],
        [2, 500, false],
        [3, 500, false],
      ]);
      expect(failed.attempts[2]?.response?.body).toBe('Internal Server Error: database locked');
      expect((await store.deliveries.detail('dlv_11')).attempts.map((x) => x.superseded)).toEqual([true, false]);
    }
  });

  it('answers not_found alike', async () => {
    const [a, b] = await both((s) => s.deliveries.detail('dlv_nope'));
    expect(b).toEqual(a);
    expect(a).toMatchObject({ error: 'not_found' });
  });
});

describe('events.list and events.get on both stores', () => {
  const LISTS: Array<[string, { type?: string; q?: string }]> = [
    ['all', {}],
    ['one type', { type: 'order.shipped' }],
    ['a type of other case matches nothing', { type: 'invoice.refunded' }],
    ['q: data words', { q: 'ada@example.com' }],
    ['q: id prefix', { q: 'evt_0' }],
    ['q: id prefix, other case', { q: 'EVT_1' }],
    ['q and type', { q: 'ada', type: 'customer.deleted' }],
    ['q: punctuation only', { q: '!!!' }],
    ['q: no match', { q: 'zebra' }],
    ['type family', { type: 'invoice.*' }],
    ['type family, other case', { type: 'INVOICE.*' }],
    ['type family with _', { type: 'inv_*' }],
    ['q and type family', { q: 'ada', type: 'invoice.*' }],
  ];

  it.each(LISTS)('%s, paginated by 2', async (_name, input) => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const [a, b] = await both<{ data: Array<{ id: string }>; nextCursor: string | null }>((s) =>
        s.events.list({ ...input, cursor, limit: 2 }),
      );
      expect(b).toEqual(a);
      seen.push(...ids(a));
      cursor = a.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 20);
    const [whole, wholePg] = await both<{ data: Array<{ id: string }> }>((s) =>
      s.events.list({ ...input, limit: 100 }),
    );
    expect(wholePg).toEqual(whole);
    expect(seen).toEqual(ids(whole));
  });

  it('finds what the seed holds (absolute answers)', async () => {
    for (const store of [sqlite, postgres]) {
      store.catchUp();
      const all = await store.events.list({ limit: 100 });
      expect(ids(all)).toEqual(SEED_EVENTS.map((e) => e[0]).reverse());
      expect(ids(await store.events.list({ q: 'ada@example.com', limit: 100 }))).toEqual(['evt_07', 'evt_01']);
      expect(ids(await store.events.list({ q: 'EVT_1', limit: 100 }))).toEqual(['evt_12', 'evt_11', 'evt_10']);
      // a family: the prefix with its dot, ASCII case ignored (Invoice.refunded), `_` literal, not invoicex.*
      expect(ids(await store.events.list({ type: 'invoice.*', limit: 100 }))).toEqual([
        'evt_11',
        'evt_10',
        'evt_03',
        'evt_02',
        'evt_01',
      ]);
      expect(ids(await store.events.list({ type: 'inv_*', limit: 100 }))).toEqual(['evt_05']);
      expect(ids(await store.events.list({ q: 'ada', type: 'invoice.*', limit: 100 }))).toEqual(['evt_01']);
      expect(all.data.find((e) => e.id === 'evt_03')?.deliveries).toEqual([
        { id: 'dlv_05', endpointId: 'ep_a', status: 'failed', attemptCount: 1, maxAttempts: 3 },
        { id: 'dlv_06', endpointId: 'ep_b', status: 'failed', attemptCount: 1, maxAttempts: 3 },
        { id: 'dlv_25', endpointId: 'ep_b', status: 'failed', attemptCount: 1, maxAttempts: 3 },
        { id: 'dlv_26', endpointId: 'ep_a', status: 'failed', attemptCount: 1, maxAttempts: 3 },
      ]);
      const gdpr = await store.events.get('evt_07');
      expect(gdpr.deliveries.map((d) => [d.id, d.endpointUrl])).toEqual([
        ['dlv_13', 'http://127.0.0.1:9/ep_manual'],
        ['dlv_14', null],
      ]);
    }
  });

  it.each([...SEED_EVENTS.map((e) => e[0]), 'evt_nope'])('get %s', async (id) => {
    const [a, b] = await both((s) => s.events.get(id));
    expect(b).toEqual(a);
  });
});

describe('events.types on both stores', () => {
  const SEED_TYPES = [...new Set(SEED_EVENTS.map((e) => e[1]))];

  it('lists each fired type once, sorted by code unit, whatever its case', async () => {
    const [a, b] = await both((s) => s.events.types(100));
    expect(b).toEqual(a);
    expect(a).toEqual({ data: [...SEED_TYPES].sort(), truncated: false });
    expect((a as { data: string[] }).data.slice(0, 3)).toEqual([
      'Invoice.refunded',
      'customer.created',
      'customer.deleted',
    ]);
  });

  it.each([1, 3, SEED_TYPES.length - 1, SEED_TYPES.length])(
    'stops at a limit of %i, saying whether more exist',
    async (limit) => {
      const [a, b] = await both<{ data: string[]; truncated: boolean }>((s) => s.events.types(limit));
      expect(b).toEqual(a);
      expect(a.data).toHaveLength(limit);
      expect(a.truncated).toBe(limit < SEED_TYPES.length);
      expect(a.data).toEqual([...a.data].sort());
    },
  );
});

describe("a person's moves on both stores", () => {
  let left: ReadStoreUnderTest;
  let right: ReadStoreUnderTest;
  const now = T0 + 100_000;
  beforeAll(async () => {
    left = await sqliteReads();
    right = await pgReads(cluster.url);
  });
  afterAll(async () => {
    await left?.close();
    await right?.close();
  });

  const pair = <T>(call: (s: ReadStoreUnderTest) => unknown) => bothAnswers<ReadStoreUnderTest, T>(left, right, call);

  const rows = (s: ReadStoreUnderTest) =>
    s.sql(
      `SELECT id, status, paused_reason, attempt_count, max_attempts, next_attempt_at, lease_until, updated_at
       FROM deliveries ORDER BY id`,
    );
  const statusOf = async (s: ReadStoreUnderTest, id: string) =>
    (await s.sql('SELECT status, paused_reason FROM deliveries WHERE id = ?', [id]))[0];

  it('retry: hurries a pending one, reopens a finished one (paused on a disabled endpoint), refuses the rest', async () => {
    for (const id of ['dlv_03', 'dlv_01', 'dlv_13', 'dlv_14', 'dlv_10', 'dlv_08', 'dlv_nope']) {
      const [a, b] = await pair((s) => s.deliveries.retry(id, now));
      expect(b, id).toEqual(a);
    }
    for (const s of [left, right]) {
      expect(await statusOf(s, 'dlv_01')).toEqual({ status: 'pending', paused_reason: null });
      expect(await statusOf(s, 'dlv_13')).toEqual({ status: 'paused', paused_reason: 'endpoint_disabled' });
      expect(await statusOf(s, 'dlv_14')).toEqual({ status: 'failed', paused_reason: null });
      expect((await s.sql("SELECT next_attempt_at FROM deliveries WHERE id = 'dlv_03'"))[0]).toEqual({
        next_attempt_at: now,
      });
    }
    const [deleted] = await pair((s) => s.deliveries.retry('dlv_14', now));
    expect(deleted).toEqual({ error: 'conflict', message: 'The endpoint was deleted' });
    expect(await rows(right)).toEqual(await rows(left));
  });

  it('cancel: a pending or paused one; a conflict for a finished one', async () => {
    for (const id of ['dlv_21', 'dlv_20', 'dlv_18', 'dlv_nope']) {
      const [a, b] = await pair((s) => s.deliveries.cancel(id, now + 1));
      expect(b, id).toEqual(a);
    }
    const [finished] = await pair((s) => s.deliveries.cancel('dlv_18', now + 1));
    expect(finished).toMatchObject({ error: 'conflict' });
    for (const s of [left, right]) {
      expect(await statusOf(s, 'dlv_21')).toEqual({ status: 'cancelled', paused_reason: null });
      expect(await statusOf(s, 'dlv_20')).toEqual({ status: 'cancelled', paused_reason: null });
    }
    expect(await rows(right)).toEqual(await rows(left));
  });

  it('retryFailed: every failed match, paused on a disabled endpoint, none on a deleted one', async () => {
    const byId = (states: Array<{ id: string }>) => [...states].sort((x, y) => x.id.localeCompare(y.id));
    // the dry run's count is what the retries below reopen (7, then 5): not the deleted endpoint's dlv_14
    const before = await rows(left);
    expect(await pair((s) => s.deliveries.countRetryable({ type: 'invoice.*' }))).toEqual([7, 7]);
    expect(await pair((s) => s.deliveries.countRetryable({}))).toEqual([12, 12]);
    expect(await pair((s) => s.deliveries.count({ status: 'failed' }))).toEqual([13, 13]);
    expect(await rows(left)).toEqual(before);
    const [a, b] = await pair<Array<{ id: string }>>(async (s) =>
      byId(await s.deliveries.retryFailed({ type: 'invoice.*' }, now + 2)),
    );
    expect(b).toEqual(a);
    expect(a.map((s) => s.id)).toEqual(['dlv_02', 'dlv_04', 'dlv_05', 'dlv_06', 'dlv_19', 'dlv_25', 'dlv_26']);
    const [c, d] = await pair<Array<{ id: string }>>(async (s) => byId(await s.deliveries.retryFailed({}, now + 3)));
    expect(d).toEqual(c);
    expect(c.map((s) => s.id)).toEqual(['dlv_07', 'dlv_12', 'dlv_16', 'dlv_22', 'dlv_24']);
    for (const s of [left, right]) {
      expect(await statusOf(s, 'dlv_12')).toEqual({ status: 'paused', paused_reason: 'endpoint_auto_disabled' });
      expect(await statusOf(s, 'dlv_14')).toEqual({ status: 'failed', paused_reason: null });
      expect(await s.deliveries.count({ status: 'failed' })).toBe(1);
      expect(await s.deliveries.countRetryable({})).toBe(0);
    }
    expect(await rows(right)).toEqual(await rows(left));
  });
});
