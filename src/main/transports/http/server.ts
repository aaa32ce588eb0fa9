// Binds the Hono app to a Node HTTP server and closes it cleanly (SSE streams included).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { serve } from '@hono/node-server';
import { createHttpApp, type HttpAppOptions } from './app';

export interface HttpServerOptions extends Omit<HttpAppOptions, 'port' | 'host'> {
  /** interface to bind (default 127.0.0.1) */
  host?: string;
  /** port to bind; 0 picks a free one (default 0) */
  port?: number;
}

export interface HttpServer {
  /** `http://HOST:PORT` with the actual port */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** stops accepting, ends SSE streams and open connections; resolves when the socket is closed */
  close(): Promise<void>;
}

/** `::1` -> `[::1]` for URLs and Host headers. */
export const urlHost = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  const host = opts.host ?? '127.0.0.1';
  let server: Server | null = null;
  // The port is read once, when listening: after close() starts, address() is null, and requests still arriving
  // on open keep-alive connections must not be judged against port 0 (they would get 403 "Host not allowed").
  let listeningPort: number | null = null;
  const boundPort = () => listeningPort ?? opts.port ?? 0;
  const http = createHttpApp({ ...opts, host, port: boundPort });

  await new Promise<void>((resolve, reject) => {
    const s = serve({ fetch: http.fetch, hostname: host, port: opts.port ?? 0 }) as Server;
    server = s;
    s.once('error', reject);
    s.once('listening', () => {
      listeningPort = (s.address() as AddressInfo).port;
      s.off('error', reject);
      resolve();
    });
  }).catch((err) => {
    http.close();
    throw err;
  });
  const s = server as unknown as Server;
  // Slow-loris guard; SSE streams are long-lived responses, which these timeouts do not cut.
  s.headersTimeout = 20_000;
  s.on('clientError', answerClientError);
  s.requestTimeout = 60_000;
  const port = boundPort();
  let closing: Promise<void> | null = null;

  return {
    url: `http://${urlHost(host)}:${port}`,
    host,
    port,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        http.close();
        // Keep-alive connections become idle as their last response ends; close them as they do.
        const idle = setInterval(() => s.closeIdleConnections(), 50);
        // Connections still busy (a slow request) are cut after a short grace period.
        const cut = setTimeout(() => s.closeAllConnections(), 2_000);
        s.close(() => {
          clearInterval(idle);
          clearTimeout(cut);
          resolve();
        });
        s.closeIdleConnections();
      });
      return closing;
    },
  };
}

/**
 * Requests Node's parser rejects before any handler runs (oversized headers, malformed HTTP) still get the
 * API's JSON error shape instead of Node's empty default; sockets that merely broke are dropped.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
  const body = JSON.stringify({
    error: { code: 'invalid_input', message: tooLarge ? 'Request headers are too large' : 'Malformed HTTP request' },
  });
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
