// `Copy as curl`: a command that replays a request byte for byte from a POSIX shell (bash, zsh, sh).
import { shellQuote } from '@shared';

export interface CurlRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

// curl computes these from the URL and the body; replaying recorded values could contradict them.
const DERIVED_HEADERS = new Set(['content-length', 'host', 'transfer-encoding', 'connection']);

/**
 * The curl command for a request. Headers keep their order and case; `--data-binary` sends the body
 * unchanged (no newline stripping, unlike `-d`). A body starting with `@` would make curl read a file,
 * so it goes through `--data-raw`, which sends the same bytes without that interpretation.
 */
export function buildCurl(req: CurlRequest): string {
  const method = req.method.toUpperCase();
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const parts = [
    method === 'POST' && hasBody ? `curl ${shellQuote(req.url)}` : `curl -X ${method} ${shellQuote(req.url)}`,
  ];
  for (const [name, value] of Object.entries(req.headers)) {
    if (DERIVED_HEADERS.has(name.toLowerCase())) continue;
    // `-H 'Name:'` would remove the header; `Name;` is curl's spelling of an empty value.
    parts.push(`-H ${shellQuote(value === '' ? `${name};` : `${name}: ${value}`)}`);
  }
  if (hasBody) parts.push(`${req.body.startsWith('@') ? '--data-raw' : '--data-binary'} ${shellQuote(req.body)}`);
  return parts.join(' \\\n  ');
}
