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

/**
 * A URL's host as the address it connects to: a fully qualified name's final dot dropped (`localhost.`), an
 * IPv4-mapped IPv6 address (`[::ffff:127.0.0.1]`, which URL writes `[::ffff:7f00:1]`) as its IPv4 address.
 */
function connectsTo(hostname: string): string {
  const host = hostname.toLowerCase().replace(/\.+$/, '');
  const mapped = /^\[::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})\]$/.exec(host);
  if (!mapped) return host;
  const hi = Number.parseInt(mapped[1] as string, 16);
  const lo = Number.parseInt(mapped[2] as string, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** A URL's host (as URL.hostname gives it: IPv6 in brackets) that is this machine: loopback, the wildcard, or its names. */
function isThisMachine(hostname: string): boolean {
  const host = connectsTo(hostname);
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
  return isThisMachine(target.hostname);
}
