// Test harness for the HTTP transport: a real engine on a temp SQLite file behind a real server on 127.0.0.1:0,
// real receivers (test/support), and a small undici-based API client that checks answers against OpenAPI.
import { join } from 'node:path';
import { request } from 'undici';
import { createEngine } from '../../../src/main/engine';
import type { Engine, EngineOptions } from '../../../src/main/engine/types';
import { type HttpServerOptions, startHttpServer } from '../../../src/main/transports/http';
import { type RouteName, routes } from '../../../src/shared';
import { startTestReceiver, type TestReceiver, type TestResponse } from '../../support/receiver';
import { tempDir } from '../../support/temp';
import { waitFor as poll } from '../../support/wait';
import { responseErrors } from './openapi-schema';

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

export async function callApi(
  baseUrl: string,
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<ApiResponse> {
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
export async function startApi(
  overrides: Partial<HttpServerOptions> = {},
  engineOptions: Partial<EngineOptions> = {},
): Promise<Api> {
  const dir = tempDir('hookbench-http-');
  const engine = await createEngine({ dbPath: join(dir, 'hookbench.db'), inbox: false, ...engineOptions });
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
    },
  };
}

export type Receiver = TestReceiver & {
  /** where endpoints point: the receiver's URL with a path */
  hookUrl: string;
};

/** A webhook receiver answering `status(n)` to its n-th request (1-based). */
export async function startReceiver(status: (n: number) => number | TestResponse = () => 200): Promise<Receiver> {
  const r = await startTestReceiver({
    respond: (_req, n) => {
      const s = status(n);
      return typeof s === 'number' ? { status: s } : s;
    },
  });
  return Object.assign(r, { hookUrl: `${r.url}/hook` });
}

/** Polls until `check` gives a value; bounded, and generous for a loaded machine. */
export function waitFor<T>(check: () => T | Promise<T>, message: string, timeoutMs = 20_000) {
  return poll(check, { message, timeoutMs, intervalMs: 40 });
}

/** A retry policy fast enough for tests, set over HTTP. */
export const FAST_RETRY = { initialDelayMs: 50, multiplier: 1, maxDelayMs: 100, maxAttempts: 5, jitter: 0 };

/**
 * Calls a route over its REST path and checks the success status and that the body matches the OpenAPI
 * document's response schema; records the route as covered.
 */
export function routeCaller(api: () => Api, covered: Set<string>) {
  // biome-ignore lint/suspicious/noExplicitAny: see ApiResponse.body
  return async (name: RouteName, method: string, path: string, opts?: CallOptions): Promise<any> => {
    const def = routes[name];
    const expectedPath = def.http.path.replace(/\{[A-Za-z0-9_]+\}/g, '[^/]+');
    if (method !== def.http.method || !new RegExp(`^${expectedPath}(\\?.*)?$`).test(path)) {
      throw new Error(`${method} ${path} is not the REST path of ${name}`);
    }
    const res = await api().call(method, path, opts);
    const status = def.http.status ?? 200;
    if (res.status !== status) throw new Error(`${name}: expected ${status}, got ${res.status}: ${res.text}`);
    const errors = responseErrors(name, status, res.body);
    if (errors.length > 0) throw new Error(`${name}: response outside the OpenAPI schema: ${JSON.stringify(errors)}`);
    covered.add(name);
    return res.body;
  };
}

export interface SseFrame {
  event: string;
  // biome-ignore lint/suspicious/noExplicitAny: payloads are checked by the tests that read them
  data: any;
}

/** Opens `GET /api/v1/stream` and collects frames as they arrive. */
export async function openStream(baseUrl: string, token: string | null = TOKEN) {
  const res = await request(`${baseUrl}/api/v1/stream`, {
    headers: token ? { authorization: `Bearer ${token}`, accept: 'text/event-stream' } : {},
  });
  const frames: SseFrame[] = [];
  let raw = '';
  let buf = '';
  res.body.setEncoding('utf8');
  res.body.on('data', (chunk: string) => {
    raw += chunk;
    buf += chunk;
    let idx = buf.indexOf('\n\n');
    while (idx >= 0) {
      const frame = buf.slice(0, idx);
      buf = buf.slice(idx + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (event && data) frames.push({ event, data: JSON.parse(data) });
      idx = buf.indexOf('\n\n');
    }
  });
  const state = { ended: false, errored: false };
  res.body.on('end', () => {
    state.ended = true;
  });
  res.body.on('error', () => {
    state.errored = true;
  });
  return {
    /** ended: the server finished the response cleanly; errored: the connection was cut */
    state,
    status: res.statusCode,
    headers: res.headers,
    frames,
    raw: () => raw,
    of: (event: string) => frames.filter((f) => f.event === event).map((f) => f.data),
    close: () => res.body.destroy(),
  };
}
