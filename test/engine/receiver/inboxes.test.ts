// The inbox through a real engine: SQLite file, the built-in receiver on 127.0.0.1, the dispatcher delivering to it.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../support/clock';
import { call, startEngine } from '../../support/engine';
import { waitFor } from '../../support/wait';
import { send } from './helpers';

const fastRetry = { initialDelayMs: 10, multiplier: 1, maxDelayMs: 20, maxAttempts: 5, jitter: 0 };

async function engineWithInbox() {
  const engine = await startEngine({ inbox: {} });
  const base = engine.inboxBaseUrl();
  if (!base) throw new Error('the inbox receiver did not start');
  return { engine, base };
}

describe('inboxes through the engine', () => {
  it('creates an inbox with a linked endpoint; a fired event arrives captured and verified', async () => {
    const { engine, base } = await engineWithInbox();
    const inbox = await call(engine, 'inboxes.create', { name: 'loop', createEndpoint: {} });
    expect(inbox.url).toBe(`${base}/in/${inbox.id}`);
    expect(inbox.endpointId).toEqual(expect.any(String));
    expect(inbox.endpointSecret).toMatch(/^whsec_/);
    const endpoint = await call(engine, 'endpoints.get', { id: inbox.endpointId as string });
    expect(endpoint.url).toBe(inbox.url);

    const pushed: unknown[] = [];
    engine.on('inbox.request', (p) => pushed.push(p));
    const ev = await call(engine, 'events.create', { type: 'invoice.paid', validate: false, data: { amount: 42 } });
    const page = await waitFor(async () => {
      const p = await call(engine, 'inboxes.requests', { id: inbox.id });
      return p.data.length === 1 ? p : null;
    });
    const req = page.data[0];
    expect(req).toMatchObject({
      inboxId: inbox.id,
      method: 'POST',
      path: `/in/${inbox.id}`,
      responseStatus: 200,
      verification: { scheme: 'standard', verified: true, reason: null },
    });
    expect(JSON.parse(req?.body ?? '')).toMatchObject({ id: ev.id, type: 'invoice.paid', data: { amount: 42 } });
    expect(req?.headers['webhook-id']).toBe(ev.id);
    expect(req?.size).toBe(Buffer.byteLength(req?.body ?? ''));
    expect(pushed).toEqual([{ inboxId: inbox.id, request: req }]);
    expect((await call(engine, 'inboxes.get', { id: inbox.id })).requestCount).toBe(1);
  });

  it('an endpoint pointed at an inbox scripted to fail twice shows 500, 500, 200 and the inbox three verified requests', async () => {
    const { engine } = await engineWithInbox();
    await call(engine, 'settings.update', { retry: fastRetry });
    const inbox = await call(engine, 'inboxes.create', { createEndpoint: {}, script: { failFirst: 2 } });
    const ev = await call(engine, 'events.create', { type: 'order.created', data: { n: 1 } });
    const deliveryId = ev.deliveries?.[0]?.id as string;
    const delivery = await waitFor(async () => {
      const d = await call(engine, 'deliveries.get', { id: deliveryId });
      return d.status === 'succeeded' ? d : null;
    });
    expect(delivery.attempts.map((a) => a.response?.status)).toEqual([500, 500, 200]);
    const { data } = await call(engine, 'inboxes.requests', { id: inbox.id });
    expect(data.map((r) => r.responseStatus)).toEqual([200, 500, 500]); // newest first
    expect(data.every((r) => r.verification?.verified === true)).toBe(true);
    expect(new Set(data.map((r) => r.headers['webhook-id']))).toEqual(new Set([ev.id]));
  });

  it('verifies with the linked endpoint scheme (stripe) and keeps verifying through a secret rotation', async () => {
    const { engine } = await engineWithInbox();
    const inbox = await call(engine, 'inboxes.create', { createEndpoint: { scheme: 'stripe' } });
    await call(engine, 'endpoints.rotateSecret', { id: inbox.endpointId as string, graceSeconds: 3600 });
    await call(engine, 'events.create', { type: 'payment_intent.succeeded', data: { object: { id: 'pi_1' } } });
    const req = await waitFor(async () => (await call(engine, 'inboxes.requests', { id: inbox.id })).data[0]);
    expect(req.headers['stripe-signature']).toMatch(/t=\d+,v1=/);
    expect(req.verification).toEqual({ scheme: 'stripe', verified: true, reason: null });
  });

  it('reports a tampered or unsigned request as not verified', async () => {
    const { engine } = await engineWithInbox();
    const inbox = await call(engine, 'inboxes.create', { createEndpoint: {} });
    await send(inbox.url, { headers: { 'content-type': 'application/json' }, body: '{"forged":true' });
    const req = await waitFor(async () => (await call(engine, 'inboxes.requests', { id: inbox.id })).data[0]);
    expect(req.body).toBe('{"forged":true');
    expect(req.verification?.verified).toBe(false);
    expect(req.verification?.reason).toEqual(expect.any(String));
  });

  it('with rejectUnverified answers 401 to an unsigned request and 200 to the engine’s signed delivery', async () => {
    const { engine } = await engineWithInbox();
    const inbox = await call(engine, 'inboxes.create', { createEndpoint: {}, script: { rejectUnverified: true } });
    expect(inbox.script.rejectUnverified).toBe(true);
    const forged = await send(inbox.url, { headers: { 'content-type': 'application/json' }, body: '{"forged":true}' });
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.body)).toMatchObject({ error: 'signature not verified' });
    const ev = await call(engine, 'events.create', { type: 'invoice.paid', validate: false, data: { amount: 1 } });
    const delivery = await waitFor(async () => {
      const d = await call(engine, 'deliveries.get', { id: ev.deliveries?.[0]?.id as string });
      return d.status === 'succeeded' ? d : null;
    });
    expect(delivery.attempts.map((a) => a.response?.status)).toEqual([200]);
    const { data } = await call(engine, 'inboxes.requests', { id: inbox.id });
    expect(data.map((r) => [r.responseStatus, r.verification?.verified])).toEqual([
      [200, true],
      [401, false],
    ]);
  });

  it('applies a script change on the next request and answers 404 for unknown or deleted inboxes', async () => {
    const { engine, base } = await engineWithInbox();
    const inbox = await call(engine, 'inboxes.create', { name: 'plain' });
    expect(inbox.endpointId).toBeNull();
    expect(inbox.endpointSecret).toBeNull();
    expect((await send(inbox.url, { body: '{}' })).status).toBe(200);
    const updated = await call(engine, 'inboxes.update', { id: inbox.id, script: { status: 418, body: 'teapot' } });
    expect(updated.script).toMatchObject({ status: 418, body: 'teapot', failFirst: 0, delayMs: 0 });
    const res = await send(inbox.url, { body: '{}' });
    expect([res.status, res.body]).toEqual([418, 'teapot']);
    // a partial script update keeps the other fields
    await call(engine, 'inboxes.update', { id: inbox.id, script: { delayMs: 1 } });
    expect((await call(engine, 'inboxes.get', { id: inbox.id })).script).toMatchObject({ status: 418, delayMs: 1 });

    const stored = await call(engine, 'inboxes.requests', { id: inbox.id });
    expect(stored.data.map((r) => [r.responseStatus, r.verification])).toEqual([
      [418, null],
      [200, null],
    ]);
    expect((await send(`${base}/in/no-such-inbox`)).status).toBe(404);
    await call(engine, 'inboxes.delete', { id: inbox.id });
    expect((await send(inbox.url)).status).toBe(404);
    await expect(call(engine, 'inboxes.get', { id: inbox.id })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('pages requests newest first, clears them, and prunes by age', async () => {
    // A stopped test clock: every request is captured in the same millisecond, and the order must still be exact.
    const clock = new FakeClock();
    const engine = await startEngine({ inbox: {}, clock });
    const inbox = await call(engine, 'inboxes.create', {});
    for (let i = 0; i < 5; i++) await send(`${inbox.url}/n${i}`, { body: String(i) });
    const first = await call(engine, 'inboxes.requests', { id: inbox.id, limit: 2 });
    expect(first.data.map((r) => r.body)).toEqual(['4', '3']);
    const second = await call(engine, 'inboxes.requests', {
      id: inbox.id,
      limit: 2,
      cursor: first.nextCursor as string,
    });
    const third = await call(engine, 'inboxes.requests', {
      id: inbox.id,
      limit: 2,
      cursor: second.nextCursor as string,
    });
    expect([...second.data, ...third.data].map((r) => r.body)).toEqual(['2', '1', '0']);
    expect(third.nextCursor).toBeNull();
    await expect(call(engine, 'inboxes.requests', { id: inbox.id, cursor: 'garbage' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await call(engine, 'inboxes.clear', { id: inbox.id });
    expect((await call(engine, 'inboxes.requests', { id: inbox.id })).data).toEqual([]);
    expect((await call(engine, 'inboxes.list', {})).data[0]?.requestCount).toBe(0);

    // Retention: the engine prunes captured requests older than retentionDays with its deliveries.
    await send(`${inbox.url}/old`, { body: 'old' });
    // 15 days later (a step of the wall clock, so that the test does not run fifteen days of timers), then the
    // hourly retention pass
    clock.step(15 * 24 * 3600 * 1000);
    clock.advance(3600 * 1000);
    await send(`${inbox.url}/new`, { body: 'new' });
    await waitFor(async () => {
      const { data } = await call(engine, 'inboxes.requests', { id: inbox.id });
      return data.length === 1 && data[0]?.body === 'new';
    });
  });

  it('links and unlinks endpoints, rejecting unknown ones', async () => {
    const { engine } = await engineWithInbox();
    const inbox = await call(engine, 'inboxes.create', {});
    await expect(call(engine, 'inboxes.update', { id: inbox.id, endpointId: 'nope' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(call(engine, 'inboxes.create', { endpointId: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
    const ep = await call(engine, 'endpoints.create', { url: inbox.url });
    expect((await call(engine, 'inboxes.update', { id: inbox.id, endpointId: ep.id })).endpointId).toBe(ep.id);
    await send(inbox.url, { body: '{}' });
    const req = await waitFor(async () => (await call(engine, 'inboxes.requests', { id: inbox.id })).data[0]);
    expect(req.verification).toMatchObject({ scheme: 'standard', verified: false });
    expect((await call(engine, 'inboxes.update', { id: inbox.id, endpointId: null })).endpointId).toBeNull();
  });

  it('refuses createEndpoint with a clear conflict when the receiver is not running', async () => {
    const engine = await startEngine({ inbox: false });
    expect(engine.inboxBaseUrl()).toBeNull();
    await expect(call(engine, 'inboxes.create', { createEndpoint: {} })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/receiver is not running/),
    });
    expect((await call(engine, 'inboxes.list', {})).data).toEqual([]);
    expect((await call(engine, 'endpoints.list', {})).data).toEqual([]);
  });
});
