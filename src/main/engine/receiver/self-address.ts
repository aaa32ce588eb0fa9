// This machine's names, and whether a forwarding URL leads back to the receiver that captured the request: forwarding
// there captures each forwarded request again and forwards it again, without end (an inbox live-forwarding to its own
// URL made ~1,650 requests a second until it was stopped). Live forwarding and `listen --forward-to` refuse such a
// URL; the HTTP API's Host check (transports/http/security.ts) accepts these names for a wildcard bind.
import { hostname, networkInterfaces } from 'node:os';

/** This machine's host name and interface addresses, lowercase, IPv6 in brackets without a zone, as Host names them. */
export function localHostNames(): string[] {
  const out = [hostname().toLowerCase()];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? [])
      out.push(a.family === 'IPv6' ? `[${a.address.split('%')[0]?.toLowerCase()}]` : a.address);
  }
  return out;
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);
/** Whether a bound host is every interface of this machine (`0.0.0.0`, `::`). */
export const isWildcardHost = (host: string): boolean => WILDCARD_HOSTS.has(host);

/**
 * The host a client on this machine connects to for a server bound to `bound`: a wildcard's loopback (0.0.0.0 is no
 * address to connect to everywhere: Windows refuses it), else the bound host. What serve's `Open` line and the inbox
 * receiver's URL name.
 */
export function connectHost(bound: string): string {
  if (!isWildcardHost(bound)) return bound;
  return bound === '0.0.0.0' ? '127.0.0.1' : '::1';
}

/** A URL's host (as URL.hostname gives it: IPv6 in brackets) that is this machine: loopback, the wildcard, or its names. */
function isThisMachine(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host)) return true;
  if (host === '[::1]' || isWildcardHost(host)) return true;
  return localHostNames().includes(host);
}

const portOf = (u: URL) => Number(u.port || (u.protocol === 'https:' ? 443 : 80));

/** Whether `url` reaches the receiver listening at `receiverUrl` (the same port, on this machine). */
export function reachesReceiver(url: string, receiverUrl: string): boolean {
  let target: URL;
  let self: URL;
  try {
    target = new URL(url);
    self = new URL(receiverUrl);
  } catch {
    return false;
  }
  if (portOf(target) !== portOf(self)) return false;
  return isThisMachine(target.hostname.toLowerCase());
}
