// Standard Webhooks (https://www.standardwebhooks.com): the default scheme, interoperable with the reference
// verifiers in every language. Signed content is "<webhook-id>.<webhook-timestamp>.<body>".
import { randomBytes } from 'node:crypto';
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

export const STANDARD_PREFIX = 'whsec_';
const DEFAULT_TOLERANCE_SEC = 300;
/** more candidate signatures than any real rotation produces; bounds the work a hostile header can cause */
const MAX_SIGNATURES = 32;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The HMAC key of a Standard Webhooks secret: the base64 after an optional `whsec_` prefix, as the reference
 * library reads it (a secret without the prefix is taken as raw base64). Null when it is not valid base64.
 */
export function standardKey(secret: string): Buffer | null {
  let key = keys.get(secret);
  if (key === undefined) {
    key = decodeKey(secret);
    // an endpoint signs with the same one or two secrets for every delivery: decode each once
    if (keys.size >= MAX_CACHED_KEYS) keys.clear();
    keys.set(secret, key);
  }
  return key;
}
const keys = new Map<string, Buffer | null>();
const MAX_CACHED_KEYS = 256;

function decodeKey(secret: string): Buffer | null {
  const b64 = secret.startsWith(STANDARD_PREFIX) ? secret.slice(STANDARD_PREFIX.length) : secret;
  if (b64.length === 0 || !BASE64.test(b64)) return null;
  const key = Buffer.from(b64, 'base64');
  return key.length > 0 ? key : null;
}

function signature(key: Buffer, msgId: string, timestamp: number, body: string | Uint8Array): string {
  return hmacSha256(key, `${msgId}.${timestamp}.`, body).toString('base64');
}

function sign(input: SignInput): Record<string, string> {
  if (input.secrets.length === 0) throw new HookbenchError('invalid_input', 'no secret to sign with');
  const signatures = input.secrets.map((secret) => {
    const key = standardKey(secret);
    if (!key) throw new HookbenchError('invalid_input', 'a Standard Webhooks secret must be whsec_ + base64');
    return `v1,${signature(key, input.msgId, input.timestamp, input.body)}`;
  });
  return {
    'webhook-id': input.msgId,
    'webhook-timestamp': String(input.timestamp),
    // During a rotation every valid secret signs, space separated, so receivers holding either one accept.
    'webhook-signature': signatures.join(' '),
  };
}

function verify(input: VerifyInput): VerifyResult {
  const msgId = requireHeader(input.headers, 'webhook-id');
  if (typeof msgId !== 'string') return msgId;
  const tsText = requireHeader(input.headers, 'webhook-timestamp');
  if (typeof tsText !== 'string') return tsText;
  const sigHeader = requireHeader(input.headers, 'webhook-signature');
  if (typeof sigHeader !== 'string') return sigHeader;

  const ts = parseUnixSeconds(tsText);
  if (ts === null) return fail('webhook-timestamp is not a unix timestamp');
  const fresh = checkTimestamp(ts, input.now, toleranceOf(input, DEFAULT_TOLERANCE_SEC));
  if (!fresh.ok) return fresh;

  const key = standardKey(input.secret);
  if (!key) return fail('the secret is not a Standard Webhooks secret (whsec_ + base64)');
  const expected = signature(key, msgId, ts, input.body);

  const candidates = sigHeader.split(' ').filter((s) => s.length > 0);
  if (candidates.length > MAX_SIGNATURES) return fail('too many signatures in webhook-signature');
  let sawV1 = false;
  let matched = false;
  for (const candidate of candidates) {
    const comma = candidate.indexOf(',');
    if (comma < 0 || candidate.slice(0, comma) !== 'v1') continue;
    sawV1 = true;
    // No early exit: every candidate is compared so timing does not reveal which one matched.
    if (safeEqualText(expected, candidate.slice(comma + 1))) matched = true;
  }
  if (matched) return OK;
  return fail(sawV1 ? 'no matching signature' : 'no v1 signature in webhook-signature');
}

export const standardScheme: SigningScheme = {
  name: 'standard',
  signatureHeaders: ['webhook-signature'],
  generateSecret: () => `${STANDARD_PREFIX}${randomBytes(32).toString('base64')}`,
  sign,
  verify,
};
