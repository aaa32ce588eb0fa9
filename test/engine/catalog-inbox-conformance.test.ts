// One suite, two stores, for the catalog and the inbox: event types (list, create, update, delete with built-ins
// refused, import with dryRun, schema verdicts) through the real eventTypes.* handlers, and inboxes (CRUD, captured
// requests with binary bodies, cursor pages, search, verification, clear, prune by time) answer the same on SQLite
// and PostgreSQL. Each answer is compared across the stores after normalising generated ids and seed times, and
// checked absolutely, so two stores wrong the same way cannot pass.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxRequest } from '../../src/shared';
import { ResponseScript } from '../../src/shared';
import { bothAnswers } from '../support/answers';
import { ROOT } from '../support/bundle';
import {
  allPages,
  type CatalogInboxUnderTest,
  catalogClock,
  noIds,
  pgCatalogInbox,
  received,
  sqliteCatalogInbox,
} from '../support/catalog-inbox-stores';
import { type PgCluster, startPgCluster } from '../support/pg-cluster';

const T0 = Date.UTC(2026, 10, 30, 8, 0, 0);
let now = T0;
const clock = catalogClock(() => now);

let cluster: PgCluster;
let sqlite: CatalogInboxUnderTest;
let postgres: CatalogInboxUnderTest;

beforeAll(async () => {
  cluster = await startPgCluster();
  sqlite = await sqliteCatalogInbox(clock);
  postgres = await pgCatalogInbox(cluster.url, clock);
}, 120_000);
afterAll(async () => {
  await sqlite?.close();
  await postgres?.close();
  await cluster?.stop();
});

/** Both stores' answers to one call. */
const both = <T>(call: (s: CatalogInboxUnderTest) => unknown) =>
  bothAnswers<CatalogInboxUnderTest, T>(sqlite, postgres, call);

/** the built-ins are seeded at migration time, each store at its own */
const seedTimeless = <T extends { builtIn: boolean; createdAt: string }>(t: T) =>
  t.builtIn ? { ...t, createdAt: 'seeded' } : t;

const BUILT_INS = ['invoice.paid', 'order.shipped', 'payment.completed', 'user.created'];
const userSchema = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 3 } } };

describe('event types on both stores', () => {
  it('lists the built-ins first, then custom types by code point', async () => {
    now = T0 + 1000;
    for (const name of ['alpha.x', 'a.b', 'Zeta.x', '_under', 'a-b']) {
      const [a, b] = await both((s) => s.call('eventTypes.create', { name, description: `the ${name}` }));
      expect(b).toEqual(a);
      expect(a).toMatchObject({
        name,
        builtIn: false,
        schema: null,
        example: {},
        createdAt: new Date(now).toISOString(),
      });
    }
    const [a, b] = await both<{ data: Array<{ name: string; builtIn: boolean; createdAt: string }> }>((s) =>
      s.call('eventTypes.list', {}),
    );
    expect(b.data.map(seedTimeless)).toEqual(a.data.map(seedTimeless));
    expect(a.data.map((t) => t.name)).toEqual([...BUILT_INS, 'Zeta.x', '_under', 'a-b', 'a.b', 'alpha.x']);
    expect(a.data.filter((t) => t.builtIn).map((t) => t.name)).toEqual(BUILT_INS);
  });

  it('creates with a schema, refuses a taken name and an example that breaks the schema, storing nothing', async () => {
    now = T0 + 2000;
    const made = await both((s) =>
      s.call('eventTypes.create', { name: 'member.joined', schema: userSchema, example: { id: 'usr_1' } }),
    );
    expect(made[1]).toEqual(made[0]);
    expect(made[0]).toMatchObject({ schema: userSchema, example: { id: 'usr_1' } });
    const taken = await both((s) => s.call('eventTypes.create', { name: 'member.joined', example: 1 }));
    expect(taken[1]).toEqual(taken[0]);
    expect(taken[0]).toEqual({ error: 'conflict', message: 'Event type member.joined already exists' });
    const broken = await both((s) =>
      s.call('eventTypes.create', { name: 'member.left', schema: userSchema, example: { id: 'x' } }),
    );
    expect(broken[1]).toEqual(broken[0]);
    expect(broken[0]).toMatchObject({ error: 'invalid_input' });
    const found = await both((s) => s.eventTypes.find('member.left'));
    expect(found).toEqual([null, null]);
  });

  it('updates text (a built-in too), keeps what is not given, and answers not_found for none', async () => {
    const desc = await both((s) => s.call('eventTypes.update', { name: 'member.joined', description: 'joined' }));
    expect(desc[1]).toEqual(desc[0]);
    expect(desc[0]).toMatchObject({ description: 'joined', schema: userSchema, example: { id: 'usr_1' } });
    const builtIn = await both<{ builtIn: boolean; createdAt: string }>((s) =>
      s.call('eventTypes.update', { name: 'user.created', description: 'edited' }),
    );
    expect(seedTimeless(builtIn[1])).toEqual(seedTimeless(builtIn[0]));
    expect(builtIn[0]).toMatchObject({ builtIn: true, description: 'edited' });
    const breaks = await both((s) => s.call('eventTypes.update', { name: 'member.joined', example: { id: 7 } }));
    expect(breaks[1]).toEqual(breaks[0]);
    expect(breaks[0]).toMatchObject({ error: 'invalid_input' });
    const none = await both((s) => s.call('eventTypes.update', { name: 'no.such', description: 'x' }));
    expect(none[1]).toEqual(none[0]);
    expect(none[0]).toMatchObject({ error: 'not_found' });
  });

  it('checks data against the stored schema, at once after an edit and forgetting a deleted type', async () => {
    const verdict = (data: unknown) => both((s) => s.call('eventTypes.validate', { type: 'member.joined', data }));
    const good = await verdict({ id: 'usr_2' });
    expect(good).toEqual([
      { checked: true, valid: true, schemaError: null, issues: [] },
      { checked: true, valid: true, schemaError: null, issues: [] },
    ]);
    const bad = await verdict({ id: 'u' });
    expect(bad[1]).toEqual(bad[0]);
    expect(bad[0]).toMatchObject({ checked: true, valid: false });
    await both((s) =>
      s.call('eventTypes.update', {
        name: 'member.joined',
        schema: { ...userSchema, properties: { id: { type: 'string' } } },
      }),
    );
    expect((await verdict({ id: 'u' })).map((v) => (v as { valid: boolean }).valid)).toEqual([true, true]);
    const inline = await both((s) => s.call('eventTypes.validate', { schema: { type: 'nope' }, data: 1 }));
    expect(inline[1]).toEqual(inline[0]);
    expect(inline[0]).toMatchObject({ checked: false, valid: false });

    const deleted = await both((s) => s.call('eventTypes.delete', { name: 'member.joined' }));
    expect(deleted).toEqual([
      { id: 'member.joined', deleted: true },
      { id: 'member.joined', deleted: true },
    ]);
    expect((await verdict({ id: 1 })).map((v) => (v as { checked: boolean }).checked)).toEqual([false, false]);
    expect([sqlite.eventTypes.schemaOf('member.joined'), postgres.eventTypes.schemaOf('member.joined')]).toEqual([
      null,
      null,
    ]);
  });

  it('refuses to delete a built-in (it stays) and answers not_found for none', async () => {
    const refused = await both((s) => s.call('eventTypes.delete', { name: 'invoice.paid' }));
    expect(refused[1]).toEqual(refused[0]);
    expect(refused[0]).toEqual({ error: 'conflict', message: 'invoice.paid is built in and cannot be deleted' });
    const still = await both((s) => s.eventTypes.find('invoice.paid'));
    expect(still.map((r) => (r as { built_in: number } | null)?.built_in)).toEqual([1, 1]);
    const none = await both((s) => s.call('eventTypes.delete', { name: 'no.such' }));
    expect(none[1]).toEqual(none[0]);
    expect(none[0]).toMatchObject({ error: 'not_found' });
  });

  it('imports: dryRun writes nothing, then creates, skips unchanged, updates changed, in one go', async () => {
    now = T0 + 3000;
    const openapi = readFileSync(join(ROOT, 'examples/catalog/openapi-webhooks.yaml'), 'utf8');
    const list = () => both((s) => s.call('eventTypes.list', {}));
    const before = await list();
    const dry = await both((s) => s.call('eventTypes.import', { source: openapi, dryRun: true }));
    expect(dry[1]).toEqual(dry[0]);
    expect((dry[0] as { created: Array<{ name: string }> }).created.map((c) => c.name)).toEqual([
      'invoice.finalized',
      'customer.deleted',
      'subscription.renewed',
    ]);
    expect(await list()).toEqual(before);

    const real = await both((s) => s.call('eventTypes.import', { source: openapi }));
    expect(real[1]).toEqual(real[0]);
    expect({ ...(real[0] as object), dryRun: true }).toEqual(dry[0]);
    const after = await list();
    const timeless = (l: unknown) =>
      (l as { data: Array<{ builtIn: boolean; createdAt: string }> }).data.map(seedTimeless);
    expect(timeless(after[1])).toEqual(timeless(after[0]));
    // another process's store sees the import once it loads
    const other = postgres.another();
    await other.load();
    expect(other.schemaOf('invoice.finalized')).toBe(sqlite.eventTypes.schemaOf('invoice.finalized'));
    expect(other.schemaOf('invoice.finalized')).toContain('"type":"object"');

    const changed = openapi.replace('An invoice was finalized and can be paid', 'Invoice finalized');
    const again = await both((s) => s.call('eventTypes.import', { source: changed }));
    expect(again[1]).toEqual(again[0]);
    expect(again[0]).toMatchObject({
      created: [],
      updated: [{ name: 'invoice.finalized', description: 'Invoice finalized' }],
    });
    expect((again[0] as { skipped: Array<{ name: string; reason: string }> }).skipped).toContainEqual({
      name: 'customer.deleted',
      reason: 'unchanged',
    });
  });
});

describe('inboxes on both stores', () => {
  const ids = new Map<CatalogInboxUnderTest, string>();
  const inboxOf = (s: CatalogInboxUnderTest) => ids.get(s) as string;
  const script = ResponseScript.parse({ status: 202 });
  // invalid UTF-8 around a NUL: SQLite's search reads the bytes up to the NUL; all of them are stored
  const binary = Buffer.concat([
    Buffer.from('{"k":"before', 'utf8'),
    Buffer.from([0x00, 0xff, 0xfe, 0x80]),
    Buffer.from('after-nul', 'utf8'),
    Buffer.from([0xc3]),
  ]);

  it('creates, lists, gets, links, updates and deletes inboxes', async () => {
    const made = await both(async (s) => {
      await s.addEndpoint('ep_inbox');
      const id = await s.inboxes.insert({ name: 'stripe', endpointId: null, script, createdAt: T0 });
      const other = await s.inboxes.insert({ name: 'gone', endpointId: 'ep_inbox', script, createdAt: T0 + 5 });
      ids.set(s, id);
      const listed = await s.inboxes.list();
      await s.inboxes.update(id, { name: 'stripe live', endpointId: 'ep_inbox', script: { ...script, status: 500 } });
      const got = await s.inboxes.get(id);
      const target = await s.inboxes.target(id);
      const deleted = [await s.inboxes.delete(other), await s.inboxes.delete(other)];
      const after = (await s.inboxes.list()).map((i) => i.name);
      const none = [await s.inboxes.get(other), await s.inboxes.target(other)];
      return {
        listed: listed.map((i) => ({ ...i, id: i.id === id ? 'first' : 'second' })),
        got: { ...got, id: 'first' },
        target,
        deleted,
        after,
        none,
      };
    });
    expect(made[1]).toEqual(made[0]);
    expect(made[0]).toMatchObject({
      listed: [
        {
          id: 'second',
          name: 'gone',
          endpointId: 'ep_inbox',
          requestCount: 0,
          createdAt: new Date(T0 + 5).toISOString(),
        },
        { id: 'first', name: 'stripe', endpointId: null, script: { status: 202 } },
      ],
      got: { name: 'stripe live', endpointId: 'ep_inbox', script: { status: 500 }, requestCount: 0 },
      target: { endpointId: 'ep_inbox', script: { status: 500 } },
      deleted: [true, false],
      after: ['stripe live'],
      none: [null, null],
    });
  });

  it('captures requests, binary bodies byte for byte, with their verification', async () => {
    const verification = { scheme: 'standard' as const, verified: false, reason: 'no signature' };
    const captured = await both(async (s) => {
      const inbox = inboxOf(s);
      const answers = [];
      // five in one millisecond, then later ones: pages must keep arrival order within a millisecond
      for (let i = 0; i < 5; i++)
        answers.push(await s.inboxes.addRequest(inbox, received(`/same/${i}`, `{"n":${i}}`, T0 + 100)));
      answers.push(await s.inboxes.addRequest(inbox, received('/bin', binary, T0 + 200, { verification })));
      answers.push(await s.inboxes.addRequest(inbox, received('/text', 'Hello Wörld 100%_done', T0 + 300)));
      answers.push(
        await s.inboxes.addRequest(inbox, received('/late', '{"late":true}', T0 + 400, { responseStatus: null })),
      );
      const bin = answers[5] as InboxRequest;
      const read = await s.inboxes.request(inbox, bin.id);
      const missing = await s.inboxes.request(inbox, 'ffffffffffff');
      return {
        answers: answers.map(noIds),
        read: read && { ...read, request: noIds(read.request) },
        missing,
        count: (await s.inboxes.get(inbox))?.requestCount,
      };
    });
    expect(captured[1]).toEqual(captured[0]);
    const one = captured[0] as { read: { rawBody: Buffer; request: InboxRequest }; count: number; missing: null };
    expect(Buffer.compare(one.read.rawBody, binary)).toBe(0);
    expect(one.read.request).toMatchObject({
      path: '/bin',
      size: 26,
      verification,
      receivedAt: new Date(T0 + 200).toISOString(),
    });
    expect(one.count).toBe(8);
    expect(one.missing).toBeNull();
  });

  it('pages newest first with cursors, the same pages on both', async () => {
    const pages = await both((s) => allPages(s, inboxOf(s), 3));
    expect(pages[1]).toEqual(pages[0]);
    expect(pages[0]).toEqual([
      { paths: ['/late', '/text', '/bin'], more: true },
      { paths: ['/same/4', '/same/3', '/same/2'], more: true },
      { paths: ['/same/1', '/same/0'], more: false },
    ]);
    const bad = await both((s) => s.inboxes.requests(inboxOf(s), 3, 'not a cursor!'));
    expect(bad[1]).toEqual(bad[0]);
    expect(bad[0]).toMatchObject({ error: 'invalid_input' });
  });

  it.each([
    ['a body word, other case', 'WÖRLD', []],
    ['a body word, ASCII case folded', 'hello', ['/text']],
    ['non-ASCII bytes as they arrived', 'Wörld', ['/text']],
    ['wildcards are literal', '100%_', ['/text']],
    ['a path', '/SAME/', ['/same/4', '/same/3', '/same/2', '/same/1', '/same/0']],
    ['a header value', 'trace-/late', ['/late']],
    ['binary body before its NUL', 'BEFORE', ['/bin']],
    ['binary body after its NUL', 'after-nul', []],
    [
      'JSON of every request (headers)',
      '{"',
      ['/late', '/text', '/bin', '/same/4', '/same/3', '/same/2', '/same/1', '/same/0'],
    ],
    ['nothing', 'no such text', []],
  ])('searches %s the same', async (_what, text, expected) => {
    const pages = await both((s) => allPages(s, inboxOf(s), 2, text));
    expect(pages[1]).toEqual(pages[0]);
    expect((pages[0] as Array<{ paths: string[] }>).flatMap((p) => p.paths)).toEqual(expected);
  });

  it('re-verifies the newest requests with a judge, stored on both', async () => {
    const judged = await both(async (s) => {
      const seen: number[] = [];
      const n = await s.inboxes.reverify(inboxOf(s), 3, (r) => {
        seen.push(r.receivedAt);
        return { scheme: 'standard', verified: r.size > 15, reason: r.size > 15 ? null : `size ${r.size}` };
      });
      const page = await s.inboxes.requests(inboxOf(s), 4);
      return { n, seen, verdicts: page.data.map((r) => [r.path, r.verification]) };
    });
    expect(judged[1]).toEqual(judged[0]);
    expect(judged[0]).toEqual({
      n: 3,
      seen: [T0 + 400, T0 + 300, T0 + 200],
      verdicts: [
        ['/late', { scheme: 'standard', verified: false, reason: 'size 13' }],
        ['/text', { scheme: 'standard', verified: true, reason: null }],
        ['/bin', { scheme: 'standard', verified: true, reason: null }],
        ['/same/4', null],
      ],
    });
  });

  it('prunes by time across inboxes, clears one inbox, and a deleted inbox takes its requests', async () => {
    const result = await both(async (s) => {
      const other = await s.inboxes.insert({ name: 'other', endpointId: null, script, createdAt: T0 });
      await s.inboxes.addRequest(other, received('/old', 'x', T0 + 50));
      await s.inboxes.addRequest(other, received('/new', 'y', T0 + 500));
      const pruned = await s.inboxes.prune(T0 + 200);
      const left = (await allPages(s, inboxOf(s), 10)).flatMap((p) => p.paths);
      const otherLeft = (await allPages(s, other, 10)).flatMap((p) => p.paths);
      const cleared = [await s.inboxes.clear(other), await s.inboxes.clear(other)];
      await s.inboxes.addRequest(other, received('/again', 'z', T0 + 600));
      const deleted = await s.inboxes.delete(other);
      const orphans = await s.inboxes.requests(other, 10);
      return { pruned, left, otherLeft, cleared, deleted, orphans };
    });
    expect(result[1]).toEqual(result[0]);
    expect(result[0]).toEqual({
      pruned: 6,
      left: ['/late', '/text', '/bin'],
      otherLeft: ['/new'],
      cleared: [1, 0],
      deleted: true,
      orphans: { data: [], nextCursor: null },
    });
  });
});
