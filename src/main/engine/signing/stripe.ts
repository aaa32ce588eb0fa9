// Stripe-style signatures: `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. Unlike
// Standard Webhooks, the key is the secret string itself (prefix included), exactly as Stripe's libraries do.
import { randomInt } from 'node:crypto';
import { HookbenchError } from '../../../shared';
import {
  checkTimestamp,
  fail,
  hmacSha256,
  OK,
  parseUnixSeconds,
  requireHeader,
  safeEqualText,
  toleranceOf,
} from './hmac';
import type { SignInput, SigningScheme, VerifyInput, VerifyResult } from './types';

const DEFAULT_TOLERANCE_SEC = 300;
const MAX_PAIRS = 64;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function signature(secret: string, timestamp: number, body: string | Uint8Array): string {
  return hmacSha256(secret, `${timestamp}.`, body).toString('hex');
}

function sign(input: SignInput): Record<string, string> {
  if (input.secrets.length === 0) throw new HookbenchError('invalid_input', 'no secret to sign with');
  // Stripe sends one v1= per secret while an endpoint's secret is being rolled; receivers accept any of them.
  const v1 = input.secrets.map((s) => `v1=${signature(s, input.timestamp, input.body)}`);
  return { 'Stripe-Signature': [`t=${input.timestamp}`, ...v1].join(',') };
}

function verify(input: VerifyInput): VerifyResult {
  const header = requireHeader(input.headers, 'stripe-signature');
  if (typeof header !== 'string') return header;

  const pairs = header.split(',');
  if (pairs.length > MAX_PAIRS) return fail('too many elements in Stripe-Signature');
  let tsText: string | null = null;
  const received: string[] = [];
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const k = pair.slice(0, eq).trim();
    const v = pair.slice(eq + 1).trim();
    if (k === 't') {
      if (tsText !== null) return fail('more than one t= in Stripe-Signature');
      tsText = v;
    } else if (k === 'v1') received.push(v);
  }
  if (tsText === null) return fail('no t= timestamp in Stripe-Signature');
  if (received.length === 0) return fail('no v1= signature in Stripe-Signature');
  const ts = parseUnixSeconds(tsText);
  if (ts === null) return fail('Stripe-Signature t= is not a unix timestamp');
  // Stripe's own verifier only refuses old timestamps; we also refuse far-future ones (a skewed or forged clock).
  const fresh = checkTimestamp(ts, input.now, toleranceOf(input, DEFAULT_TOLERANCE_SEC));
  if (!fresh.ok) return fresh;

  const expected = signature(input.secret, ts, input.body);
  let matched = false;
  for (const sig of received) if (safeEqualText(expected, sig)) matched = true;
  return matched ? OK : fail('no matching signature');
}

export const stripeScheme: SigningScheme = {
  name: 'stripe',
  signatureHeaders: ['stripe-signature'],
  // Stripe's endpoint secrets look like whsec_ + 32 alphanumerics.
  generateSecret: () =>
    `whsec_${Array.from({ length: 32 }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('')}`,
  sign,
  verify,
};
