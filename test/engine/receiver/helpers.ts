// Small helpers for the receiver tests: one HTTP call with undici, Standard Webhooks headers, and a bounded wait.
import { request } from 'undici';
import { getScheme } from '../../../src/main/engine/signing';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export async function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; headersTimeout?: number } = {},
): Promise<Reply> {
  const res = await request(url, {
    method: (init.method ?? 'POST') as 'POST',
    headers: init.headers,
    body: init.body,
    headersTimeout: init.headersTimeout,
  });
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
}

/** Standard Webhooks headers for `body`, signed now with `secret` as message `msgId`. */
export function signedStandard(secret: string, body: string, msgId: string): Record<string, string> {
  return getScheme('standard').sign({
    msgId,
    timestamp: Math.floor(Date.now() / 1000),
    body,
    secrets: [secret],
    eventType: 'invoice.paid',
    endpointId: 'ep',
  });
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitUntil<T>(check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error('waitUntil: condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
