// `hookbench/client` against a real `hookbench serve` process: typed calls, typed errors, the event stream and
// the wait helpers, as an integration test outside the repository would use them.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, ConnectionError, createClient, type HookbenchClient, WaitTimeoutError } from '../../src/client';
import { type PagedRouteName, paginate } from '../../src/client/pages';
import { HookbenchError } from '../../src/shared';
import { ROOT } from '../support/bundle';
import { killAll } from '../support/children';
import { type Serve, startServe } from '../support/serve';
import { tempDbPath } from '../support/temp';
import { waitFor } from '../support/wait';

const children: ChildProcess[] = [];
let serve: Serve;
let client: HookbenchClient;

beforeAll(async () => {
  serve = await startServe(tempDbPath());
  children.push(serve.child);
  client = createClient({ baseUrl: serve.url, token: serve.token });
}, 90_000);

afterAll(() => {
  client?.close();
  killAll(children);
});

describe('hookbench/client', () => {
  it('is the package export "./client", built by electron-vite from src/client', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.exports['./client']).toEqual({ types: './src/client/index.ts', default: './out/main/client.js' });
    const config = readFileSync(join(ROOT, 'electron.vite.config.ts'), 'utf8');
    expect(config).toContain("client: resolve('src/client/index.ts')");
  });

  it('calls routes by name with typed input and output', async () => {
    const health = await client.call('system.health', {});
    expect(health.ok).toBe(true);
    const settings = await client.call('settings.update', { retry: { initialDelayMs: 50, jitter: 0 } });
    expect(settings.retry.initialDelayMs).toBe(50);
  });

  it("takes serve's API address (…/api/v1, with or without a slash) as its address", async () => {
    for (const baseUrl of [`${serve.url}/`, `${serve.url}/api/v1`, `${serve.url}/api/v1/`]) {
      const other = createClient({ baseUrl, token: serve.token });
      try {
        expect((await other.call('system.health', {})).ok, baseUrl).toBe(true);
      } finally {
        other.close();
      }
    }
  });

  it('throws an ApiError (a HookbenchError) with code and issues, and a 401 for a wrong token', async () => {
    const err = await client.call('endpoints.create', { url: 'not a url' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toBeInstanceOf(HookbenchError);
    expect((err as ApiError).code).toBe('invalid_input');
    expect((err as ApiError).issues[0]?.path).toEqual(['url']);

    const missing = await client.call('endpoints.get', { id: 'ep_nope' }).catch((e: unknown) => e);
    expect((missing as ApiError).code).toBe('not_found');

    const stranger = createClient({ baseUrl: serve.url, token: 'wrong-token-0123456789' });
    const denied = await stranger.call('endpoints.list', {}).catch((e: unknown) => e);
    expect((denied as ApiError).code).toBe('unauthorized');

    // nothing listening: a ConnectionError naming where, not a bare "fetch failed"
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const nowhere = createClient({ baseUrl: `http://127.0.0.1:${port}`, token: 'x' });
    const refused = await nowhere.call('system.health', {}).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConnectionError);
    expect((refused as ConnectionError).message).toBe(`cannot reach http://127.0.0.1:${port} (ECONNREFUSED)`);
  });

  it('fires an event into an inbox that fails once, and waits for the retry and the captured request', async () => {
    // quick retries for this endpoint alone (the serve's settings stay as they are), as README's example has them
    const quick = { initialDelayMs: 100, multiplier: 1, maxDelayMs: 100, maxAttempts: 3, jitter: 0 };
    const inbox = await client.call('inboxes.create', {
      name: 'client test',
      script: { failFirst: 1 },
      createEndpoint: { eventTypes: ['invoice.*'], retry: quick },
    });
    const endpointId = inbox.endpointId as string;
    expect((await client.call('endpoints.get', { id: endpointId })).retry).toEqual(quick);
    const updates: string[] = [];
    const off = client.on('delivery.updated', (u) => {
      if (u.endpointId === endpointId) updates.push(`${u.status}:${u.attemptCount}`);
    });

    const event = await client.call('events.create', {
      type: 'invoice.paid',
      validate: false,
      data: { object: { id: 'in_1' } },
    });
    const delivery = await client.waitForDelivery({
      eventId: event.id,
      endpointId,
      status: 'succeeded',
      timeoutMs: 15_000,
    });
    expect(delivery.attempts.map((a) => a.response?.status)).toEqual([500, 200]);

    const request = await client.waitForInboxRequest({
      inboxId: inbox.id,
      match: (r) => r.headers['webhook-id'] === event.id && r.responseStatus === 200,
    });
    expect(request.verification?.verified).toBe(true);
    expect(JSON.parse(request.body).data).toEqual({ object: { id: 'in_1' } });

    // the stream pushed the same transitions the helper waited for
    await waitFor(() => updates.includes('succeeded:2'), { message: `delivery.updated pushes (${updates})` });
    off();
  });

  it('times out with what it saw', async () => {
    const inbox = await client.call('inboxes.create', { script: { status: 503 }, createEndpoint: {} });
    const event = await client.call('events.create', { type: 'order.created', data: {} });
    const err = await client
      .waitForDelivery({
        eventId: event.id,
        endpointId: inbox.endpointId as string,
        status: 'succeeded',
        timeoutMs: 700,
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as WaitTimeoutError).message).toMatch(/expected succeeded; delivery \S+ is (pending|sending)/);
  });

  it('says a wrong event id, status or topic at once, and options that cannot work when the client is made', async () => {
    const started = Date.now();
    const missing = await client
      .waitForDelivery({ eventId: 'evt_does_not_exist', status: 'succeeded', timeoutMs: 20_000 })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ApiError);
    expect((missing as ApiError).code).toBe('not_found');
    // not after the 20 s timeout, as "no delivery yet"
    expect(Date.now() - started).toBeLessThan(10_000);
    const event = await client.call('events.create', { type: 'order.created', data: {} });
    const bogus = await client
      .waitForDelivery({ eventId: event.id, status: 'delivered' as never, timeoutMs: 20_000 })
      .catch((e: unknown) => e);
    expect((bogus as HookbenchError).code).toBe('invalid_input');
    expect((bogus as HookbenchError).issues?.[0]?.path).toEqual(['status', 0]);
    expect(() => client.on('delivery.update' as never, () => {})).toThrow(/unknown topic delivery\.update \(one of: /);

    const made = (options: Parameters<typeof createClient>[0]) => {
      try {
        createClient(options);
        return null;
      } catch (err) {
        return err as HookbenchError;
      }
    };
    expect(made({ baseUrl: 'localhost:7777', token: serve.token })?.issues?.map((i) => i.path)).toEqual([['baseUrl']]);
    expect(made({ baseUrl: serve.url, token: '' })?.message).toBe(
      'Invalid input at token: give the API token serve printed (or $HOOKBENCH_TOKEN)',
    );
    expect(made({ baseUrl: serve.url, token: serve.token })).toBeNull();
  });

  it('pages through a list to its end, one item at a time, from a cursor if given', async () => {
    // the paged routes, by type (a route added to or dropped from them fails the typecheck here)
    const paged: Record<PagedRouteName, true> = {
      'events.list': true,
      'deliveries.list': true,
      'inboxes.requests': true,
    };
    expect(Object.keys(paged)).toHaveLength(3);
    const inbox = await client.call('inboxes.create', { name: 'pages', createEndpoint: { eventTypes: ['page.*'] } });
    const fired: string[] = [];
    for (let i = 0; i < 5; i++) {
      fired.push((await client.call('events.create', { type: 'page.made', validate: false, data: { i } })).id);
    }
    const ids: string[] = [];
    for await (const e of client.paginate('events.list', { type: 'page.made', limit: 2 })) ids.push(e.id);
    expect(ids).toEqual([...fired].reverse());
    // from the second page's cursor on
    const first = await client.call('events.list', { type: 'page.made', limit: 2 });
    const rest: string[] = [];
    const cursor = first.nextCursor as string;
    for await (const e of client.paginate('events.list', { type: 'page.made', limit: 2, cursor })) rest.push(e.id);
    expect(rest).toEqual(ids.slice(2));
    // stopped early, it asks for no more pages
    let calls = 0;
    const counting = {
      call: ((name, input) => {
        calls++;
        return client.call(name, input);
      }) as typeof client.call,
    };
    for await (const _ of paginate(counting, 'events.list', { type: 'page.made', limit: 2 })) break;
    expect(calls).toBe(1);
    await client.call('inboxes.delete', { id: inbox.id });
  });
});
