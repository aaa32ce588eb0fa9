// Control characters in text a caller stores or searches, on both stores. PostgreSQL's text cannot hold NUL: a NUL
// in an endpoint's description was a 500 there (and stored as given on SQLite). The contract now refuses control
// characters in every such field (a tab or a line break stays fine in descriptions, names and reasons), so both
// stores answer the same 400 naming the field, and nothing is written. A document imported into the catalog is
// cleaned instead of refused.
import { afterAll, describe, expect, it } from 'vitest';
import { type RouteName, routes } from '../../src/shared';
import { call, startEngine } from '../support/engine';
import { engineStores, stopEngineStores } from '../support/engine-stores';

afterAll(() => stopEngineStores());

const NUL = '\u0000';

/** Each input holds one control character at `path`; ids are filled in from the seed. */
const REFUSED: Array<[string, RouteName, (ids: Ids) => Record<string, unknown>, Array<string | number>]> = [
  [
    'endpoint description',
    'endpoints.create',
    () => ({ url: 'http://127.0.0.1:9/a', description: `a${NUL}b` }),
    ['description'],
  ],
  ['endpoint URL', 'endpoints.create', () => ({ url: `http://127.0.0.1:9/a${NUL}` }), ['url']],
  [
    'endpoint description (update)',
    'endpoints.update',
    (i) => ({ id: i.endpoint, description: 'bell\u0007' }),
    ['description'],
  ],
  ['disable reason', 'endpoints.disable', (i) => ({ id: i.endpoint, reason: `why${NUL}` }), ['reason']],
  [
    'event type description',
    'eventTypes.create',
    () => ({ name: 'ctl.test', description: `x${NUL}y` }),
    ['description'],
  ],
  [
    'event type description (update)',
    'eventTypes.update',
    () => ({ name: 'seed.type', description: '\u001b[31m' }),
    ['description'],
  ],
  ['inbox name', 'inboxes.create', () => ({ name: `in${NUL}box` }), ['name']],
  ['inbox name (update)', 'inboxes.update', (i) => ({ id: i.inbox, name: `x${NUL}` }), ['name']],
  [
    'idempotency key',
    'events.create',
    () => ({ type: 'seed.type', data: {}, idempotencyKey: `k${NUL}` }),
    ['idempotencyKey'],
  ],
  ['event version', 'events.create', () => ({ type: 'seed.type', data: {}, version: `v${NUL}` }), ['version']],
  ['test send version', 'webhooks.test', () => ({ url: 'http://127.0.0.1:9/t', version: `v${NUL}` }), ['version']],
  [
    'notification URL',
    'settings.update',
    () => ({ notificationUrl: `http://127.0.0.1:9/n${NUL}` }),
    ['notificationUrl'],
  ],
  ['delivery search', 'deliveries.list', () => ({ q: `a${NUL}` }), ['q']],
  ['delivery type filter', 'deliveries.count', () => ({ type: `seed${NUL}` }), ['type']],
  ['event search', 'events.list', () => ({ q: `a${NUL}` }), ['q']],
  ['inbox search', 'inboxes.requests', (i) => ({ id: i.inbox, q: `line\nbreak` }), ['q']],
];

interface Ids {
  endpoint: string;
  inbox: string;
}

describe.each(engineStores)('control characters on $store', ({ fresh, on }) => {
  it('refuses each field holding one with a 400 naming it, and writes nothing', async () => {
    const engine = await startEngine({ ...on(await fresh()), dispatch: false });
    const endpoint = await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/seed', description: 'seed' });
    await call(engine, 'eventTypes.create', { name: 'seed.type', description: 'seed type' });
    const inbox = await call(engine, 'inboxes.create', { name: 'seed inbox' });
    const ids = { endpoint: endpoint.id, inbox: inbox.id };
    const before = {
      endpoints: await call(engine, 'endpoints.list', {}),
      types: await call(engine, 'eventTypes.list', {}),
      inboxes: await call(engine, 'inboxes.list', {}),
      events: await call(engine, 'events.list', {}),
      settings: await call(engine, 'settings.get', {}),
    };
    for (const [what, route, input, path] of REFUSED) {
      const err = await call(engine, route, input(ids) as never).then(
        () => null,
        (e: unknown) => e as { code?: string; issues?: Array<{ path: unknown[]; message: string }> },
      );
      expect(err?.code, what).toBe('invalid_input');
      expect(
        err?.issues?.map((i) => i.path),
        what,
      ).toContainEqual(path);
      // the contract refuses it, so the transports (HTTP, IPC, CLI) all do, before any handler runs
      expect(routes[route].input.safeParse(input(ids)).success, what).toBe(false);
    }
    expect(await call(engine, 'endpoints.list', {})).toEqual(before.endpoints);
    expect(await call(engine, 'eventTypes.list', {})).toEqual(before.types);
    expect(await call(engine, 'inboxes.list', {})).toEqual(before.inboxes);
    expect(await call(engine, 'events.list', {})).toEqual(before.events);
    expect(await call(engine, 'settings.get', {})).toEqual(before.settings);
  });

  it('keeps tabs and line breaks in descriptions, names and reasons, and stores them as given', async () => {
    const engine = await startEngine({ ...on(await fresh()), dispatch: false });
    const text = 'two lines\r\nand\ta tab';
    const ep = await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/a', description: text });
    expect((await call(engine, 'endpoints.get', { id: ep.id })).description).toBe(text);
    const type = await call(engine, 'eventTypes.create', { name: 'ctl.ok', description: text });
    expect(type.description).toBe(text);
    const inbox = await call(engine, 'inboxes.create', { name: text });
    expect((await call(engine, 'inboxes.get', { id: inbox.id })).name).toBe(text);
    await call(engine, 'endpoints.disable', { id: ep.id, reason: text });
    expect((await call(engine, 'endpoints.get', { id: ep.id })).disabledReason).toBe(text);
  });

  it('imports a document whose descriptions hold control characters, without them', async () => {
    const engine = await startEngine({ ...on(await fresh()), dispatch: false });
    const doc = {
      openapi: '3.1.0',
      info: { title: 'Hooks', version: '1' },
      webhooks: {
        'ctl.imported': {
          post: {
            summary: `Paid${NUL} \u0007invoice\ttoday`,
            requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
          },
        },
      },
    };
    const out = await call(engine, 'eventTypes.import', { source: JSON.stringify(doc) });
    expect(out.created.map((t) => t.name)).toEqual(['ctl.imported']);
    const stored = (await call(engine, 'eventTypes.list', {})).data.find((t) => t.name === 'ctl.imported');
    expect(stored?.description).toBe('Paid invoice\ttoday');
  });
});
