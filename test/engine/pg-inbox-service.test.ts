// The inbox service on PostgreSQL: real HTTP requests to its receiver on 127.0.0.1 are captured in PgInboxStore
// (stored before the sender gets its answer), listed and searched through the inbox handlers, verified with the
// linked endpoint's secrets from PgEndpointStore, pruned by time; another process's inbox writes reach the
// receiver's map through refresh(id); and inboxes.create's inbox + endpoint leave nothing behind when the endpoint
// cannot be created.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxHandlers } from '../../src/main/engine/api/inboxes';
import { linkCompensating } from '../../src/main/engine/receiver/inbox-link';
import { createInboxService, type InboxService } from '../../src/main/engine/receiver/inbox-service';
import { getScheme } from '../../src/main/engine/signing';
import type { PgEndpointStore } from '../../src/main/engine/store/pg/endpoints';
import { INBOX_CHANNEL, pgInboxPorts } from '../../src/main/engine/store/pg/inbox-service-ports';
import type { PgSettingsStore } from '../../src/main/engine/store/pg/settings';
import { type Clock, systemClock } from '../../src/main/engine/types';
import { type RouteCallInput, type RouteName, routes, type TopicName } from '../../src/shared';
import { pgStores, testSecretBox } from '../support/endpoint-stores';
import { recordingLog } from '../support/log';
import { createMigratedDatabase, type PgCluster, startPgCluster } from '../support/pg-cluster';
import { waitFor } from '../support/wait';
import { send } from './receiver/helpers';

type InboxRoute = Extract<RouteName, `inboxes.${string}`>;

/** One process: its pool, stores, inbox service (receiver started) and the inbox handlers on them. */
interface InboxProcess {
  pool: pg.Pool;
  endpoints: PgEndpointStore;
  settings: PgSettingsStore;
  inbox: InboxService;
  topics: Array<{ topic: TopicName; payload: unknown }>;
  // biome-ignore lint/suspicious/noExplicitAny: each route answers its own output; the tests read what they assert
  call(name: InboxRoute, input: RouteCallInput<InboxRoute>): Promise<any>;
  stop(): Promise<void>;
}

let cluster: PgCluster;
let url: string;
const box = testSecretBox();
const running: InboxProcess[] = [];

beforeAll(async () => {
  cluster = await startPgCluster();
  url = await createMigratedDatabase(cluster.url);
});
afterAll(async () => {
  for (const p of running.splice(0)) await p.stop();
  await cluster?.stop();
});

async function startProcess(clock: Clock = systemClock): Promise<InboxProcess> {
  const { pool, endpoints, settings } = await pgStores(url, clock, box);
  const topics: InboxProcess['topics'] = [];
  const ctx = {
    clock,
    log: recordingLog(),
    emit: (topic: TopicName, payload: unknown) => {
      topics.push({ topic, payload });
    },
    settings: () => settings.get(),
  };
  const inbox = createInboxService(ctx, { host: '127.0.0.1', port: 0 }, pgInboxPorts(pool, endpoints, clock));
  await inbox.start();
  const handlers = inboxHandlers(ctx, inbox) as Record<InboxRoute, (input: unknown) => unknown>;
  const p: InboxProcess = {
    pool,
    endpoints,
    settings,
    inbox,
    topics,
    call: async (name, input) => handlers[name](routes[name].input.parse(input)),
    stop: async () => {
      await inbox.stop();
      await pool.end();
    },
  };
  running.push(p);
  return p;
}

function signed(secret: string, body: string, nowMs: number): Record<string, string> {
  return {
    'content-type': 'application/json',
    ...getScheme('standard').sign({
      msgId: 'msg_pg_inbox',
      timestamp: Math.floor(nowMs / 1000),
      body,
      secrets: [secret],
      eventType: 'invoice.paid',
      endpointId: 'ep_pg',
    }),
  };
}

describe('inbox service on PostgreSQL', () => {
  it('captures real requests before answering, lists and searches them, and verifies signed ones', async () => {
    const p = await startProcess();
    const created = await p.call('inboxes.create', {
      name: 'Payments',
      createEndpoint: { eventTypes: ['invoice.paid'], scheme: 'standard' },
    });
    expect(created.url).toBe(`${p.inbox.baseUrl()}/in/${created.id}`);
    expect(created.endpointId).toEqual(expect.any(String));
    const endpoint = await p.endpoints.get(created.endpointId);
    expect(endpoint.url).toBe(created.url);

    const body = JSON.stringify({ type: 'invoice.paid', data: { amount: 42 } });
    const good = await send(`${created.url}/hooks`, {
      headers: signed(created.endpointSecret, body, Date.now()),
      body,
    });
    expect(good.status).toBe(200);
    // no wait: the answer went out after the capture was stored
    let page = await p.call('inboxes.requests', { id: created.id });
    expect(page.data).toHaveLength(1);
    expect(page.data[0]).toMatchObject({
      inboxId: created.id,
      method: 'POST',
      path: `/in/${created.id}/hooks`,
      body,
      verification: { scheme: 'standard', verified: true, reason: null },
    });

    const tampered = body.replace('42', '43');
    await send(created.url, { headers: signed(created.endpointSecret, body, Date.now()), body: tampered });
    page = await p.call('inboxes.requests', { id: created.id });
    expect(page.data.map((r: { body: string }) => r.body)).toEqual([tampered, body]);
    expect(page.data[0].verification).toMatchObject({ scheme: 'standard', verified: false });
    expect((await p.call('inboxes.requests', { id: created.id, q: '"AMOUNT":43' })).data).toHaveLength(1);
    expect((await p.call('inboxes.get', { id: created.id })).requestCount).toBe(2);
    expect(p.topics.filter((t) => t.topic === 'inbox.request')).toHaveLength(2);

    // an unknown inbox is a 404 and stores nothing
    expect((await send(`${p.inbox.baseUrl()}/in/no-such-inbox`, { body: '{}' })).status).toBe(404);
  });

  it('prunes the requests received before a time, and only those', async () => {
    let now = Date.UTC(2026, 0, 1);
    const p = await startProcess({ ...systemClock, now: () => now });
    const inbox = await p.call('inboxes.create', { name: 'Old and new' });
    await send(inbox.url, { body: 'old' });
    now += 10 * 24 * 3600 * 1000;
    await send(inbox.url, { body: 'new' });
    expect(await p.inbox.prune(now - 24 * 3600 * 1000)).toBe(1);
    const left = await p.call('inboxes.requests', { id: inbox.id });
    expect(left.data.map((r: { body: string }) => r.body)).toEqual(['new']);
  });

  it("follows another process's inbox writes: a new inbox at once, a script change and a delete after refresh(id)", async () => {
    const a = await startProcess();
    const b = await startProcess();
    const made = await b.call('inboxes.create', { name: 'Made by B', script: { status: 201 } });
    const atA = `${a.inbox.baseUrl()}/in/${made.id}`;
    // not in A's map yet: read from the store on the first request
    expect((await send(atA, { body: '1' })).status).toBe(201);

    await b.call('inboxes.update', { id: made.id, script: { status: 202 } });
    // A answers from its map until told (the PostgreSQL core relays topics between processes)
    expect((await send(atA, { body: '2' })).status).toBe(201);
    await a.inbox.refresh(made.id);
    expect((await send(atA, { body: '3' })).status).toBe(202);

    await b.call('inboxes.delete', { id: made.id });
    await a.inbox.refresh();
    expect((await send(atA, { body: '4' })).status).toBe(404);
  });

  it("hears another process's inbox writes on INBOX_CHANNEL and answers with them", async () => {
    const a = await startProcess();
    const b = await startProcess();
    // what the PostgreSQL core does with the channel: one LISTEN, refresh(id) per notification
    const listener = await a.pool.connect();
    const heard: string[] = [];
    listener.on('notification', (n) => {
      if (n.channel !== INBOX_CHANNEL || !n.payload) return;
      heard.push(n.payload);
      void a.inbox.refresh(n.payload);
    });
    await listener.query(`LISTEN ${INBOX_CHANNEL}`);
    try {
      const made = await b.call('inboxes.create', { name: 'Told', script: { status: 201 } });
      const atA = `${a.inbox.baseUrl()}/in/${made.id}`;
      expect((await send(atA, { body: '1' })).status).toBe(201);
      await b.call('inboxes.update', { id: made.id, script: { status: 203 } });
      await waitFor(async () => (await send(atA, { body: 'probe' })).status === 203, {
        timeoutMs: 5_000,
        intervalMs: 50,
        message: 'A answers 203',
      });
      await b.call('inboxes.delete', { id: made.id });
      await waitFor(async () => (await send(atA, { body: 'probe' })).status === 404, {
        timeoutMs: 5_000,
        intervalMs: 50,
        message: 'A answers 404',
      });
      expect(heard.filter((id) => id === made.id).length).toBeGreaterThanOrEqual(3);
    } finally {
      await listener.query(`UNLISTEN ${INBOX_CHANNEL}`);
      listener.release();
    }
  });

  it('creating an inbox with its endpoint leaves no inbox behind when the endpoint is refused', async () => {
    const p = await startProcess();
    const before = (await p.call('inboxes.list', {})).data.length;
    const ports = pgInboxPorts(p.pool, p.endpoints, systemClock);
    const create = linkCompensating(ports.store, ports.endpoints);
    await expect(
      create({
        settings: { name: 'Refused', endpointId: null, script: routes['inboxes.create'].input.parse({}).script },
        createdAt: Date.now(),
        // a Standard Webhooks secret must be whsec_ + base64: PgEndpointStore refuses this one
        endpointFor: (id) => ({
          ...routes['endpoints.create'].input.parse({ url: `${p.inbox.baseUrl()}/in/${id}`, scheme: 'standard' }),
          secret: 'not a standard secret',
        }),
      }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    expect((await p.call('inboxes.list', {})).data.length).toBe(before);
  });
});
