// Credentials ride in webhook URLs (`https://user:pass@host/…`, `?token=…`, Slack-style paths aside): anything that
// shows a URL where it may be kept or forwarded (logs, desktop notifications, operational events) shows it through
// here. The API still returns the stored URL to its owner, behind the token.

const URL_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*@)?([^?#]*)(\?[^#]*)?(#.*)?$/;
const MASK = '***';

/**
 * `https://user:pw@host/path?token=abc&x=1#frag` -> `https://***@host/path?token=***&x=***#***`: userinfo and
 * every query value (a bare query item too) masked, names kept so the line stays useful.
 */
export function redactUrl(url: string): string {
  const m = URL_PARTS.exec(url);
  if (!m) return url;
  const [, scheme, userinfo, rest, query, fragment] = m;
  let out = `${scheme}${userinfo ? `${MASK}@` : ''}${rest}`;
  if (query !== undefined) {
    const items = query
      .slice(1)
      .split('&')
      .map((item) => {
        if (item === '') return item;
        const eq = item.indexOf('=');
        return eq === -1 ? MASK : `${item.slice(0, eq)}=${MASK}`;
      });
    out += `?${items.join('&')}`;
  }
  if (fragment !== undefined && fragment.length > 1) out += `#${MASK}`;
  return out;
}

/**
 * A URL as shown on screen to its owner: `https://alice:s3cret@host/x` -> `https://alice:•••@host/x` (the password
 * is sent as Basic auth; the screen need not show it). Everything else as stored; copy buttons copy the whole URL.
 */
export function hideUrlPassword(url: string): string {
  const m = URL_PARTS.exec(url);
  const userinfo = m?.[2];
  if (!m || !userinfo) return url;
  const colon = userinfo.indexOf(':');
  if (colon === -1 || colon === userinfo.length - 2) return url; // no password (`user@`, `user:@`)
  return `${m[1]}${userinfo.slice(0, colon)}:•••@${url.slice((m[1] as string).length + userinfo.length)}`;
}

/** Header names whose values are credentials: masked on screen until revealed. */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie)$|token|secret|passw|api-?key|auth/i;

export const isSecretHeader = (name: string): boolean => SECRET_HEADER.test(name);

/** `Bearer abc123` -> `Bearer •••`, `abc123` -> `•••`: the scheme word kept, the credential hidden. */
export function hideHeaderValue(value: string): string {
  const m = /^([A-Za-z][A-Za-z0-9-]*) +\S/.exec(value);
  return m ? `${m[1]} •••` : '•••';
}

const URL_IN_TEXT = /\b[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s"'<>`]+/g;

/** Every URL inside free text (an error message, a log line) redacted. */
export function redactUrlsIn(text: string): string {
  return text.includes('://') ? text.replace(URL_IN_TEXT, (u) => redactUrl(u)) : text;
}

/** Log fields with every string (nested in arrays and objects, a few levels deep) passed through redactUrlsIn. */
export function redactFields<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return redactUrlsIn(value) as T;
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactFields(v, depth + 1)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactFields(v, depth + 1);
  return out as T;
}
