// webhooks.test to an endpoint on PostgreSQL, through the engine as `serve --db postgres://…` composes it
// (createPgEngine: the handler on PgWebhookTest, the engine's own Dispatcher on PgDispatchStore recording the outcome,
// the deliveries and events handlers on PgDeliveryReads/PgEventReads), a real receiver on 127.0.0.1. The attempt is
// in PostgreSQL when webhooks.test answers; a failed test is never retried until a person retries it; an unknown
// endpoint writes nothing.
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { PgEndpointStore } from '../../src/main/engine/store/pg/endpoints';
import { openPgPool } from '../../src/main/engine/store/pg/pool';
import { plainSecretBox, systemClock } from '../../src/main/engine/types';
import { EndpointCreateInput, EndpointUpdateInput, type RouteName, type TopicName } from '../../src/shared';
import { call, startEngine } from '../support/engine';
import { createTestDatabase, pgClusterPerFile } from '../support/pg-cluster';
import { flatHeaders, startTestReceiver, type TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

const cluster = pgClusterPerFile();

const receivers: TestReceiver[] = [];
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

/** One PostgreSQL "process": the engine on a fresh database, its delivery topics, and a pool to read the rows. */
async function pgProcess() {
  const url = await createTestDatabase(cluster.url);
  const engine = await startEngine({ databaseUrl: url });
  const topics: Array<{ topic: TopicName; payload: unknown }> = [];
  engine.on('delivery.updated', (payload) => topics.push({ topic: 'delivery.updated', payload }));
  const pool = openPgPool(url);
  stops.push(() => pool.end());
  return {
    pool,
    topics,
    /** a route through its contract, as a transport calls it */
    call: <N extends RouteName>(name: N, input: Parameters<typeof call<N>>[2]) => call(engine, name, input),
  };
}

describe('webhooks.test on PostgreSQL', () => {
  it('to an endpoint: attempts now, the attempt is in PostgreSQL and the delivery succeeded when it answers', async () => {
    const r = await startTestReceiver({ respond: () => ({ status: 202, body: 'queued' }) });
    receivers.push(r);
    const p = await pgProcess();
    const ep = await p.call('endpoints.create', { url: r.url });

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
    // a test send's event, which replays of missed events leave out
    expect((await p.pool.query('SELECT test FROM events WHERE id = $1', [out.eventId])).rows).toEqual([{ test: 1 }]);
    const fired = await p.call('events.create', { type: 'a.b', data: {} });
    expect((await p.pool.query('SELECT test FROM events WHERE id = $1', [fired.id])).rows).toEqual([{ test: 0 }]);
    const attempts = (
      await p.pool.query('SELECT number, succeeded, response FROM attempts WHERE delivery_id = $1', [out.deliveryId])
    ).rows;
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ number: 1, succeeded: 1 });
    expect(JSON.parse(attempts[0].response)).toMatchObject({ status: 202, body: 'queued' });
    const d = await p.call('deliveries.get', { id: out.deliveryId! });
    expect(d).toMatchObject({ status: 'succeeded', attemptCount: 1, eventType: 'hookbench.test' });
    expect(d.attempts[0]?.request).toEqual(out.attempt.request);
    // where the time went is stored with the response and read back as it was timed
    expect(d.attempts[0]?.response?.timing).toEqual(out.attempt.response?.timing);
    expect(d.attempts[0]?.response?.timing).toMatchObject({
      connectMs: expect.any(Number),
      waitMs: expect.any(Number),
      downloadMs: expect.any(Number),
    });
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
    const ep = await p.call('endpoints.create', { url: r.url });
    const out = await p.call('webhooks.test', { endpointId: ep.id });
    expect(out.attempt).toMatchObject({ succeeded: false, error: 'HTTP 500' });
    expect(await p.call('deliveries.get', { id: out.deliveryId! })).toMatchObject({
      status: 'failed',
      attemptCount: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.requests).toHaveLength(1);

    status = 200;
    const retried = await p.call('deliveries.retry', { id: out.deliveryId! });
    expect(retried.status).toBe('pending');
    await waitFor(async () => (await p.call('deliveries.get', { id: out.deliveryId! })).status === 'succeeded', {
      timeoutMs: 10_000,
    });
    expect(r.requests).toHaveLength(2);
  });

  it('events on the same ports: preview renders the signed request, create fires it through the commit batch', async () => {
    const r = await startTestReceiver();
    receivers.push(r);
    const p = await pgProcess();
    const ep = await p.call('endpoints.create', { url: r.url });
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

  it('preview, test and sign-now see an endpoint another process made a moment ago, before its notice', async () => {
    const r = await startTestReceiver();
    receivers.push(r);
    const p = await pgProcess();
    // the other process: a store of its own on the same database, which announces nothing
    const other = new PgEndpointStore(p.pool, systemClock, plainSecretBox, () => '');
    await other.load();
    const ep = await other.create(EndpointCreateInput.parse({ url: `${r.url}/made-elsewhere` }));
    const out = await p.call('webhooks.test', { endpointId: ep.id });
    expect(out.attempt).toMatchObject({ succeeded: true });
    expect(r.requests.map((q) => q.path)).toEqual(['/made-elsewhere']);
    // each change made there is seen by the very next call here (each a step the previous one did not cover)
    await other.update(EndpointUpdateInput.parse({ id: ep.id, url: `${r.url}/moved` }));
    const named = await p.call('events.preview', { type: 'order.created', data: {}, endpointIds: [ep.id] });
    expect(named.requests.map((q) => q.url)).toEqual([`${r.url}/moved`]);
    await other.update(EndpointUpdateInput.parse({ id: ep.id, url: `${r.url}/moved-again` }));
    const signed = await p.call('deliveries.signNow', { id: out.deliveryId! });
    expect(signed.url).toBe(`${r.url}/moved-again`);
  });
});
