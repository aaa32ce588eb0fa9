// The full story over HTTP, against a real engine and real receivers: retries until success with every attempt
// signed so the Standard Webhooks reference verifier accepts it; auto-disable, paused deliveries, re-enable.
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, FAST_RETRY, openStream, type Receiver, startApi, startReceiver, waitFor } from './harness';

let api: Api;
const receivers: Receiver[] = [];

beforeAll(async () => {
  api = await startApi();
  const settings = await api.call('PATCH', '/settings', {
    body: { retry: { ...FAST_RETRY, maxAttempts: 10 }, autoDisable: { threshold: 4 } },
  });
  expect(settings.status).toBe(200);
});
afterAll(async () => {
  await api?.close();
  for (const r of receivers) await r.stop();
});

async function receiver(status: (n: number) => number): Promise<Receiver> {
  const r = await startReceiver(status);
  receivers.push(r);
  return r;
}

describe('a flaky endpoint', () => {
  it('fails twice, then succeeds: attempts 500, 500, 200, each one verifiably signed', async () => {
    const flaky = await receiver((n) => (n <= 2 ? 500 : 200));
    const endpoint = (await api.call('POST', '/endpoints', { body: { url: flaky.hookUrl, eventTypes: ['invoice.*'] } }))
      .body;
    const event = (
      await api.call('POST', '/events', {
        body: { type: 'invoice.paid', validate: false, data: { invoice: 'in_1', amount: 4200 } },
      })
    ).body;
    expect(event.id).toEqual(expect.any(String));

    const delivery = await waitFor(async () => {
      const [d] = (await api.call('GET', `/deliveries?eventId=${event.id}`)).body.data;
      return d?.status === 'succeeded' ? d : null;
    }, 'the delivery to succeed');
    const detail = (await api.call('GET', `/deliveries/${delivery.id}`)).body;
    expect(detail.attempts.map((a: { response: { status: number } | null }) => a.response?.status)).toEqual([
      500, 500, 200,
    ]);
    expect(detail).toMatchObject({ status: 'succeeded', attemptCount: 3, lastStatus: 200, endpointId: endpoint.id });

    // What the receiver got: three requests, the same webhook-id, each accepted by the reference verifier.
    expect(flaky.requests).toHaveLength(3);
    const wh = new Webhook(endpoint.secret);
    for (const [i, req] of flaky.requests.entries()) {
      expect(req.headers['webhook-id']).toBe(event.id);
      const verified = wh.verify(req.body, req.headers as Record<string, string>);
      expect(verified).toMatchObject({ id: event.id, type: 'invoice.paid', data: { invoice: 'in_1', amount: 4200 } });
      // the attempt log shows the body exactly as sent
      expect(detail.attempts[i].request.body).toBe(req.body);
    }
    // a wrong secret is refused, so the check above means something
    const other = new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`);
    const first = flaky.requests[0];
    expect(() => other.verify(first?.body ?? '', first?.headers as Record<string, string>)).toThrow();
  });
});

describe('an endpoint that always fails', () => {
  it('is disabled at the threshold, its deliveries paused, and re-enabling delivers them all', async () => {
    let healthy = false;
    const down = await receiver(() => (healthy ? 200 : 503));
    const stream = await openStream(api.url);
    const endpoint = (await api.call('POST', '/endpoints', { body: { url: down.hookUrl, eventTypes: ['order.*'] } }))
      .body;
    const eventIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      eventIds.push(
        (await api.call('POST', '/events', { body: { type: 'order.created', data: { order: i } } })).body.id,
      );
    }

    const disabled = await waitFor(async () => {
      const ep = (await api.call('GET', `/endpoints/${endpoint.id}`)).body;
      return ep.enabled === false ? ep : null;
    }, 'the endpoint to be disabled');
    expect(disabled.disabledReason).toEqual(expect.any(String));
    const paused = await waitFor(async () => {
      const list = (await api.call('GET', `/deliveries?endpointId=${endpoint.id}`)).body.data;
      return list.length === 3 && list.every((d: { status: string }) => d.status === 'paused') ? list : null;
    }, 'every delivery to be paused');
    expect(paused).toHaveLength(3);
    const attemptsWhileDown = down.requests.length;
    expect(attemptsWhileDown).toBeGreaterThanOrEqual(4);
    await waitFor(() => stream.of('endpoint.disabled').length > 0, 'the endpoint.disabled push');
    const pushed = stream.of('endpoint.disabled')[0];
    expect(pushed).toMatchObject({ id: endpoint.id, url: down.hookUrl, reason: expect.any(String) });
    // counted when it was disabled: attempts still in flight then are paused a moment later
    expect(pushed.pausedDeliveries).toBeLessThanOrEqual(3);

    // Nothing is sent while it is disabled.
    expect(down.requests.length).toBe(attemptsWhileDown);

    healthy = true;
    const enabled = await api.call('POST', `/endpoints/${endpoint.id}/enable`, { body: {} });
    expect(enabled.status).toBe(200);
    expect(enabled.body.enabled).toBe(true);
    await waitFor(async () => {
      const list = (await api.call('GET', `/deliveries?endpointId=${endpoint.id}`)).body.data;
      return list.every((d: { status: string }) => d.status === 'succeeded');
    }, 'every delivery to succeed after re-enabling');
    const delivered = new Set(
      down.requests.filter((_r, i) => i >= attemptsWhileDown).map((r) => r.headers['webhook-id']),
    );
    expect([...delivered].sort()).toEqual([...eventIds].sort());
    stream.close();
  });
});
