// Whether a forwarding URL leads back to the receiver that captured the request: forwarding there captures each
// forwarded request again and forwards it again, without end (an inbox live-forwarding to its own URL made ~1,650
// requests a second until it was stopped). Live forwarding and `listen --forward-to` refuse such a URL.
import { hostname, networkInterfaces } from 'node:os';

const portOf = (u: URL) => Number(u.port || (u.protocol === 'https:' ? 443 : 80));

/** A host name or address that is this machine: loopback, the wildcard, its name, or an address of its interfaces. */
function isThisMachine(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host)) return true;
  if (host === '::1' || host === '0.0.0.0' || host === '::' || host === hostname().toLowerCase()) return true;
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.address.toLowerCase() === host) return true;
  }
  return false;
}

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
  return isThisMachine(target.hostname.replace(/^\[|\]$/g, '').toLowerCase());
}
