// webhooks.test to an endpoint on PostgreSQL, engine-free: the handler on PgWebhookTest, the engine's own Dispatcher
// on PgDispatchStore recording the outcome, the deliveries and events handlers on PgDeliveryReads/PgEventReads, a real
// receiver on 127.0.0.1. The attempt is in PostgreSQL when webhooks.test answers; a failed test is never retried
// until a person retries it; an unknown endpoint writes nothing.
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deliveryHandlers } from '../../src/main/engine/api/deliveries';
import { eventHandlers } from '../../src/main/engine/api/events';
import { webhookHandlers } from '../../src/main/engine/api/webhooks';
import { Dispatcher } from '../../src/main/engine/delivery/dispatcher';
import { LeaseBook } from '../../src/main/engine/delivery/lease';
import { cachedPreviewTargets, previewEvent } from '../../src/main/engine/events/preview';
import { acceptEvent, publishCreated } from '../../src/main/engine/events/service';
import { HttpClient } from '../../src/main/engine/http/client';
import { PgDeliveryReads } from '../../src/main/engine/store/pg/delivery-reads';
import { PgDispatchStore } from '../../src/main/engine/store/pg/dispatch-store';
import { PgEventReads } from '../../src/main/engine/store/pg/event-reads';
import { PgWebhookTest } from '../../src/main/engine/store/pg/webhook-test';
import { plainSecretBox, systemClock } from '../../src/main/engine/types';
import { type Event, routes, type TopicName } from '../../src/shared';
import { pgStores } from '../support/endpoint-stores';
import { createMigratedDatabase, type PgCluster, startPgCluster } from '../support/pg-cluster';
import { flatHeaders, startTestReceiver, type TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPgCluster();
});
afterAll(async () => {
  await cluster?.stop();
});

const receivers: TestReceiver[] = [];
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

/** One PostgreSQL "process": stores, dispatcher and the three handler groups on their ports. */
async function pgProcess() {
  const url = await createMigratedDatabase(cluster.url);
  const { pool, endpoints, settings } = await pgStores(url, systemClock, plainSecretBox);
  const topics: Array<{ topic: TopicName; payload: unknown }> = [];
  const emit = ((topic: TopicName, payload: unknown) => topics.push({ topic, payload })) as never;
  const log = { debug() {}, info() {}, warn() {}, error: (msg: string, f?: unknown) => console.error(msg, f) };
  const ctx = { clock: systemClock, log, emit, settings: () => settings.get() };
  const http = new HttpClient(systemClock);
  const leases = new LeaseBook(systemClock, 10_000);
  const storage = new PgDispatchStore(pool, {
    targets: (input) => endpoints.matching(input.type, input.endpointIds),
    settings: () => settings.get(),
    perEndpointConcurrency: 8,
    publish: (pass) => {
      for (const r of pass.created) if (!(r instanceof Error)) publishCreated(emit, r);
    },
  });
  const dispatcher = new Dispatcher(
    ctx,
    {
      storage,
      store: endpoints,
      http,
      leases,
      // nothing is left leased here: lease recovery is PgLeaseRecovery's own test
      recovery: () => ({ start() {}, stop() {}, releaseOwnership() {} }),
    },
    { perEndpointConcurrency: 8, batchSize: 128, leaseGraceMs: 10_000, rateLimitedAtClaim: true },
  );
  dispatcher.start();
  stops.push(async () => {
    await dispatcher.stop();
    await http.close();
    await endpoints.settled();
    await pool.end();
  });
  const reads = new PgDeliveryReads(pool);
  const handlers = {
    ...webhookHandlers(ctx, {
      test: new PgWebhookTest(pool, { ctx, http, leases, dispatcher, targets: endpoints }),
      http,
    }),
    ...deliveryHandlers(ctx, { reads, targets: endpoints, wake: (id) => dispatcher.wake(id) }),
    ...eventHandlers(ctx, {
      reads: new PgEventReads(pool),
      fire: (input) =>
        new Promise<Event>((resolve, reject) =>
          dispatcher.batch.addEvent({ accepted: acceptEvent(input, systemClock.now()), resolve, reject }),
        ),
      preview: (input) => previewEvent(input, systemClock.now(), cachedPreviewTargets(endpoints)),
      schemas: { assertEventData() {} },
    }),
  };
  /** a route through its contract, as a transport calls it */
  const call = async <
    N extends
      | 'webhooks.test'
      | 'deliveries.get'
      | 'deliveries.retry'
      | 'events.get'
      | 'events.create'
      | 'events.preview',
  >(
    name: N,
    input: unknown,
  ) => (handlers[name] as (i: unknown) => unknown)(routes[name].input.parse(input)) as ReturnType<(typeof handlers)[N]>;
  return { pool, endpoints, topics, call };
}

describe('webhooks.test on PostgreSQL', () => {
  it('to an endpoint: attempts now, the attempt is in PostgreSQL and the delivery succeeded when it answers', async () => {
    const r = await startTestReceiver({ respond: () => ({ status: 202, body: 'queued' }) });
    receivers.push(r);
    const p = await pgProcess();
    const ep = await p.endpoints.create({ ...routes['endpoints.create'].input.parse({ url: r.url }) });

    const out = await p.call('webhooks.test', { endpointId: ep.id });
    expect(r.requests).toHaveLength(1);
    expect(out.attempt).toMatchObject({ number: 1, succeeded: true, response: { status: 202, body: 'queued' } });
    const q = r.requests[0]!;
    expect(() => new Webhook(ep.secret).verify(q.body, flatHeaders(q.headers))).not.toThrow();
    expect(JSON.parse(q.body)).toMatchObject({ id: out.eventId, type: 'hookbench.test' });

    // recorded before the answer: no wait
    const row = (
      await p.pool.query(
        'SELECT status, attempt_count, max_attempts, lease_seq, lease_until FROM deliveries WHERE id = $1',
        [out.deliveryId],
      )
    ).rows[0];
    expect(row).toEqual({ status: 'succeeded', attempt_count: 1, max_attempts: 1, lease_seq: 1, lease_until: null });
    const attempts = (
      await p.pool.query('SELECT number, succeeded, response FROM attempts WHERE delivery_id = $1', [out.deliveryId])
    ).rows;
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ number: 1, succeeded: 1 });
    expect(JSON.parse(attempts[0].response)).toMatchObject({ status: 202, body: 'queued' });
    const d = await p.call('deliveries.get', { id: out.deliveryId });
    expect(d).toMatchObject({ status: 'succeeded', attemptCount: 1, eventType: 'hookbench.test' });
    expect(d.attempts[0]?.request).toEqual(out.attempt.request);
    const ev = await p.call('events.get', { id: out.eventId });
    expect(ev.deliveries).toHaveLength(1);
    // the topics said it was sending, as SQLite's do
    expect(p.topics).toContainEqual({
      topic: 'delivery.updated',
      payload: expect.objectContaining({ id: out.deliveryId, status: 'sending' }),
    });
  });

  it('a failing test is recorded failed and never retried; a person retry sends it again', async () => {
    let status = 500;
    const r = await startTestReceiver({ respond: () => ({ status }) });
    receivers.push(r);
    const p = await pgProcess();
    const ep = await p.endpoints.create({ ...routes['endpoints.create'].input.parse({ url: r.url }) });
    const out = await p.call('webhooks.test', { endpointId: ep.id });
    expect(out.attempt).toMatchObject({ succeeded: false, error: 'HTTP 500' });
    expect(await p.call('deliveries.get', { id: out.deliveryId })).toMatchObject({ status: 'failed', attemptCount: 1 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.requests).toHaveLength(1);

    status = 200;
    const retried = await p.call('deliveries.retry', { id: out.deliveryId });
    expect(retried.status).toBe('pending');
    await waitFor(async () => (await p.call('deliveries.get', { id: out.deliveryId })).status === 'succeeded', {
      timeoutMs: 10_000,
    });
    expect(r.requests).toHaveLength(2);
  });

  it('events on the same ports: preview renders the signed request, create fires it through the commit batch', async () => {
    const r = await startTestReceiver();
    receivers.push(r);
    const p = await pgProcess();
    const ep = await p.endpoints.create({ ...routes['endpoints.create'].input.parse({ url: r.url }) });
    const preview = await p.call('events.preview', { type: 'order.created', data: { n: 1 } });
    expect(preview.requests).toHaveLength(1);
    expect(preview.requests[0]).toMatchObject({ endpointId: ep.id, url: r.url, method: 'POST' });
    await expect(
      p.call('events.preview', { type: 'order.created', data: {}, endpointIds: ['ep_missing'] }),
    ).rejects.toMatchObject({ code: 'not_found' });
    const ev = await p.call('events.create', { type: 'order.created', data: { n: 2 } });
    await waitFor(() => r.requests.length === 1, { timeoutMs: 10_000 });
    expect(JSON.parse(r.requests[0]!.body)).toMatchObject({ id: ev.id, data: { n: 2 } });
    expect((await p.call('events.get', { id: ev.id })).deliveries).toHaveLength(1);
  });

  it('an unknown endpoint is not_found and writes nothing', async () => {
    const p = await pgProcess();
    await expect(p.call('webhooks.test', { endpointId: 'ep_missing' })).rejects.toMatchObject({ code: 'not_found' });
    const n = await p.pool.query('SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM deliveries) AS n');
    expect(Number(n.rows[0].n)).toBe(0);
  });
});
