// Guards in front of every request: Host (DNS rebinding), Origin (cross-site calls), the bearer token, and
// response headers. There are deliberately no CORS headers: only the page we serve ourselves may call the API.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { ErrorCode } from '../../../shared';
import { httpStatusOf } from '../../../shared';

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

/** `host:port` values a browser may legitimately put in the Host header when talking to us. */
export function allowedHostHeaders(port: number, boundHost: string | undefined, extra: readonly string[]): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  if (boundHost) names.add(boundHost.includes(':') && !boundHost.startsWith('[') ? `[${boundHost}]` : boundHost);
  const out = new Set<string>();
  for (const name of names) {
    const lower = name.toLowerCase();
    out.add(`${lower}:${port}`);
    // Browsers omit the default port from Host.
    if (port === 80) out.add(lower);
  }
  for (const h of extra) out.add(h.toLowerCase());
  return out;
}

/**
 * Rejects a Host that is not ours: a DNS-rebinding page resolves its own name to 127.0.0.1, so its requests
 * arrive here with its name in Host. Also rejects an Origin other than our own (a cross-site fetch or form).
 */
export function hostAndOriginGuard(allowed: () => Set<string>): MiddlewareHandler {
  return async (c, next) => {
    const hosts = allowed();
    const host = c.req.header('host')?.toLowerCase();
    if (!host || !hosts.has(host)) return jsonError(c, 'forbidden', 'Host not allowed');
    const origin = c.req.header('origin');
    if (origin !== undefined && !isOwnOrigin(origin, hosts))
      return jsonError(c, 'forbidden', 'Cross-origin request refused');
    await next();
  };
}

function isOwnOrigin(origin: string, hosts: Set<string>): boolean {
  const m = /^http:\/\/([^/]+)$/i.exec(origin);
  return !!m?.[1] && hosts.has(m[1].toLowerCase());
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
