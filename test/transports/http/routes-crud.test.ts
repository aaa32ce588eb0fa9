// Every management route over REST against a real engine: endpoints, event types, profiles, settings, inboxes,
// system. Each answer is checked against the OpenAPI document; bad input is a 400 that writes nothing.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeNames } from '../../../src/shared';
import { type Api, routeCaller, startApi } from './harness';
import { CRUD_ROUTES, DELIVERY_ROUTES } from './route-coverage';

let api: Api;
const covered = new Set<string>();
const call = routeCaller(() => api, covered);

beforeAll(async () => {
  api = await startApi({}, { inbox: { host: '127.0.0.1', port: 0 } });
});
afterAll(async () => {
  await api?.close();
});

describe('endpoints over REST', () => {
  it('create, read, update, rotate, disable, enable, delete', async () => {
    const created = await call('endpoints.create', 'POST', '/endpoints', {
      body: { url: 'http://127.0.0.1:9/hook', description: 'orders', eventTypes: ['order.*'] },
    });
    expect(created.secret).toMatch(/^whsec_/);
    expect(created).toMatchObject({ url: 'http://127.0.0.1:9/hook', enabled: true, scheme: 'standard' });
    const id = created.id as string;

    const health = await call('endpoints.stats', 'GET', `/stats/endpoints?window=1h&endpointId=${id}`);
    expect(health).toMatchObject({ window: '1h', bucketMs: 60_000, endpoints: [{ endpointId: id, attempts: 0 }] });
    expect((await api.call('GET', '/stats/endpoints?window=1y')).status).toBe(400);

    const got = await call('endpoints.get', 'GET', `/endpoints/${id}`);
    expect(got).not.toHaveProperty('secret');
    expect(got.description).toBe('orders');
    const list = await call('endpoints.list', 'GET', '/endpoints');
    expect(list.data.map((e: { id: string }) => e.id)).toEqual([id]);
    expect(list.data[0]).not.toHaveProperty('secret');

    const updated = await call('endpoints.update', 'PATCH', `/endpoints/${id}`, {
      body: { description: 'all orders', timeoutMs: 5000 },
    });
    expect(updated).toMatchObject({ id, description: 'all orders', timeoutMs: 5000 });

    expect(await call('endpoints.secret', 'GET', `/endpoints/${id}/secret`)).toEqual({
      secret: created.secret,
      previous: [],
    });
    const rotated = await call('endpoints.rotateSecret', 'POST', `/endpoints/${id}/rotate-secret`, {
      body: { graceSeconds: 60 },
    });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    const secrets = await call('endpoints.secret', 'GET', `/endpoints/${id}/secret`);
    expect(secrets.previous.map((p: { secret: string }) => p.secret)).toEqual([created.secret]);

    const disabled = await call('endpoints.disable', 'POST', `/endpoints/${id}/disable`, {
      body: { reason: 'maintenance' },
    });
    expect(disabled).toMatchObject({ enabled: false, disabledReason: 'maintenance' });
    expect((await call('endpoints.list', 'GET', '/endpoints?enabled=false')).data).toHaveLength(1);
    expect((await call('endpoints.list', 'GET', '/endpoints?enabled=true')).data).toHaveLength(0);
    // the path param wins over a body id
    const enabled = await call('endpoints.enable', 'POST', `/endpoints/${id}/enable`, { body: { id: 'someone_else' } });
    expect(enabled).toMatchObject({ id, enabled: true, disabledReason: null });

    // nothing was fired: nothing to replay; a range that ends before it starts is a 400 naming `until`
    const since = '2026-01-01T00:00:00Z';
    expect(
      await call('endpoints.replayMissing', 'POST', `/endpoints/${id}/replay-missing`, {
        body: { since, dryRun: true },
      }),
    ).toEqual({ events: 0, truncated: false, dryRun: true });
    const backwards = await api.call('POST', `/endpoints/${id}/replay-missing`, {
      body: { since, until: '2025-12-31T00:00:00Z' },
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.issues.map((i: { path: string[] }) => i.path.join('.'))).toEqual(['until']);
    const unknownKey = await api.call('POST', `/endpoints/${id}/replay-missing`, { body: { since, dryrun: true } });
    expect(unknownKey.status).toBe(400);

    expect(await call('endpoints.delete', 'DELETE', `/endpoints/${id}`)).toEqual({ id, deleted: true });
    expect((await api.call('GET', `/endpoints/${id}`)).status).toBe(404);
  });

  it('answers a bad input with 400 and issues, and writes nothing', async () => {
    const bad = await api.call('POST', '/endpoints', { body: { url: 'ftp://nope', eventTypes: ['bad type!'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_input');
    expect(bad.body.error.issues.map((i: { path: unknown[] }) => i.path)).toEqual(expect.arrayContaining([['url']]));
    expect((await api.call('GET', '/endpoints')).body.data).toHaveLength(0);

    const ep = (await api.call('POST', '/endpoints', { body: { url: 'http://127.0.0.1:9/a' } })).body;
    const badPatch = await api.call('PATCH', `/endpoints/${ep.id}`, {
      body: { description: 'changed', timeoutMs: -5 },
    });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.error.issues[0].path).toEqual(['timeoutMs']);
    expect((await api.call('GET', `/endpoints/${ep.id}`)).body.description).toBe('');

    expect((await api.call('GET', '/endpoints/not%20an%20id')).status).toBe(400);
    const maybe = await api.call('GET', '/endpoints?enabled=maybe');
    expect(maybe.status).toBe(400);
    expect(maybe.body.error.message).toBe('Invalid input at enabled: expected true or false');
    await api.call('DELETE', `/endpoints/${ep.id}`);
  });

  it('answers an unknown id with 404 on every endpoint route', async () => {
    for (const [method, path] of [
      ['GET', '/endpoints/ep_missing'],
      ['PATCH', '/endpoints/ep_missing'],
      ['DELETE', '/endpoints/ep_missing'],
      ['POST', '/endpoints/ep_missing/enable'],
      ['POST', '/endpoints/ep_missing/disable'],
      ['POST', '/endpoints/ep_missing/rotate-secret'],
      ['GET', '/endpoints/ep_missing/secret'],
      ['POST', '/endpoints/ep_missing/replay-missing'],
    ] as const) {
      const body =
        method === 'GET' || method === 'DELETE'
          ? undefined
          : path.endsWith('replay-missing')
            ? { since: '2026-01-01T00:00:00Z' }
            : {};
      const res = await api.call(method, path, { body });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
  });
});

describe('catalog, profiles, settings, status', () => {
  it('manages event types', async () => {
    const before = await call('eventTypes.list', 'GET', '/event-types');
    const created = await call('eventTypes.create', 'POST', '/event-types', {
      body: { name: 'shipment.created', description: 'A shipment left', example: { id: 'sh_1' } },
    });
    expect(created).toMatchObject({ name: 'shipment.created', builtIn: false });
    const dup = await api.call('POST', '/event-types', { body: { name: 'shipment.created' } });
    expect(dup.status).toBe(409);
    const updated = await call('eventTypes.update', 'PATCH', '/event-types/shipment.created', {
      body: { description: 'Shipped' },
    });
    expect(updated.description).toBe('Shipped');
    // the engine's validator, for the composer: by type name or with a schema inline
    const checked = await call('eventTypes.validate', 'POST', '/event-types/validate', {
      body: { type: 'invoice.paid', data: { object: { id: 'in_1' } } },
    });
    expect(checked).toMatchObject({ checked: true, valid: false, schemaError: null });
    expect(checked.issues).toContainEqual({
      instancePath: '/object',
      message: "must have required property 'customer_id'",
      keyword: 'required',
    });
    const inline = await api.call('POST', '/event-types/validate', {
      body: { schema: { type: 'notatype' }, data: {} },
    });
    expect(inline.body).toMatchObject({ checked: false, valid: false, schemaError: expect.stringContaining('type') });
    const noSchema = await api.call('POST', '/event-types/validate', { body: { type: 'shipment.created', data: 1 } });
    expect(noSchema.body).toEqual({ checked: false, valid: true, schemaError: null, issues: [] });
    const after = await call('eventTypes.list', 'GET', '/event-types');
    expect(after.data).toHaveLength(before.data.length + 1);
    expect(await call('eventTypes.delete', 'DELETE', '/event-types/shipment.created')).toEqual({
      id: 'shipment.created',
      deleted: true,
    });
    expect((await api.call('PATCH', '/event-types/no.such.type', { body: {} })).status).toBe(404);
  });

  it('imports event types from an OpenAPI 3.1 document; a bad document is a 400 that writes nothing', async () => {
    const source = JSON.stringify({
      openapi: '3.1.0',
      info: { title: 'Parcels', version: '1' },
      webhooks: {
        'parcel.delivered': {
          post: {
            summary: 'A parcel was delivered',
            requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Parcel' } } } },
          },
        },
      },
      components: { schemas: { Parcel: { type: 'object', properties: { id: { type: 'string' } } } } },
    });
    const before = await call('eventTypes.list', 'GET', '/event-types');
    const dry = await call('eventTypes.import', 'POST', '/event-types/import', { body: { source, dryRun: true } });
    expect(dry.created).toEqual([{ name: 'parcel.delivered', description: 'A parcel was delivered' }]);
    expect((await call('eventTypes.list', 'GET', '/event-types')).data).toHaveLength(before.data.length);
    const bad = await api.call('POST', '/event-types/import', { body: { source: 'openapi: 3.0.0' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_input');
    const res = await call('eventTypes.import', 'POST', '/event-types/import', { body: { source } });
    expect(res).toMatchObject({ format: 'openapi', title: 'Parcels', dryRun: false });
    const after = await call('eventTypes.list', 'GET', '/event-types');
    const parcel = after.data.find((t: { name: string }) => t.name === 'parcel.delivered');
    expect(parcel.schema).toEqual({ type: 'object', properties: { id: { type: 'string' } } });
    expect(parcel.example).toEqual({ id: 'string' });
    await call('eventTypes.delete', 'DELETE', '/event-types/parcel.delivered');
  });

  it('lists the provider profiles', async () => {
    const profiles = await call('profiles.list', 'GET', '/profiles');
    expect(profiles.data.map((p: { name: string }) => p.name).sort()).toEqual([
      'generic',
      'github',
      'shopify',
      'stripe',
    ]);
  });

  it('reads and patches the settings; a bad patch changes nothing', async () => {
    const before = await call('settings.get', 'GET', '/settings');
    const after = await call('settings.update', 'PATCH', '/settings', {
      body: { retry: { maxAttempts: 3 }, autoDisable: { threshold: 7 } },
    });
    expect(after.retry).toEqual({ ...before.retry, maxAttempts: 3 });
    expect(after.autoDisable.threshold).toBe(7);
    const bad = await api.call('PATCH', '/settings', { body: { concurrency: 0, retentionDays: 30 } });
    expect(bad.status).toBe(400);
    expect((await call('settings.get', 'GET', '/settings')).retentionDays).toBe(before.retentionDays);
  });

  it('reveals one stable Standard Webhooks secret for operational events', async () => {
    const first = await call('settings.notificationSecret', 'GET', '/settings/notification-secret');
    expect(first.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const again = await call('settings.notificationSecret', 'GET', '/settings/notification-secret');
    expect(again.secret).toBe(first.secret);
    const anonymous = await api.call('GET', '/settings/notification-secret', { token: null });
    expect(anonymous.status).toBe(401);
    // rotating replaces it (the way out when it was sealed under another key)
    const rotated = await call('settings.rotateNotificationSecret', 'POST', '/settings/notification-secret/rotate');
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(first.secret);
    expect((await call('settings.notificationSecret', 'GET', '/settings/notification-secret')).secret).toBe(
      rotated.secret,
    );
  });

  it('reports health and status', async () => {
    expect(await call('system.health', 'GET', '/health', { token: null })).toMatchObject({ ok: true });
    const status = await call('system.status', 'GET', '/status');
    expect(status.running).toBe(true);
    expect(status.inboxBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
  });
});

describe('inboxes over REST', () => {
  it('create, capture, read, update, clear, delete', async () => {
    const inbox = await call('inboxes.create', 'POST', '/inboxes', { body: { name: 'local', createEndpoint: {} } });
    expect(inbox.endpointId).toEqual(expect.any(String));
    expect(inbox.endpointSecret).toMatch(/^whsec_/);
    expect((await call('inboxes.list', 'GET', '/inboxes')).data.map((i: { id: string }) => i.id)).toContain(inbox.id);
    expect((await call('inboxes.get', 'GET', `/inboxes/${inbox.id}`)).name).toBe('local');

    const sent = await request(inbox.url, {
      method: 'POST',
      body: '{"hello":"inbox"}',
      headers: { 'content-type': 'application/json' },
    });
    await sent.body.text();
    const requests = await call('inboxes.requests', 'GET', `/inboxes/${inbox.id}/requests?limit=10`);
    expect(requests.data).toHaveLength(1);
    expect(requests.data[0].body).toBe('{"hello":"inbox"}');

    const updated = await call('inboxes.update', 'PATCH', `/inboxes/${inbox.id}`, {
      body: { name: 'renamed', script: { status: 503 } },
    });
    expect(updated).toMatchObject({ name: 'renamed', script: { status: 503 } });
    const requestId = requests.data[0].id as string;
    const forwarded = await call('inboxes.forward', 'POST', `/inboxes/${inbox.id}/forward`, {
      body: { url: `${inbox.url}/again`, requestIds: [requestId] },
    });
    // forwarded to the inbox itself: it answers with its (new) scripted status
    expect(forwarded.results[0]).toMatchObject({ requestId, forward: { status: 503, error: null } });
    const har = await call('inboxes.export', 'GET', `/inboxes/${inbox.id}/export?format=har`);
    expect(har.log.entries).toHaveLength(2);
    expect(har.log.version).toBe('1.2');
    const json = await call('inboxes.export', 'GET', `/inboxes/${inbox.id}/export?limit=1`);
    expect(json.requests).toHaveLength(1);
    expect(json.inbox.id).toBe(inbox.id);
    expect(await call('inboxes.clear', 'DELETE', `/inboxes/${inbox.id}/requests`)).toEqual({ ok: true });
    expect((await call('inboxes.requests', 'GET', `/inboxes/${inbox.id}/requests`)).data).toHaveLength(0);
    expect(await call('inboxes.delete', 'DELETE', `/inboxes/${inbox.id}`)).toEqual({ id: inbox.id, deleted: true });
    expect((await api.call('GET', `/inboxes/${inbox.id}`)).status).toBe(404);
  });
});

describe('coverage', () => {
  it('this file and routes-deliveries cover every route of the contract', () => {
    expect([...CRUD_ROUTES, ...DELIVERY_ROUTES].sort()).toEqual([...routeNames].sort());
  });
  it('every route this file owns was called over REST', () => {
    expect([...covered].sort()).toEqual([...CRUD_ROUTES].sort());
  });
});
