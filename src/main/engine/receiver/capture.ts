// Reading one request off the wire, defensively: the body is kept up to a cap (its full size is still counted),
// header names are lower-cased and repeated headers joined, so hostile input never costs more than the cap.
import type { IncomingMessage } from 'node:http';

/** What the receiver keeps of one request. */
export interface CapturedRequest {
  method: string;
  /** path with the query string, as sent */
  path: string;
  /** names lower-cased; repeated headers joined with ", " */
  headers: Record<string, string>;
  /** the body bytes, at most the capture cap */
  body: Buffer;
  /** the full body size in bytes, also when it was cut */
  size: number;
  /** the body was longer than the cap */
  truncated: boolean;
  remote: string;
  /** unix milliseconds */
  receivedAt: number;
}

/** 1 MiB: enough for any real webhook (Stripe caps at 256 KiB, GitHub at 25 MiB but rarely past a few KiB). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Past this the connection is dropped instead of drained: nobody sends 64 MiB webhooks on purpose. */
export const HARD_LIMIT_BYTES = 64 * 1024 * 1024;

export function normaliseHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    out[name] = name in out ? `${out[name]}, ${value}` : value;
  }
  return out;
}

/**
 * Reads the body, keeping the first `maxBytes`. Resolves null when the client went away or sent more than
 * HARD_LIMIT_BYTES (the socket is then destroyed).
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<{ body: Buffer; size: number } | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let size = 0;
    let settled = false;
    const settle = (v: { body: Buffer; size: number } | null) => {
      if (settled) return;
      settled = true;
      resolve(v);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > HARD_LIMIT_BYTES) {
        req.destroy();
        settle(null);
        return;
      }
      if (kept < maxBytes) {
        const part = chunk.length <= maxBytes - kept ? chunk : chunk.subarray(0, maxBytes - kept);
        chunks.push(part);
        kept += part.length;
      }
    });
    req.on('end', () => settle({ body: Buffer.concat(chunks, kept), size }));
    req.on('error', () => settle(null));
    req.on('close', () => settle(req.complete ? { body: Buffer.concat(chunks, kept), size } : null));
  });
}

const ID_HEADERS = ['webhook-id', 'svix-id', 'x-github-delivery', 'x-shopify-webhook-id'];

/**
 * The id that stays the same across retries of one webhook, so "fail the first N" counts per webhook:
 * Standard Webhooks' webhook-id, GitHub's delivery id, Shopify's webhook id, or the Stripe event id in the body.
 * Null when the request carries none.
 */
export function webhookIdOf(headers: Record<string, string>, body: Buffer): string | null {
  for (const h of ID_HEADERS) {
    const v = headers[h];
    if (v) return `${h}:${v}`;
  }
  if (headers['stripe-signature'] && body.length > 0 && body.length <= DEFAULT_MAX_BODY_BYTES) {
    try {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      const id = (parsed as { id?: unknown } | null)?.id;
      if (typeof id === 'string' && id.length > 0 && id.length <= 256) return `stripe:${id}`;
    } catch {
      // not JSON: no id; the request is still captured as bytes
    }
  }
  return null;
}
