import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getScheme } from '../../../src/main/engine/signing';
import type { SignInput } from '../../../src/main/engine/signing/types';

const scheme = getScheme('shopify');
const body = JSON.stringify({ id: 5823047162031, name: '#1001', total_price: '59.98' });

/** Shopify's documented check: base64 of HMAC-SHA256 over the raw body with the app's client secret. */
function shopifyDocumentedHmac(secret: string, raw: string): string {
  return createHmac('sha256', secret).update(raw, 'utf8').digest('base64');
}

function input(over: Partial<SignInput> = {}): SignInput {
  return {
    msgId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    timestamp: 1_718_878_521,
    body,
    secrets: [scheme.generateSecret()],
    eventType: 'orders/create',
    endpointId: 'ep_shop',
    ...over,
  };
}

describe('shopify scheme', () => {
  it('signs with the documented algorithm and sends the Shopify headers', () => {
    const i = input();
    const h = scheme.sign(i);
    expect(h['X-Shopify-Hmac-Sha256']).toBe(shopifyDocumentedHmac(i.secrets[0] as string, body));
    expect(h['X-Shopify-Topic']).toBe('orders/create');
    expect(h['X-Shopify-Webhook-Id']).toBe(i.msgId);
    expect(h['X-Shopify-Triggered-At']).toBe('2024-06-20T10:15:21.000Z');
    expect(h['X-Shopify-Shop-Domain']).toMatch(/\.myshopify\.com$/);
    expect(h['X-Shopify-API-Version']).toMatch(/^\d{4}-\d{2}$/);
  });

  it('verifies a signature computed by the documented algorithm, and round-trips', () => {
    const secret = scheme.generateSecret();
    const headers = { 'x-shopify-hmac-sha256': shopifyDocumentedHmac(secret, body) };
    expect(scheme.verify({ headers, body, secret, now: 0 })).toEqual({ ok: true });
    const own = scheme.sign(input({ secrets: [secret] }))['X-Shopify-Hmac-Sha256'] as string;
    expect(
      scheme.verify({ headers: { 'x-shopify-hmac-sha256': own }, body: Buffer.from(body), secret, now: 0 }).ok,
    ).toBe(true);
  });

  it('rejects a tampered body and a wrong secret', () => {
    const secret = scheme.generateSecret();
    const headers = { 'x-shopify-hmac-sha256': shopifyDocumentedHmac(secret, body) };
    expect(scheme.verify({ headers, body: body.replace('59.98', '59.99'), secret, now: 0 }).ok).toBe(false);
    expect(scheme.verify({ headers, body, secret: scheme.generateSecret(), now: 0 }).ok).toBe(false);
  });

  it('signs with the current secret only during a rotation', () => {
    const [current, previous] = [scheme.generateSecret(), scheme.generateSecret()];
    const sig = scheme.sign(input({ secrets: [current, previous] }))['X-Shopify-Hmac-Sha256'];
    expect(sig).toBe(shopifyDocumentedHmac(current, body));
  });
});
