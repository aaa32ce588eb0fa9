// The `delivery.exhausted` operational event, on both stores: a user delivery that fails its last allowed attempt is
// reported to the notification URL (signed with the notification secret, the endpoint URL's credentials redacted),
// once, as a durable delivery of the system endpoint; a success, a delivery still being retried and the system
// endpoint's own failed notices report nothing (no loop); without a notification URL nothing is written.
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/shared';
import { call, startEngine } from '../support/engine';
import { engineStores, stopEngineStores } from '../support/engine-stores';
import { flatHeaders, startTestReceiver, type TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

const receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});
afterAll(stopEngineStores);

const QUICK = { initialDelayMs: 10, multiplier: 1, maxDelayMs: 10, jitter: 0 };
const settle = () => new Promise((done) => setTimeout(done, 600));

async function receiver(status: number | (() => number)): Promise<TestReceiver> {
  const r = await startTestReceiver({
    respond: () => ({ status: typeof status === 'number' ? status : status(), body: 'answer' }),
  });
  receivers.push(r);
  return r;
}

describe.each(engineStores)('delivery.exhausted on $store', ({ fresh, on }) => {
  it('reports a delivery that failed its last attempt, once, signed; a success or a retry reports nothing', async () => {
    const [failing, healthy, ops] = [await receiver(502), await receiver(200), await receiver(200)];
    const engine = await startEngine(on(await fresh()));
    await call(engine, 'settings.update', {
      retry: { ...QUICK, maxAttempts: 5 },
      autoDisable: { threshold: 0 },
      notificationUrl: `${ops.url}/ops`,
    });
    // the failing endpoint's URL carries credentials: the notice must not
    const url = failing.url.replace('http://', 'http://user:hunter2@');
    const bad = await call(engine, 'endpoints.create', { url, retry: { ...QUICK, maxAttempts: 2 } });
    await call(engine, 'endpoints.create', { url: healthy.url });
    const event = await call(engine, 'events.create', { type: 'invoice.paid', validate: false, data: { n: 1 } });
    const failed = event.deliveries?.find((d) => d.endpointId === bad.id)?.id as string;

    await waitFor(() => ops.requests.length >= 1, { message: 'the operational event arrives' });
    await settle();
    expect(ops.requests).toHaveLength(1);
    const { secret } = await call(engine, 'settings.notificationSecret', {});
    const req = ops.requests[0];
    expect(req?.path).toBe('/ops');
    const payload = new Webhook(secret).verify(req?.body ?? '', flatHeaders(req?.headers ?? {}));
    expect(payload).toMatchObject({
      type: 'delivery.exhausted',
      data: {
        delivery: { id: failed, eventId: event.id, eventType: 'invoice.paid', attempts: 2 },
        endpoint: { id: bad.id, url: redactUrl(url) },
        lastAttempt: { status: 502, error: 'HTTP 502' },
      },
    });
    expect(req?.body).not.toContain('hunter2');
    expect(failing.requests).toHaveLength(2);
    expect((await call(engine, 'deliveries.get', { id: failed })).status).toBe('failed');
    await engine.stop();
  });

  it('never reports the system endpoint’s own failed notices, and writes nothing without a notification URL', async () => {
    const [failing, ops] = [await receiver(500), await receiver(503)];
    const engine = await startEngine(on(await fresh()));
    // no notification URL yet: an exhausted delivery writes no operational event at all
    await call(engine, 'settings.update', { retry: { ...QUICK, maxAttempts: 2 }, autoDisable: { threshold: 0 } });
    await call(engine, 'endpoints.create', { url: failing.url });
    await call(engine, 'events.create', { type: 'a.b', validate: false, data: {} });
    await waitFor(async () => (await call(engine, 'deliveries.list', { status: ['failed'] })).data.length === 1);
    expect((await call(engine, 'events.list', {})).data.map((e) => e.type)).toEqual(['a.b']);

    // the notification URL fails too: its notice is tried twice (the settings' attempts) and reports nothing more
    await call(engine, 'settings.update', { notificationUrl: ops.url });
    await call(engine, 'events.create', { type: 'a.b', validate: false, data: {} });
    await waitFor(() => ops.requests.length >= 2, { message: 'the notice is tried twice' });
    await settle();
    expect(ops.requests).toHaveLength(2);
    expect(new Set(ops.requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(JSON.parse(ops.requests[0]?.body ?? '{}').type).toBe('delivery.exhausted');
    await engine.stop();
  });
});
