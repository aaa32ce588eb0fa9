// The dispatcher's HTTP client: exact requests, capped answers, deadlines and transport errors.
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/main/engine/http/client';
import { systemClock } from '../../src/main/engine/types';
import { closedPort, startTestReceiver, type TestReceiver, type TestResponse } from '../support/receiver';

const receivers: TestReceiver[] = [];
const clients: HttpClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});
async function receiver(respond: () => TestResponse) {
  const r = await startTestReceiver({ respond });
  receivers.push(r);
  return r;
}

describe('HttpClient', () => {
  const client = () => {
    const c = new HttpClient(systemClock);
    clients.push(c);
    return c;
  };

  it('posts exactly the body and headers given and returns the answer', async () => {
    const r = await receiver(() => ({
      status: 202,
      headers: { 'x-one': 'a', 'set-cookie': 'b' },
      body: 'accepted ✓',
    }));
    const body = JSON.stringify({ hello: 'wörld' });
    const { response: res, durationMs } = await client().post(
      `${r.url}/in?x=1`,
      { 'content-type': 'application/json', 'x-sig': 'v1,abc', 'content-length': String(Buffer.byteLength(body)) },
      body,
      5_000,
    );
    expect(res).toMatchObject({ status: 202, body: 'accepted ✓', truncated: false });
    expect(res.headers['x-one']).toBe('a');
    // the exchange as this client timed it (the attempt's recorded duration)
    expect(durationMs).toBeGreaterThan(0);
    expect(durationMs).toBeLessThan(5_000);
    expect(r.requests[0]).toMatchObject({ method: 'POST', path: '/in?x=1', body });
    expect(r.requests[0]!.headers['x-sig']).toBe('v1,abc');
  });

  it('keeps 64 KiB of a larger body and flags it truncated', async () => {
    const r = await receiver(() => ({ body: 'y'.repeat(300 * 1024) }));
    const { response: res } = await client().post(r.url, {}, '{}', 5_000);
    expect(res.truncated).toBe(true);
    expect(res.body).toHaveLength(64 * 1024);
  });

  it('gives up at the deadline with a timeout error', async () => {
    const r = await receiver(() => ({ delayMs: 3_000 }));
    await expect(client().post(r.url, {}, '{}', 200)).rejects.toThrow('timeout after 200 ms');
  });

  it('describes a refused connection', async () => {
    const port = await closedPort();
    await expect(client().post(`http://127.0.0.1:${port}/`, {}, '{}', 2_000)).rejects.toThrow(
      /connection refused \(ECONNREFUSED\)/,
    );
  });

  it('serves many requests at once, each with its own answer', async () => {
    const r = await receiver(() => ({ body: 'ok' }));
    const c = client();
    const all = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        c.post(`${r.url}/${i}`, {}, String(i), 5_000).then((x) => x.response.status),
      ),
    );
    expect(all).toEqual(Array(100).fill(200));
    expect(new Set(r.requests.map((q) => q.body)).size).toBe(100);
  });
});
