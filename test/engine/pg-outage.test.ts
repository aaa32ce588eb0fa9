// PostgreSQL out of reach while attempts are in flight. Their answers come back during the outage; the pass that
// records them fails. They used to be let go to lease recovery: once the database was back, each delivery was sent
// again and its first answer was missing from its history. Now the dispatcher keeps them (their leases held, so
// this process's lease recovery leaves the deliveries alone) and records them once the database is back: each
// delivery sent once, with the one attempt it had. The outage is real at the network level: a TCP proxy between
// the engine and PostgreSQL resets every connection and refuses new ones, while the server runs on.
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../src/main/transports/http';
import { call, startEngine } from '../support/engine';
import { recordingLog } from '../support/log';
import { createTestDatabase, pgClusterPerFile } from '../support/pg-cluster';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { waitFor } from '../support/wait';

const cluster = pgClusterPerFile();

const receivers: TestReceiver[] = [];
const proxies: TcpProxy[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TOKEN = 'outage-token-0123456789';

describe('PostgreSQL out of reach with attempts in flight', () => {
  it('records their answers once it is back: each delivery sent once, with its one attempt', async () => {
    const direct = new URL(await createTestDatabase(cluster.url));
    const proxy = await startTcpProxy(Number(direct.port));
    proxies.push(proxy);
    const proxied = new URL(direct);
    proxied.port = String(proxy.port);
    const log = recordingLog();
    // a short lease (2 s timeout + 0.5 s grace): the rows' leases run out during the outage
    const engine = await startEngine({ databaseUrl: proxied.toString(), leaseGraceMs: 500, log, inbox: { port: 0 } });
    const receiver = await startTestReceiver({ respond: () => ({ delayMs: 1_500 }) });
    receivers.push(receiver);
    const ep = await call(engine, 'endpoints.create', { url: receiver.url, timeoutMs: 2_000 });
    const inbox = await call(engine, 'inboxes.create', { name: 'outage' });
    for (let n = 1; n <= 5; n++) await call(engine, 'events.create', { type: 'outage.test', data: { n } });
    await waitFor(() => receiver.requests.length === 5, { message: 'five attempts in flight' });

    const server = await startHttpServer({ engine, token: TOKEN, uiDir: null });
    const api = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
      const res = await request(`${server.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return {
        status: res.statusCode,
        retryAfter: res.headers['retry-after'],
        body: (await res.body.json()) as { error: { code: string } },
      };
    };

    // the answers come back ~1.5 s into a 4 s outage
    await proxy.cut();
    // meanwhile the API says the database is out of reach (503, try again), not a 500; liveness stays ok
    const list = await api('GET', '/deliveries');
    expect([list.status, list.retryAfter, list.body.error.code]).toEqual([503, '5', 'unavailable']);
    const fired = await api('POST', '/events', { type: 'outage.test', data: { n: 6 } });
    expect([fired.status, fired.body.error.code]).toEqual([503, 'unavailable']);
    expect((await api('GET', '/health')).status).toBe(200);
    expect((await api('GET', '/status')).status).toBe(503);
    // the inbox receiver cannot capture a request: a 503 the sender retries, not a 500
    const captured = await request(inbox.url, { method: 'POST', body: '{"hello":1}' });
    await captured.body.text();
    expect([captured.statusCode, captured.headers['retry-after']]).toEqual([503, '5']);
    await sleep(4_000);
    expect(log.messages('warn')).toContain('storage out of reach: keeping attempt outcomes to record when it is back');
    await proxy.restore();

    const done = await waitFor(
      async () => {
        const page = await call(engine, 'deliveries.list', { endpointId: ep.id });
        return page.data.length === 5 && page.data.every((d) => d.status === 'succeeded') ? page : null;
      },
      { timeoutMs: 40_000, message: 'every delivery succeeded' },
    );
    expect(log.messages('info')).toContain('storage back: kept attempt outcomes recorded');
    // the outage is said once, not on every tick of the lease renewal
    expect(log.messages('error').filter((m) => m === 'renewing leases failed').length).toBeLessThanOrEqual(1);
    // nothing was sent twice
    await sleep(1_000);
    expect(receiver.requests).toHaveLength(5);
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size).toBe(5);
    for (const d of done.data) {
      const full = await call(engine, 'deliveries.get', { id: d.id });
      expect(full.attemptCount).toBe(1);
      expect(full.attempts.map((a) => [a.number, a.response?.status, a.superseded])).toEqual([[1, 200, false]]);
    }
    await server.close();
  }, 60_000);
});
