// Test harness for the HTTP transport: a real engine on a temp SQLite file behind a real server on 127.0.0.1:0,
// a real receiver whose answers a test scripts, and a small undici-based API client.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { createEngine } from '../../../src/main/engine';
import type { Engine } from '../../../src/main/engine/types';
import { type HttpServerOptions, startHttpServer } from '../../../src/main/transports/http';

export const TOKEN = 'test-token-0123456789abcdef';

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response fields freely; shapes are checked separately
  body: any;
  text: string;
}

export interface CallOptions {
  body?: unknown;
  /** sent as is (for malformed JSON) */
  rawBody?: string;
  headers?: Record<string, string>;
  /** null: no Authorization header */
  token?: string | null;
}

export interface Api {
  url: string;
  port: number;
  engine: Engine;
  dir: string;
  call(method: string, path: string, opts?: CallOptions): Promise<ApiResponse>;
  close(): Promise<void>;
}

export function tempDir(prefix = 'hookbench-http-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function callApi(baseUrl: string, method: string, path: string, opts: CallOptions = {}): Promise<ApiResponse> {
  const token = opts.token === undefined ? TOKEN : opts.token;
  const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}) };
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  Object.assign(headers, opts.headers);
  const res = await request(`${baseUrl}/api/v1${path}`, { method: method as 'GET', headers, body });
  const text = await res.body.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = undefined;
  }
  return { status: res.statusCode, headers: res.headers, body: parsed, text };
}

/** A real engine and HTTP server; `close` stops both and removes the database. */
export async function startApi(overrides: Partial<HttpServerOptions> = {}): Promise<Api> {
  const dir = tempDir();
  const engine = await createEngine({ dbPath: join(dir, 'hookbench.db'), inbox: false });
  const server = await startHttpServer({ engine, token: TOKEN, uiDir: null, stream: { coalesceMs: 20 }, ...overrides });
  return {
    url: server.url,
    port: server.port,
    engine,
    dir,
    call: (method, path, opts) => callApi(server.url, method, path, opts),
    close: async () => {
      await server.close();
      await engine.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver; `respond` decides each answer (default 200). */
export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  respond: (req: ReceivedRequest, index: number) => number | { status: number; delayMs?: number };
  close(): Promise<void>;
}

export async function startReceiver(respond: Receiver['respond'] = () => 200): Promise<Receiver> {
  const receiver: Receiver = { url: '', requests: [], respond, close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const index = receiver.requests.push(got) - 1;
      const answer = receiver.respond(got, index);
      const { status, delayMs = 0 } = typeof answer === 'number' ? { status: answer } : answer;
      const send = () => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ received: index }));
      };
      if (delayMs > 0) setTimeout(send, delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

/** Polls `check` until it returns a truthy value (bounded; generous for a loaded machine). */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A retry policy fast enough for tests, set over HTTP. */
export const FAST_RETRY = { initialDelayMs: 50, multiplier: 1, maxDelayMs: 100, maxAttempts: 5, jitter: 0 };
