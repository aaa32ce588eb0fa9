// The guards of the HTTP transport against a real engine: token, Host (DNS rebinding), Origin, no CORS, body
// limit, malformed input, unknown routes, and the static UI with its headers.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { localHostNames } from '../../../src/main/engine/receiver/self-address';
import { hostPolicy, splitHostHeader } from '../../../src/main/transports/http/security';
import { tempDir } from '../../support/temp';
import { type Api, startApi, TOKEN } from './harness';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

let api: Api;
let uiDir: string;

beforeAll(async () => {
  uiDir = tempDir('hookbench-ui-');
  mkdirSync(join(uiDir, 'assets'));
  writeFileSync(
    join(uiDir, 'index.html'),
    '<!doctype html><title>Hookbench UI</title><script src="/assets/app.js"></script>',
  );
  writeFileSync(join(uiDir, 'assets', 'app.js'), 'console.log("hookbench")');
  api = await startApi({ uiDir });
});
afterAll(async () => {
  await api?.close();
  rmSync(uiDir, { recursive: true, force: true });
});

const raw = (path: string, init: Parameters<typeof request>[1] = {}) => request(`${api.url}${path}`, init);

describe('authentication', () => {
  it('answers health without a token', async () => {
    const res = await api.call('GET', '/health', { token: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, version: expect.any(String) });
    const rpc = await api.call('POST', '/rpc/system.health', { token: null, body: {} });
    expect(rpc.status).toBe(200);
  });

  it.each([
    ['no token', {}],
    ['a wrong token', { authorization: `Bearer ${TOKEN}x` }],
    ['a shorter token', { authorization: 'Bearer abc' }],
    ['another scheme', { authorization: `Basic ${TOKEN}` }],
  ])('refuses %s with a JSON 401', async (_label, headers) => {
    for (const [method, path] of [
      ['GET', '/endpoints'],
      ['POST', '/events'],
      ['GET', '/openapi.json'],
      ['GET', '/stream'],
      ['POST', '/rpc/endpoints.list'],
      ['GET', '/no-such-route'],
    ] as const) {
      const res = await api.call(method, path, { token: null, headers, body: method === 'POST' ? {} : undefined });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
  });

  it('accepts the right token', async () => {
    expect((await api.call('GET', '/endpoints')).status).toBe(200);
  });
});

describe('Host and Origin', () => {
  it('refuses a foreign Host even with the token and the right port (DNS rebinding)', async () => {
    for (const host of [
      `evil.example:${api.port}`,
      'evil.example',
      `127.0.0.1:${api.port + 1}`,
      `localhost.evil.example:${api.port}`,
    ]) {
      const res = await api.call('GET', '/endpoints', { headers: { host } });
      expect(res.status, host).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    // the UI is guarded too
    expect((await raw('/', { headers: { host: `evil.example:${api.port}` } })).statusCode).toBe(403);
  });

  it('accepts every loopback name with the actual port', async () => {
    for (const host of [
      `127.0.0.1:${api.port}`,
      `localhost:${api.port}`,
      `LOCALHOST:${api.port}`,
      `[::1]:${api.port}`,
    ]) {
      expect((await api.call('GET', '/endpoints', { headers: { host } })).status, host).toBe(200);
    }
  });

  it('refuses a cross-site Origin and accepts its own', async () => {
    const evil = await api.call('POST', '/endpoints', {
      headers: { origin: 'http://evil.example' },
      body: { url: 'http://127.0.0.1:9/x' },
    });
    expect(evil.status).toBe(403);
    const nullOrigin = await api.call('GET', '/endpoints', { headers: { origin: 'null' } });
    expect(nullOrigin.status).toBe(403);
    const own = await api.call('GET', '/endpoints', { headers: { origin: `http://localhost:${api.port}` } });
    expect(own.status).toBe(200);
    // nothing was created by the refused request
    expect((await api.call('GET', '/endpoints')).body.data).toHaveLength(0);
  });

  it('accepts the names given as allowed hosts (a proxy, load balancer or tunnel in front), with any port', async () => {
    const proxied = await startApi({ allowedHosts: ['hookbench.internal', 'tunnel.example:443'] });
    try {
      for (const host of [
        'hookbench.internal',
        'hookbench.internal:8080',
        'HOOKBENCH.internal',
        'tunnel.example:443',
      ]) {
        expect((await proxied.call('GET', '/endpoints', { headers: { host } })).status, host).toBe(200);
      }
      for (const host of [
        'evil.hookbench.internal',
        'hookbench.internal.evil.example',
        'tunnel.example',
        'tunnel.example:80',
      ]) {
        expect((await proxied.call('GET', '/endpoints', { headers: { host } })).status, host).toBe(403);
      }
      // the page a TLS-terminating proxy served calls back with an https Origin of that name
      const viaTls = await proxied.call('GET', '/endpoints', {
        headers: { host: 'hookbench.internal', origin: 'https://hookbench.internal' },
      });
      expect(viaTls.status).toBe(200);
      const foreign = await proxied.call('GET', '/endpoints', {
        headers: { host: 'hookbench.internal', origin: 'https://evil.example' },
      });
      expect(foreign.status).toBe(403);
    } finally {
      await proxied.close();
    }
  });

  it('sends no CORS headers, not even to a preflight', async () => {
    const pre = await raw('/api/v1/endpoints', {
      method: 'OPTIONS',
      headers: { origin: `http://127.0.0.1:${api.port}`, 'access-control-request-method': 'POST' },
    });
    await pre.body.text();
    expect(pre.statusCode).toBeGreaterThanOrEqual(400);
    for (const res of [pre, await raw('/api/v1/health')]) {
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
  });
});

describe('bad requests', () => {
  it('reads a limit only as a whole number (JSON) or its digits (query): nothing Number() would stretch', async () => {
    // an engine of its own: the events fired here must not show in the other tests' lists
    const own = await startApi();
    try {
      await limitChecks(own);
    } finally {
      await own.close();
    }
  });

  it('answers an unknown route under /api with a JSON 404', async () => {
    for (const [method, path] of [
      ['GET', '/nothing'],
      ['POST', '/endpoints/x/explode'],
      ['GET', '/endpoints/x/y/z'],
    ] as const) {
      const res = await api.call(method, path, { body: method === 'GET' ? undefined : {} });
      expect(res.status, path).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.error.code).toBe('not_found');
    }
    const rpc = await api.call('POST', '/rpc/no.such', { body: {} });
    expect(rpc.status).toBe(404);
  });

  it('answers a known path with a method it does not take with a JSON 405 and the methods it does take', async () => {
    const before = await api.call('GET', '/endpoints');
    for (const [method, path, allow] of [
      ['PUT', '/endpoints', 'GET, HEAD, POST'],
      ['POST', '/endpoints/some-id', 'DELETE, GET, HEAD, PATCH'],
      ['GET', '/endpoints/some-id/enable', 'POST'],
      ['DELETE', '/settings', 'GET, HEAD, PATCH'],
      ['GET', '/rpc/endpoints.list', 'POST'],
      ['POST', '/openapi.json', 'GET, HEAD'],
    ] as const) {
      const res = await api.call(method, path, { body: method === 'GET' ? undefined : {} });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.allow, `${method} ${path}`).toBe(allow);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.error).toEqual({
        code: 'method_not_allowed',
        message: `${method} is not allowed on /api/v1${path} (allowed: ${allow})`,
      });
    }
    // nothing was written
    expect((await api.call('GET', '/endpoints')).body).toEqual(before.body);
  });

  it('refuses a body over 1 MiB with a JSON 413, with or without Content-Length', async () => {
    const big = JSON.stringify({ type: 'a.b', data: 'x'.repeat(1024 * 1024) });
    const res = await api.call('POST', '/events', { rawBody: big, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    // no Content-Length: the limit must hold while streaming
    const chunks = Readable.from(
      (function* () {
        for (let i = 0; i < 20; i++) yield Buffer.alloc(64 * 1024, 'x');
      })(),
    );
    const chunked = await raw('/api/v1/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: chunks,
    });
    expect(chunked.statusCode).toBe(413);
    expect(((await chunked.body.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    expect((await api.call('GET', '/events')).body.data).toHaveLength(0);
  });

  it('answers malformed JSON and non-object bodies with a 400, never a 500 or a stack', async () => {
    for (const rawBody of ['{"type":', 'null', '[1,2]', '"text"', '\u0000']) {
      const res = await api.call('POST', '/endpoints', { rawBody, headers: { 'content-type': 'application/json' } });
      expect(res.status, rawBody).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
      expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
    }
  });

  it('answers what the HTTP parser itself refuses (huge headers, garbage) with the JSON error shape', async () => {
    const { port } = new URL(api.url);
    const exchange = (bytes: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1');
        let out = '';
        socket.on('data', (d) => {
          out += d.toString('latin1');
        });
        socket.on('end', () => resolve(out));
        socket.on('error', reject);
        socket.write(bytes);
      });
    const huge = await exchange(
      `GET /api/v1/health HTTP/1.1\r\nHost: ${new URL(api.url).host}\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`,
    );
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(huge.slice(huge.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: { code: 'invalid_input' } });
    const garbage = await exchange('NOT-HTTP \u0001\u0002\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4)).error.message).toBe('Malformed HTTP request');
  });
});

describe('static UI', () => {
  it('serves the built UI without a token, with a strict CSP', async () => {
    const res = await raw('/');
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toContain('Hookbench UI');
    expect(res.headers['content-security-policy']).toBe(CSP);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const asset = await raw('/assets/app.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    await asset.body.text();
  });

  it('falls back to the app shell for client routes, 404s missing assets and refuses traversal', async () => {
    const route = await raw('/deliveries/abc');
    expect(route.statusCode).toBe(200);
    expect(await route.body.text()).toContain('Hookbench UI');
    const missing = await raw('/assets/missing.js');
    await missing.body.text();
    expect(missing.statusCode).toBe(404);
    for (const path of ['/..%2f..%2fetc%2fpasswd', '/assets/..%2f..%2fhookbench.db']) {
      const res = await raw(path);
      const text = await res.body.text();
      expect(text).not.toContain('root:');
      expect(text).not.toContain('SQLite');
    }
  });

  it('says how to build the UI when it is not built', async () => {
    const bare = await startApi({ uiDir: join(uiDir, 'nope') });
    try {
      const res = await request(`${bare.url}/`);
      expect(res.statusCode).toBe(503);
      expect(await res.body.text()).toContain('npm run build');
      expect(res.headers['content-security-policy']).toBe(CSP);
    } finally {
      await bare.close();
    }
  });
});

describe('the Host policy', () => {
  const names = ['vm', '192.0.2.2', '[fd00::2]'];

  it("accepts this machine's addresses and name when bound to a wildcard, only with its port", () => {
    for (const bound of ['0.0.0.0', '::']) {
      const isOurs = hostPolicy({ port: () => 7777, boundHost: bound, localNames: () => names });
      for (const host of ['192.0.2.2:7777', 'vm:7777', '[fd00::2]:7777', '127.0.0.1:7777', 'localhost:7777']) {
        expect(isOurs(host), `${bound} ${host}`).toBe(true);
      }
      for (const host of [
        '192.0.2.2:7778',
        '192.0.2.2',
        'evil.example:7777',
        'vm.evil.example:7777',
        '192.0.2.3:7777',
      ]) {
        expect(isOurs(host), `${bound} ${host}`).toBe(false);
      }
    }
  });

  it('accepts none of them when bound to loopback or one address', () => {
    const loopback = hostPolicy({ port: () => 7777, boundHost: '127.0.0.1', localNames: () => names });
    expect(loopback('192.0.2.2:7777')).toBe(false);
    expect(loopback('vm:7777')).toBe(false);
    const one = hostPolicy({ port: () => 7777, boundHost: '192.0.2.2', localNames: () => names });
    expect(one('192.0.2.2:7777')).toBe(true);
    expect(one('vm:7777')).toBe(false);
  });

  it('looks at the interfaces again when an address it did not know arrives, at most every 5 s', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const now = [...names];
      const isOurs = hostPolicy({ port: () => 7777, boundHost: '0.0.0.0', localNames: () => now });
      expect(isOurs('192.0.2.2:7777')).toBe(true);
      now.push('198.51.100.7'); // a new address (DHCP, a VPN coming up)
      expect(isOurs('198.51.100.7:7777')).toBe(false);
      vi.advanceTimersByTime(5_001);
      expect(isOurs('198.51.100.7:7777')).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it("lists this machine's addresses the way Host names them", () => {
    const local = localHostNames();
    expect(local).toContain('127.0.0.1');
    expect(local).toContain(hostname().toLowerCase());
    for (const n of local) expect(splitHostHeader(`${n}:1`), n).toEqual({ name: n, port: 1 });
  });
});

/** The limit checks, against `api` with no events yet. */
async function limitChecks(api: Api): Promise<void> {
  for (let i = 0; i < 3; i++) await api.call('POST', '/events', { body: { type: 'limit.check', data: { i } } });
  const list = (path: string) => api.call('GET', path);
  expect((await list('/events?type=limit.check&limit=2')).body.data).toHaveLength(2);
  expect((await list('/events?type=limit.check')).body.data).toHaveLength(3);
  for (const [query, got] of [
    ['abc', '"abc"'],
    ['0x2', '"0x2"'],
    ['1e1', '"1e1"'],
    ['2.5', '"2.5"'],
    ['0', '0'],
    ['501', '501'],
  ]) {
    const res = await list(`/events?type=limit.check&limit=${query}`);
    expect(res.status, query).toBe(400);
    expect(res.body.error.message, query).toBe(
      `Invalid input at limit: must be a whole number from 1 to 500, got ${got}`,
    );
  }
  // a repeated key is two values, not one number
  const twice = await list('/events?type=limit.check&limit=1&limit=2');
  expect(twice.body.error.message).toBe('Invalid input at limit: must be a whole number from 1 to 500, got ["1","2"]');
  // JSON (RPC): a number, or its digits; not true (which coercion read as 1) nor [2]
  const rpc = (limit: unknown) => api.call('POST', '/rpc/events.list', { body: { type: 'limit.check', limit } });
  expect((await rpc(1)).body.data).toHaveLength(1);
  expect((await rpc('2')).body.data).toHaveLength(2);
  for (const bad of [true, [2], null, ' 2 ']) {
    const res = await rpc(bad);
    expect(res.status, JSON.stringify(bad)).toBe(400);
    expect(res.body.error.message).toContain('limit: must be a whole number from 1 to 500, got ');
  }
}
