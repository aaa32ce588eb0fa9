// Every attempt's record, and how each kind of answer (or no answer) ends an attempt.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { call, startEngine } from '../support/engine';
import { closedPort, flatHeaders, startTestReceiver, type TestReceiver, type TestResponse } from '../support/receiver';
import { waitFor } from '../support/wait';

const receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});
async function receiver(respond?: (n: number) => TestResponse) {
  const r = await startTestReceiver({ respond: respond && ((_req, n) => respond(n)) });
  receivers.push(r);
  return r;
}

const SECRET = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;

async function fireOnce(url: string, endpoint: Record<string, unknown> = {}, settings = { maxAttempts: 1 }) {
  const engine = await startEngine();
  await call(engine, 'settings.update', { retry: settings });
  const ep = await call(engine, 'endpoints.create', { url, secret: SECRET, ...endpoint });
  const ev = await call(engine, 'events.create', {
    type: 'order.shipped',
    validate: false,
    data: { object: { id: 'ord_1' } },
  });
  const deliveryId = ev.deliveries![0]!.id;
  const done = await waitFor(
    async () => {
      const d = await call(engine, 'deliveries.get', { id: deliveryId });
      return d.status === 'succeeded' || d.status === 'failed' ? d : null;
    },
    { timeoutMs: 15_000 },
  );
  return { engine, ep, ev, delivery: done };
}

describe('attempt records', () => {
  it('records the request exactly as sent and the response as answered', async () => {
    const r = await receiver(() => ({ status: 201, headers: { 'x-trace': 'abc' }, body: 'created' }));
    const { ev, ep, delivery } = await fireOnce(`${r.url}/in?x=1`, { headers: { 'X-Tenant': 't1' }, timeoutMs: 4000 });
    expect(delivery.status).toBe('succeeded');
    expect(delivery.attemptCount).toBe(1);
    expect(delivery.lastStatus).toBe(201);
    expect(delivery.lastError).toBeNull();
    expect(delivery.endpointId).toBe(ep.id);
    expect(delivery.payload).toMatchObject({ id: ev.id, type: 'order.shipped', data: { object: { id: 'ord_1' } } });
    const [a] = delivery.attempts;
    const got = r.requests[0]!;
    expect(a).toMatchObject({ number: 1, succeeded: true, error: null });
    expect(a!.request.url).toBe(`${r.url}/in?x=1`);
    expect(a!.request.method).toBe('POST');
    expect(a!.request.body).toBe(got.body);
    // every header we recorded is what the receiver got, byte for byte
    for (const [k, v] of Object.entries(a!.request.headers)) expect(got.headers[k], k).toBe(v);
    expect(a!.request.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': expect.stringMatching(/^Hookbench\/\d+\.\d+\.\d+/),
      'x-tenant': 't1',
      'webhook-id': ev.id,
    });
    expect(new Webhook(SECRET).verify(a!.request.body, flatHeaders(got.headers))).toBeTruthy();
    expect(a!.response).toMatchObject({ status: 201, body: 'created', truncated: false });
    expect(a!.response!.headers['x-trace']).toBe('abc');
    expect(a!.durationMs).toBeGreaterThanOrEqual(0);
    expect(Number.isNaN(Date.parse(a!.startedAt))).toBe(false);
  });

  it("sends a URL's user:password@ as Basic auth (percent-decoded, as curl does); a custom Authorization wins", async () => {
    const r = await receiver();
    const withCreds = r.url.replace('http://', 'http://alice:p%40ss%3Aword@');
    const { delivery } = await fireOnce(`${withCreds}/hook`);
    expect(delivery.status).toBe('succeeded');
    const basic = `Basic ${Buffer.from('alice:p@ss:word').toString('base64')}`;
    expect(r.requests[0]?.headers.authorization).toBe(basic);
    expect(delivery.attempts[0]?.request.headers.authorization).toBe(basic);
    expect(r.requests[0]?.path).toBe('/hook');

    const { delivery: custom } = await fireOnce(`${withCreds}/other`, { headers: { Authorization: 'Bearer tok' } });
    expect(custom.status).toBe('succeeded');
    expect(r.requests[1]?.headers.authorization).toBe('Bearer tok');
  });

  it('times where each exchange went: getting the connection, waiting for the first byte, the download', async () => {
    // answers 300 ms late: the wait; then headers at once and the body 300 ms later: the download
    const slowHeaders = await receiver(() => ({ status: 200, delayMs: 300 }));
    const slow = await fireOnce(slowHeaders.url);
    const t1 = slow.delivery.attempts[0]?.response?.timing;
    expect(t1?.waitMs).toBeGreaterThanOrEqual(250);
    expect(t1?.downloadMs).toBeLessThan(250);

    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.flushHeaders();
      setTimeout(() => res.end('late body'), 300);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { delivery } = await fireOnce(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      const a = delivery.attempts[0];
      expect(a?.response?.body).toBe('late body');
      const t2 = a?.response?.timing;
      expect(t2?.downloadMs).toBeGreaterThanOrEqual(250);
      expect(t2?.waitMs).toBeLessThan(250);
      for (const t of [t1, t2]) {
        expect(t?.connectMs).toBeGreaterThanOrEqual(0);
        expect(t?.waitMs).toBeGreaterThanOrEqual(0);
      }
      // the phases add up to the attempt's duration
      const sum = (t2?.connectMs ?? 0) + (t2?.waitMs ?? 0) + (t2?.downloadMs ?? 0);
      expect(Math.abs(sum - (a?.durationMs ?? 0))).toBeLessThan(1);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('keeps 64 KiB of a large response body and flags it truncated', async () => {
    const r = await receiver(() => ({ status: 200, body: 'y'.repeat(200 * 1024) }));
    const { delivery } = await fireOnce(r.url);
    const res = delivery.attempts[0]!.response!;
    expect(res.truncated).toBe(true);
    expect(res.body.length).toBe(64 * 1024);
    expect(delivery.status).toBe('succeeded');
  });

  it('does not follow redirects: a 3xx fails the attempt', async () => {
    const target = await receiver();
    const r = await receiver(() => ({ status: 302, headers: { location: `${target.url}/elsewhere` }, body: '' }));
    const { delivery } = await fireOnce(r.url);
    expect(delivery.status).toBe('failed');
    expect(delivery.lastStatus).toBe(302);
    expect(delivery.attempts[0]!.error).toMatch(/HTTP 302/);
    expect(target.requests).toHaveLength(0);
  });

  it('a 4xx fails the attempt', async () => {
    const r = await receiver(() => ({ status: 410, body: 'gone' }));
    const { delivery } = await fireOnce(r.url);
    expect(delivery).toMatchObject({ status: 'failed', lastStatus: 410, lastError: 'HTTP 410' });
  });

  it('times out a receiver slower than the endpoint timeout', async () => {
    const r = await receiver(() => ({ status: 200, delayMs: 5_000 }));
    const { delivery } = await fireOnce(r.url, { timeoutMs: 300 });
    expect(delivery.status).toBe('failed');
    expect(delivery.lastStatus).toBeNull();
    expect(delivery.attempts[0]!.response).toBeNull();
    expect(delivery.attempts[0]!.error).toMatch(/timeout after 300 ms/);
    expect(delivery.attempts[0]!.durationMs).toBeLessThan(4_000);
  });

  it('records connection refused', async () => {
    const port = await closedPort();
    const { delivery } = await fireOnce(`http://127.0.0.1:${port}/x`);
    expect(delivery.status).toBe('failed');
    expect(delivery.attempts[0]!.error).toMatch(/connection refused \(ECONNREFUSED\)/);
    expect(delivery.attempts[0]!.request.body).toContain('order.shipped');
  });
});
