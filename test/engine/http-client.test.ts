// The dispatcher's HTTP client: exact requests, capped answers, deadlines and transport errors.
import { afterEach, describe, expect, it } from 'vitest';
import { guardedLookup, HttpClient, type HttpClientOptions, TransportError } from '../../src/main/engine/http/client';
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

describe('a host name that resolves to a link-local or cloud metadata address', () => {
  /** Resolves names from a table, as /etc/hosts would: no DNS, and nothing here connects to the table's addresses. */
  function table(names: Record<string, string>): NonNullable<HttpClientOptions['lookup']> {
    const lookup = (hostname: string, options: unknown, callback: (...a: unknown[]) => void) => {
      const address = names[hostname];
      if (!address)
        return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
      const family = address.includes(':') ? 6 : 4;
      if ((options as { all?: boolean } | undefined)?.all) return callback(null, [{ address, family }]);
      callback(null, address, family);
    };
    return lookup as unknown as NonNullable<HttpClientOptions['lookup']>;
  }

  it('is refused before any connection unless settings allow link-local addresses; other names go through', async () => {
    const r = await receiver(() => ({ status: 200 }));
    const port = new URL(r.url).port;
    const c = new HttpClient(systemClock, {
      lookup: table({ 'app.test': '127.0.0.1', 'metadata.test': '169.254.169.254', 'v6.test': 'fe80::1' }),
    });
    clients.push(c);
    // a name for loopback (the receiver of this test) is sent to
    expect((await c.post(`http://app.test:${port}/hook`, {}, '{}', 5_000)).response.status).toBe(200);
    for (const [name, address] of [
      ['metadata.test', '169.254.169.254'],
      ['v6.test', 'fe80::1'],
    ]) {
      const err = await c.post(`http://${name}/latest/meta-data`, {}, '{}', 5_000).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransportError);
      expect((err as TransportError).message).toBe(
        `refused: ${name} resolves to ${address}, a link-local or cloud metadata address; allow it with settings.allowLinkLocal`,
      );
    }
    expect(r.requests).toHaveLength(1);
  });

  it('refuses a URL whose own address is link-local, saved while allowed, once no longer allowed (never connecting)', async () => {
    const c = new HttpClient(systemClock, { lookup: table({}) });
    clients.push(c);
    // nothing here connects: each is refused before it is dispatched
    for (const [url, host] of [
      ['http://169.254.169.254/latest/meta-data', '169.254.169.254'],
      ['http://[fe80::1]:8080/x', '[fe80::1]'],
      ['http://[::ffff:169.254.169.254]/x', '[::ffff:a9fe:a9fe]'],
      ['http://metadata.google.internal/x', 'metadata.google.internal'],
    ] as const) {
      const err = await c.post(url, {}, '{}', 5_000).catch((e: unknown) => e);
      expect(err, url).toBeInstanceOf(TransportError);
      expect((err as TransportError).message, url).toBe(
        `refused: ${host} is a link-local or cloud metadata address; allow it with settings.allowLinkLocal`,
      );
    }
  });

  it('goes through once allowed (the lookup answers the address; no request is made here)', () => {
    let allowed = false;
    const lookup = guardedLookup(() => allowed, table({ 'metadata.test': '169.254.169.254' })) as unknown as (
      h: string,
      o: unknown,
      cb: (err: NodeJS.ErrnoException | null, address?: unknown) => void,
    ) => void;
    const results: unknown[] = [];
    for (const all of [false, true])
      lookup('metadata.test', { all }, (err, address) => results.push(err?.code ?? address));
    allowed = true;
    for (const all of [false, true])
      lookup('metadata.test', { all }, (err, address) => results.push(err?.code ?? address));
    expect(results).toEqual([
      'EHOOKBENCH_LINK_LOCAL',
      'EHOOKBENCH_LINK_LOCAL',
      '169.254.169.254',
      [{ address: '169.254.169.254', family: 4 }],
    ]);
  });
});
