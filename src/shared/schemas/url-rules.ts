// Link-local and cloud metadata addresses are refused as webhook targets unless settings.allowLinkLocal: a
// workbench that POSTs wherever it is told would otherwise hand a metadata service's credentials to whoever can
// configure an endpoint. Loopback and private addresses stay allowed: local services are the point of Hookbench.
// This checks what the URL says; a host name that resolves to such an address is refused when a request is sent
// (the engine's HTTP client looks up names through guardedLookup, engine/http/client.ts).

const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);

function ipv4LinkLocal(host: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  return m !== null && m[1] === '169' && m[2] === '254';
}

function ipv6Blocked(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (!h.includes(':')) return false;
  // fe80::/10 link-local; AWS's IPv6 metadata address; IPv4-mapped 169.254.x.x (URL writes it as ::ffff:a9fe:xxxx)
  if (/^fe[89ab][0-9a-f]:/.test(h)) return true;
  if (h === 'fd00:ec2::254') return true;
  return /^::ffff:a9fe:[0-9a-f]{1,4}$/.test(h) || /^::ffff:169\.254\./.test(h);
}

/** Why the URL's host is a link-local or metadata address, or null. The URL has been validated as http(s). */
export function linkLocalReason(url: string): string | null {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return null;
  }
  if (ipv4LinkLocal(host) || ipv6Blocked(host) || METADATA_NAMES.has(host)) {
    return `${host} is a link-local or cloud metadata address; allow it with settings.allowLinkLocal`;
  }
  return null;
}
