// The HTTP transport as a Hono app: guards, the REST + RPC routes from the contract table, the SSE stream, the
// OpenAPI document and the static UI. `server.ts` binds it to a socket.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { API_PREFIX, OPENAPI_PATH, STREAM_PATH } from '../../../shared';
import type { Engine, Logger } from '../../engine/types';
import { errorResult } from '../dispatch';
import { buildOpenApi } from '../openapi';
import { defaultEventHubOptions, EventHub, type EventHubOptions } from './event-hub';
import { allowedMethods, mountRest, publicRequests } from './rest';
import { bearerAuth, hostAndOriginGuard, hostPolicy, jsonError, securityHeaders } from './security';
import { mountUi } from './static-ui';

export interface HttpAppOptions {
  /** the engine: its handlers serve the routes, its topics feed the stream */
  engine: Pick<Engine, 'handlers' | 'onAny'>;
  /** the API token, expected as `Authorization: Bearer <token>` */
  token: string;
  /** the port the server listens on; a function because with port 0 it is known only after binding */
  port: number | (() => number);
  /**
   * the host the server is bound to, accepted in the Host header besides 127.0.0.1, localhost and [::1]; a wildcard
   * (`0.0.0.0`, `::`) accepts this machine's addresses and name
   */
  host?: string;
  /** names a proxy, load balancer or tunnel sends in Host, accepted with any port (`name:port`: that port only) */
  allowedHosts?: readonly string[];
  /** directory of the built renderer; null or a directory without index.html serves the "not built" page */
  uiDir?: string | null;
  /** request body limit in bytes (default 1 MiB) */
  bodyLimit?: number;
  /** SSE tuning; tests shorten the intervals */
  stream?: Partial<EventHubOptions>;
  log?: Logger;
}

export interface HttpApp {
  readonly app: Hono;
  readonly fetch: Hono['fetch'];
  /** ends open SSE streams (they would otherwise keep the server from closing) */
  close(): void;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export function createHttpApp(opts: HttpAppOptions): HttpApp {
  const { engine, log } = opts;
  const port = typeof opts.port === 'function' ? opts.port : () => opts.port as number;
  const isOurs = hostPolicy({ port, boundHost: opts.host, allowedHosts: opts.allowedHosts });
  const publicSet = publicRequests();
  const hub = new EventHub((fn) => engine.onAny(fn), { ...defaultEventHubOptions, ...opts.stream }, log);
  let openapi: unknown = null;

  const app = new Hono();
  app.use('*', securityHeaders());
  app.use('*', hostAndOriginGuard(isOurs));
  app.use(
    `${API_PREFIX}/*`,
    bearerAuth(opts.token, (c) => publicSet.has(`${c.req.method === 'HEAD' ? 'GET' : c.req.method} ${c.req.path}`)),
  );
  app.use(
    `${API_PREFIX}/*`,
    bodyLimit({
      maxSize: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
      onError: (c) => {
        // The rest of the body is never read, so this connection cannot carry another request.
        c.header('Connection', 'close');
        return jsonError(
          c,
          'payload_too_large',
          `The request body exceeds ${opts.bodyLimit ?? DEFAULT_BODY_LIMIT} bytes`,
        );
      },
    }),
  );

  app.get(OPENAPI_PATH, (c) => {
    openapi ??= buildOpenApi();
    return c.json(openapi as object);
  });
  app.get(STREAM_PATH, (c) => {
    const client = hub.connect();
    c.req.raw.signal.addEventListener('abort', () => client.close(), { once: true });
    return c.body(client.stream, 200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
      // A stream's connection is never reused; closing it with the stream lets a stopping server finish at once.
      Connection: 'close',
    });
  });
  mountRest(app, engine.handlers);
  app.all(`${API_PREFIX}/*`, (c) => {
    const allow = allowedMethods(c.req.path);
    if (allow.length === 0) return jsonError(c, 'not_found', `No route ${c.req.method} ${c.req.path}`);
    c.header('Allow', allow.join(', '));
    return jsonError(
      c,
      'method_not_allowed',
      `${c.req.method} is not allowed on ${c.req.path} (allowed: ${allow.join(', ')})`,
    );
  });
  mountUi(app, opts.uiDir ?? null);

  app.notFound((c) => jsonError(c, 'not_found', `Not found: ${c.req.path}`));
  app.onError((err, c) => {
    const { status, body } = errorResult(err, log, `${c.req.method} ${c.req.path}`);
    // the database is out of reach for now: a client or load balancer may try again shortly
    if (body.code === 'unavailable') c.header('Retry-After', '5');
    return c.json({ error: body }, status as 400);
  });

  return { app, fetch: app.fetch, close: () => hub.close() };
}
