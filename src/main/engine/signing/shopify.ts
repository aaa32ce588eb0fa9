// Shopify-style signatures: `X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256(secret, body)>` plus Shopify's
// metadata headers. Like GitHub, no timestamp is signed: receivers dedupe on X-Shopify-Webhook-Id.
import { randomBytes } from 'node:crypto';
import { HookbenchError } from '../../../shared';
import { fail, hmacSha256, OK, requireHeader, safeEqualText } from './hmac';
import type { SignInput, SigningScheme, VerifyInput, VerifyResult } from './types';

export const SHOPIFY_SHOP_DOMAIN = 'hookbench-dev.myshopify.com';
export const SHOPIFY_API_VERSION = '2024-07';

function signature(secret: string, body: string | Uint8Array): string {
  return hmacSha256(secret, body).toString('base64');
}

function sign(input: SignInput): Record<string, string> {
  // An app has one client secret and Shopify sends one HMAC header, so only the current secret signs.
  const current = input.secrets[0];
  if (current === undefined) throw new HookbenchError('invalid_input', 'no secret to sign with');
  return {
    'X-Shopify-Topic': input.eventType,
    'X-Shopify-Webhook-Id': input.msgId,
    'X-Shopify-Event-Id': input.msgId,
    'X-Shopify-Triggered-At': new Date(input.timestamp * 1000).toISOString(),
    'X-Shopify-Shop-Domain': SHOPIFY_SHOP_DOMAIN,
    'X-Shopify-API-Version': SHOPIFY_API_VERSION,
    'X-Shopify-Hmac-Sha256': signature(current, input.body),
  };
}

function verify(input: VerifyInput): VerifyResult {
  const header = requireHeader(input.headers, 'x-shopify-hmac-sha256');
  if (typeof header !== 'string') return header;
  return safeEqualText(signature(input.secret, input.body), header) ? OK : fail('no matching signature');
}

export const shopifyScheme: SigningScheme = {
  name: 'shopify',
  signatureHeaders: ['x-shopify-hmac-sha256'],
  generateSecret: () => randomBytes(32).toString('hex'),
  sign,
  verify,
};
