// A real HTTP receiver on 127.0.0.1:0 for tests: records every request (raw body, headers) and answers as told.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** path and query */
  path: string;
  headers: IncomingHttpHeaders;
  /** the raw body as received (UTF-8) */
  body: string;
  /** Date.now() when the body was complete */
  receivedAt: number;
}

export interface TestResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** answer after this long (a hang beyond the sender's timeout) */
  delayMs?: number;
}

export interface TestReceiverOptions {
  /** called per request with its 1-based number; default 200 `{"ok":true}` */
  respond?: (req: RecordedRequest, n: number) => TestResponse;
}

export interface TestReceiver {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** closes the server and every open connection (hung ones too) */
  stop(): Promise<void>;
}

export async function startTestReceiver(opts: TestReceiverOptions = {}): Promise<TestReceiver> {
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      };
      requests.push(rec);
      const r = opts.respond?.(rec, requests.length) ?? {};
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(r.status ?? 200, { 'content-type': 'application/json', ...r.headers });
        res.end(r.body ?? '{"ok":true}');
      };
      if (r.delayMs) {
        const t = setTimeout(() => {
          timers.delete(t);
          answer();
        }, r.delayMs);
        timers.add(t);
      } else answer();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    stop: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port with nothing listening on it (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Header values of a recorded request as plain strings (what verifiers take). */
export function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
}
