// Guards in front of every request: Host (DNS rebinding), Origin (cross-site calls), the bearer token, and
// response headers. There are deliberately no CORS headers: only the page we serve ourselves may call the API.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { ErrorCode } from '../../../shared';
import { httpStatusOf } from '../../../shared';
import { isWildcardHost, localHostNames } from '../../engine/receiver/self-address';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Sends the contract's error shape; the only way this transport answers an error. */
export function jsonError(c: Context, code: ErrorCode, message: string): Response {
  return c.json({ error: { code, message } }, httpStatusOf[code] as 400);
}

/** Whether a Host header's value (`name[:port]`, lowercased) names this server. */
export type HostCheck = (host: string) => boolean;

export interface HostPolicyOptions {
  /** the port the server listens on (with port 0, known only after binding) */
  port: () => number;
  /** the host the server is bound to; a wildcard (`0.0.0.0`, `::`) is reached by this machine's addresses and name */
  boundHost?: string;
  /**
   * Names a reverse proxy, load balancer or tunnel puts in Host (`hookbench.example.com`): accepted with any port or
   * none, since such a name is not one a DNS-rebinding page can send; `name:port` only with that port.
   */
  allowedHosts?: readonly string[];
  /** this machine's addresses and host name, as Host names them (tests give their own) */
  localNames?: () => string[];
}

/** A wildcard server's refused Host makes it look at its interfaces again, at most this often (addresses change). */
const LOCAL_NAMES_REFRESH_MS = 5_000;

/** `name[:port]` split; null for a value no Host header holds. */
export function splitHostHeader(host: string): { name: string; port: number | null } | null {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(host);
  if (!m?.[1]) return null;
  return { name: m[1], port: m[2] === undefined ? null : Number(m[2]) };
}

/**
 * The Host values this server answers: the loopback names and the bound host with the port it listens on (a wildcard
 * bind: this machine's addresses and name too), and the allowed names. Anything else is a DNS-rebinding page's name.
 */
export function hostPolicy(opts: HostPolicyOptions): HostCheck {
  const wildcard = opts.boundHost !== undefined && isWildcardHost(opts.boundHost);
  const localNames = opts.localNames ?? localHostNames;
  const anyPort = new Set<string>();
  const exactExtra = new Set<string>();
  for (const h of opts.allowedHosts ?? []) {
    const lower = h.toLowerCase();
    (splitHostHeader(lower)?.port === null ? anyPort : exactExtra).add(lower);
  }
  let builtFor = -1;
  let builtAt = 0;
  let exact = new Set<string>();
  const build = (port: number) => {
    const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
    const bound = opts.boundHost;
    if (bound) names.add(bound.includes(':') && !bound.startsWith('[') ? `[${bound}]` : bound);
    if (wildcard) for (const n of localNames()) names.add(n);
    exact = new Set();
    for (const name of names) {
      const lower = name.toLowerCase();
      exact.add(`${lower}:${port}`);
      // Browsers omit the default port from Host.
      if (port === 80) exact.add(lower);
    }
    builtFor = port;
    builtAt = performance.now();
  };
  return (host) => {
    const port = opts.port();
    if (port !== builtFor) build(port);
    if (exact.has(host) || exactExtra.has(host)) return true;
    const split = splitHostHeader(host);
    if (split && anyPort.has(split.name)) return true;
    if (wildcard && performance.now() - builtAt > LOCAL_NAMES_REFRESH_MS) {
      build(port);
      return exact.has(host);
    }
    return false;
  };
}

/**
 * Rejects a Host that is not ours: a DNS-rebinding page resolves its own name to 127.0.0.1, so its requests
 * arrive here with its name in Host. Also rejects an Origin other than our own (a cross-site fetch or form).
 */
export function hostAndOriginGuard(isOurs: HostCheck): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header('host')?.toLowerCase();
    if (!host || !isOurs(host)) return jsonError(c, 'forbidden', 'Host not allowed');
    const origin = c.req.header('origin');
    if (origin !== undefined && !isOwnOrigin(origin, isOurs))
      return jsonError(c, 'forbidden', 'Cross-origin request refused');
    await next();
  };
}

/** An Origin of a page this server (or a TLS-terminating proxy in front of it, hence https) served. */
function isOwnOrigin(origin: string, isOurs: HostCheck): boolean {
  const m = /^https?:\/\/([^/]+)$/i.exec(origin);
  return !!m?.[1] && isOurs(m[1].toLowerCase());
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * Bearer token check. Both sides are hashed first so that timingSafeEqual compares equal-length buffers and
 * neither the token's content nor its length leaks through timing.
 */
export function bearerAuth(token: string, isPublic: (c: Context) => boolean): MiddlewareHandler {
  const expected = digest(token);
  return async (c, next) => {
    if (isPublic(c)) return next();
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (!m?.[1] || !timingSafeEqual(digest(m[1]), expected)) {
      c.header('WWW-Authenticate', 'Bearer realm="hookbench"');
      return jsonError(c, 'unauthorized', 'Missing or wrong API token (Authorization: Bearer <token>)');
    }
    await next();
  };
}

/** Headers on every response; the CSP only on HTML (it governs documents, not JSON). */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    c.res.headers.set('Referrer-Policy', 'no-referrer');
    if (c.res.headers.get('content-type')?.startsWith('text/html')) {
      c.res.headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      c.res.headers.set('X-Frame-Options', 'DENY');
    }
    if (c.req.path.startsWith('/api/')) c.res.headers.set('Cache-Control', 'no-store');
  };
}
