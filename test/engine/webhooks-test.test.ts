// webhooks.test: one attempt now, returned; to an endpoint it is in the log, to a bare URL nothing is stored.
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { call, startEngine } from '../support/engine';
import { flatHeaders, startTestReceiver, type TestReceiver } from '../support/receiver';

const receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

describe('webhooks.test', () => {
  it('to an endpoint: attempts now, records a one-shot delivery, returns the attempt', async () => {
    const r = await startTestReceiver({ respond: () => ({ status: 202, body: 'queued' }) });
    receivers.push(r);
    const engine = await startEngine();
    const ep = await call(engine, 'endpoints.create', { url: r.url, eventTypes: ['invoice.paid'] });
    const out = await call(engine, 'webhooks.test', { endpointId: ep.id });
    expect(r.requests).toHaveLength(1);
    expect(out.attempt).toMatchObject({
      number: 1,
      succeeded: true,
      error: null,
      response: { status: 202, body: 'queued' },
    });
    expect(JSON.parse(out.attempt.request.body)).toMatchObject({
      id: out.eventId,
      type: 'hookbench.test',
      data: { message: 'Hello from Hookbench' },
    });
    const d = await call(engine, 'deliveries.get', { id: out.deliveryId! });
    expect(d).toMatchObject({ status: 'succeeded', attemptCount: 1, eventType: 'hookbench.test' });
    expect(d.attempts[0]!.request).toEqual(out.attempt.request);
    const q = r.requests[0]!;
    expect(() => new Webhook(ep.secret).verify(q.body, flatHeaders(q.headers))).not.toThrow();
  });

  it('is no missed event of the other endpoints: replaying to them leaves it out', async () => {
    const r = await startTestReceiver();
    receivers.push(r);
    const engine = await startEngine();
    const since = new Date(Date.now() - 1000).toISOString();
    const tested = await call(engine, 'endpoints.create', { url: `${r.url}/tested` });
    const every = await call(engine, 'endpoints.create', { url: `${r.url}/every` });
    await call(engine, 'webhooks.test', { endpointId: tested.id });
    await call(engine, 'webhooks.test', { endpointId: tested.id, type: 'invoice.paid', data: { n: 1 } });
    const fired = await call(engine, 'events.create', {
      type: 'invoice.paid',
      validate: false,
      data: { n: 2 },
      endpointIds: [tested.id],
    });
    // only the event fired (to the other endpoint alone) is missing for the endpoint of every type
    expect(await call(engine, 'endpoints.replayMissing', { id: every.id, since, dryRun: true })).toMatchObject({
      events: 1,
    });
    await call(engine, 'endpoints.replayMissing', { id: every.id, since });
    const got = await call(engine, 'deliveries.list', { endpointId: every.id });
    expect(got.data.map((d) => d.eventId)).toEqual([fired.id]);
  });

  it('a failing test is recorded failed, never retried', async () => {
    const r = await startTestReceiver({ respond: () => ({ status: 500 }) });
    receivers.push(r);
    const engine = await startEngine();
    const ep = await call(engine, 'endpoints.create', { url: r.url });
    const out = await call(engine, 'webhooks.test', { endpointId: ep.id });
    expect(out.attempt).toMatchObject({ succeeded: false, error: 'HTTP 500' });
    expect(await call(engine, 'deliveries.get', { id: out.deliveryId! })).toMatchObject({
      status: 'failed',
      attemptCount: 1,
    });
  });

  it('to a bare URL: signs with the given secret and scheme, stores nothing', async () => {
    const r = await startTestReceiver();
    receivers.push(r);
    const engine = await startEngine();
    const secret = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
    const out = await call(engine, 'webhooks.test', {
      url: `${r.url}/x`,
      secret,
      type: 'user.created',
      data: { a: 1 },
    });
    expect(out.deliveryId).toBeNull();
    expect(out.attempt.succeeded).toBe(true);
    // a secret the caller gave is not echoed back
    expect(out.secret).toBeUndefined();
    const q = r.requests[0]!;
    expect(new Webhook(secret).verify(q.body, flatHeaders(q.headers))).toMatchObject({
      type: 'user.created',
      data: { a: 1 },
    });
    expect((await call(engine, 'events.list', {})).data).toHaveLength(0);

    const gh = await call(engine, 'webhooks.test', {
      url: r.url,
      scheme: 'github',
      type: 'push',
      data: { ref: 'main' },
    });
    expect(gh.attempt.request.headers['x-hub-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(r.requests[1]!.body).toBe('{"ref":"main"}');
    // without a secret, the generated one comes back so the receiver can verify
    expect(gh.secret).toEqual(expect.any(String));
    const expected = createHmac('sha256', gh.secret as string)
      .update('{"ref":"main"}')
      .digest('hex');
    expect(gh.attempt.request.headers['x-hub-signature-256']).toBe(`sha256=${expected}`);
  });

  it('refuses both or neither of endpointId and url, and unknown endpoints', async () => {
    const engine = await startEngine();
    await expect(call(engine, 'webhooks.test', {})).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(call(engine, 'webhooks.test', { endpointId: 'x', url: 'http://127.0.0.1:9/' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(call(engine, 'webhooks.test', { endpointId: 'missing' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses what only a bare-URL test takes beside endpointId, naming it, and sends nothing', async () => {
    const r = await startTestReceiver();
    receivers.push(r);
    const engine = await startEngine();
    const ep = await call(engine, 'endpoints.create', { url: r.url });
    for (const extra of [
      { scheme: 'stripe' as const },
      { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
      { headers: { 'X-Foo': '1' } },
      { timeoutMs: 100 },
    ]) {
      const key = Object.keys(extra)[0] as string;
      await expect(call(engine, 'webhooks.test', { endpointId: ep.id, ...extra }), key).rejects.toMatchObject({
        code: 'invalid_input',
        issues: [expect.objectContaining({ path: [key], message: expect.stringContaining('bare url') })],
      });
    }
    expect(r.requests).toHaveLength(0);
    expect((await call(engine, 'deliveries.list', {})).data).toEqual([]);
    // the same keys are fine for a bare URL, and without them the defaults apply
    const bare = await call(engine, 'webhooks.test', { url: r.url, headers: { 'X-Foo': '1' }, timeoutMs: 1_000 });
    expect(bare.attempt.request.headers['x-foo']).toBe('1');
    const plain = await call(engine, 'webhooks.test', { url: r.url });
    expect(plain.attempt.request.headers['webhook-signature']).toMatch(/^v1,/);
  });
});
