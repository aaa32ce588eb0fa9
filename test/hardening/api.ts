// A real engine behind the real HTTP transport on 127.0.0.1:0, and a raw client for it: the hardening suites
// talk to Hookbench the way an integration test or a hostile caller would.
import { request } from 'undici';
import { createEngine } from '../../src/main/engine';
import type { Engine, EngineOptions } from '../../src/main/engine/types';
import { startHttpServer } from '../../src/main/transports/http';
import { tempDbPath } from '../support/temp';

export const TOKEN = 'hardening-token-0123456789';

export interface RawResponse {
  status: number;
  /** parsed JSON, or undefined when the body is not JSON */
  body: unknown;
  text: string;
}

export interface RawRequest {
  method: string;
  /** path under /api/v1, with its query string */
  path: string;
  /** sent as is */
  body?: string | Buffer;
  headers?: Record<string, string>;
}

/** Sends one request to `baseUrl` with the token; never throws on a status. */
export async function rawCall(baseUrl: string, r: RawRequest): Promise<RawResponse> {
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}`, ...r.headers };
  if (r.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  // A fresh connection per request: a fuzzed request the server answers by closing its socket must not race the
  // next request onto that socket ("other side closed" was the client's reuse, not the server's answer).
  const res = await request(`${baseUrl}/api/v1${r.path}`, {
    method: r.method as 'GET',
    headers,
    body: r.body,
    reset: true,
  });
  const text = await res.body.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = undefined;
  }
  return { status: res.statusCode, body, text };
}

export interface ApiUnderTest {
  url: string;
  engine: Engine;
  dbPath: string;
  call(r: RawRequest): Promise<RawResponse>;
  /** JSON call helper: `json('POST', '/endpoints', {...})` */
  json(method: string, path: string, body?: unknown): Promise<RawResponse>;
  close(): Promise<void>;
}

export async function startApiUnderTest(engineOptions: Partial<EngineOptions> = {}): Promise<ApiUnderTest> {
  const dbPath = engineOptions.dbPath ?? tempDbPath();
  const engine = await createEngine({ inbox: false, ...engineOptions, dbPath });
  const server = await startHttpServer({ engine, token: TOKEN, uiDir: null });
  const call = (r: RawRequest) => rawCall(server.url, r);
  return {
    url: server.url,
    engine,
    dbPath,
    call,
    json: (method, path, body) => call({ method, path, body: body === undefined ? undefined : JSON.stringify(body) }),
    async close() {
      await server.close();
      await engine.stop();
    },
  };
}
