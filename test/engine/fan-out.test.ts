import { afterEach, describe, expect, it } from 'vitest';
import { call, startEngine } from '../support/engine';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

const receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});
async function receiver() {
  const r = await startTestReceiver();
  receivers.push(r);
  return r;
}

describe('fan-out', () => {
  it('creates one delivery per matching enabled endpoint and delivers the envelope', async () => {
    const engine = await startEngine();
    const [exact, prefix, all, other, disabled] = await Promise.all([1, 2, 3, 4, 5].map(() => receiver()));
    const mk = (url: string, eventTypes: string[], enabled = true) =>
      call(engine, 'endpoints.create', { url: `${url}/hook`, eventTypes, enabled });
    const eExact = await mk(exact!.url, ['invoice.paid']);
    const ePrefix = await mk(prefix!.url, ['invoice.*']);
    const eAll = await mk(all!.url, ['*']);
    await mk(other!.url, ['order.shipped', 'invoice.created', 'invoice.paid.*']);
    await mk(disabled!.url, ['*'], false);

    const data = { object: { id: 'inv_1', amount_paid: 100 } };
    const event = await call(engine, 'events.create', { type: 'invoice.paid', validate: false, data });
    expect(event.deliveries?.map((d) => d.endpointId).sort()).toEqual([eExact.id, ePrefix.id, eAll.id].sort());
    // the answer reports each delivery queued, whatever the load (one leased as written is already sending)
    expect(event.deliveries?.every((d) => d.status === 'pending')).toBe(true);

    for (const r of [exact!, prefix!, all!]) await waitFor(() => r.requests.length === 1);
    const got = exact!.requests[0]!;
    expect(got.method).toBe('POST');
    expect(got.path).toBe('/hook');
    const envelope = JSON.parse(got.body);
    expect(Object.keys(envelope)).toEqual(['id', 'type', 'version', 'created_at', 'data']);
    expect(envelope).toEqual({ id: event.id, type: 'invoice.paid', version: 'v1', created_at: event.createdAt, data });
    expect(envelope.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Date(envelope.created_at).toISOString()).toBe(envelope.created_at);
    expect(got.headers['webhook-id']).toBe(event.id);

    await waitFor(async () => {
      const list = await call(engine, 'deliveries.list', { eventId: event.id });
      return list.data.length === 3 && list.data.every((d) => d.status === 'succeeded');
    });
    expect(other!.requests).toHaveLength(0);
    expect(disabled!.requests).toHaveLength(0);
  });

  it('endpointIds restricts the targets; an unknown id writes nothing', async () => {
    const engine = await startEngine({ dispatch: false });
    const a = await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/a' });
    await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/b' });
    const ev = await call(engine, 'events.create', {
      type: 'user.created',
      validate: false,
      data: {},
      endpointIds: [a.id],
    });
    expect(ev.deliveries?.map((d) => d.endpointId)).toEqual([a.id]);

    await expect(
      call(engine, 'events.create', { type: 'user.created', validate: false, data: {}, endpointIds: [a.id, 'nope'] }),
    ).rejects.toMatchObject({ code: 'not_found' });
    const events = await call(engine, 'events.list', {});
    expect(events.data).toHaveLength(1);
    const deliveries = await call(engine, 'deliveries.list', {});
    expect(deliveries.data).toHaveLength(1);
  });

  it('an event nobody subscribes to is stored with no deliveries; emits event.created', async () => {
    const engine = await startEngine({ dispatch: false });
    await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/a', eventTypes: ['order.*'] });
    const seen: unknown[] = [];
    engine.on('event.created', (p) => seen.push(p));
    const ev = await call(engine, 'events.create', { type: 'user.created', validate: false, data: { a: 1 } });
    expect(ev.deliveries).toEqual([]);
    expect(seen).toEqual([{ id: ev.id, type: 'user.created', deliveryCount: 0 }]);
    const got = await call(engine, 'events.get', { id: ev.id });
    expect(got).toMatchObject({ id: ev.id, data: { a: 1 }, deliveries: [] });
  });

  it('refuses bad input and oversized payloads without writing', async () => {
    const engine = await startEngine({ dispatch: false });
    await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/a' });
    await expect(call(engine, 'events.create', { type: 'bad type!', data: {} })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    const big = { blob: 'x'.repeat(1024 * 1024 + 10) };
    await expect(
      call(engine, 'events.create', { type: 'user.created', validate: false, data: big }),
    ).rejects.toMatchObject({
      code: 'payload_too_large',
    });
    expect((await call(engine, 'events.list', {})).data).toHaveLength(0);
    expect((await call(engine, 'deliveries.list', {})).data).toHaveLength(0);
  });
});
