// Which custom headers an endpoint may set. Framing and hop-by-hop headers belong to the HTTP client (a custom
// `Transfer-Encoding: chunked` made every attempt fail; a custom Host or Content-Length was silently replaced), and
// the headers a signature scheme sets belong to the scheme (a custom one would be overwritten, or worse, forge).
import type { SchemeName } from './endpoint';

const FRAMING = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  // undici sends no request with it (every attempt failed: `expect header not supported`)
  'expect',
]);

/** Host, Content-Length, Transfer-Encoding, Connection, Keep-Alive, Upgrade, TE, Trailer, Expect and every Proxy-*. */
export function isFramingHeader(name: string): boolean {
  const n = name.toLowerCase();
  return FRAMING.has(n) || n.startsWith('proxy-');
}

/** The headers each scheme's signer sets (lower case); test/engine/signing keeps this in step with the signers. */
export const SCHEME_HEADERS: Record<SchemeName, readonly string[]> = {
  standard: ['webhook-id', 'webhook-timestamp', 'webhook-signature'],
  stripe: ['stripe-signature'],
  github: [
    'x-github-event',
    'x-github-delivery',
    'x-github-hook-id',
    'x-github-hook-installation-target-type',
    'x-github-hook-installation-target-id',
    'x-hub-signature-256',
  ],
  shopify: [
    'x-shopify-topic',
    'x-shopify-webhook-id',
    'x-shopify-event-id',
    'x-shopify-triggered-at',
    'x-shopify-shop-domain',
    'x-shopify-api-version',
    'x-shopify-hmac-sha256',
  ],
};

export interface HeaderIssue {
  path: [string, string];
  message: string;
}

/** Why each refused custom header is refused (none: []); `scheme` omitted checks framing headers only. */
export function customHeaderIssues(headers: Record<string, string> | undefined, scheme?: SchemeName): HeaderIssue[] {
  if (!headers) return [];
  const issues: HeaderIssue[] = [];
  for (const name of Object.keys(headers)) {
    if (isFramingHeader(name)) {
      issues.push({ path: ['headers', name], message: `${name} is a framing or hop-by-hop header: Hookbench sets it` });
    } else if (scheme && SCHEME_HEADERS[scheme].includes(name.toLowerCase())) {
      issues.push({ path: ['headers', name], message: `${name} is set by the ${scheme} signature scheme` });
    }
  }
  return issues;
}
