// GitHub-style signatures: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>` plus the delivery
// metadata headers GitHub sends. GitHub signs no timestamp, so there is nothing to check for freshness:
// receivers dedupe on X-GitHub-Delivery instead.
import { randomBytes } from 'node:crypto';
import { HookbenchError } from '../../../shared';
import { fail, hmacSha256, OK, requireHeader, safeEqualText } from './hmac';
import { numericIdFrom, uuidFrom } from './ids';
import type { SignInput, SigningScheme, VerifyInput, VerifyResult } from './types';

const PREFIX = 'sha256=';

function signature(secret: string, body: string | Uint8Array): string {
  return `${PREFIX}${hmacSha256(secret, body).toString('hex')}`;
}

/** GitHub names events without the action (`pull_request`, action `opened` in the payload); `pull_request.opened` maps to `pull_request`. */
export function githubEventName(eventType: string): string {
  const dot = eventType.indexOf('.');
  return dot > 0 ? eventType.slice(0, dot) : eventType;
}

function sign(input: SignInput): Record<string, string> {
  const current = input.secrets[0];
  if (current === undefined) throw new HookbenchError('invalid_input', 'no secret to sign with');
  const hookId = String(numericIdFrom(input.endpointId));
  // A GitHub webhook has exactly one secret and one X-Hub-Signature-256 value; receivers (octokit included)
  // compare against a single signature. So during a rotation only the current secret signs: a receiver still on
  // the old secret fails until it is updated, which is how GitHub itself behaves when the secret is changed.
  return {
    'X-GitHub-Event': githubEventName(input.eventType),
    'X-GitHub-Delivery': uuidFrom(input.msgId),
    'X-GitHub-Hook-ID': hookId,
    'X-GitHub-Hook-Installation-Target-Type': 'repository',
    'X-GitHub-Hook-Installation-Target-ID': String(numericIdFrom(`repo:${input.endpointId}`)),
    'X-Hub-Signature-256': signature(current, input.body),
  };
}

function verify(input: VerifyInput): VerifyResult {
  const header = requireHeader(input.headers, 'x-hub-signature-256');
  if (typeof header !== 'string') return header;
  if (!header.startsWith(PREFIX)) return fail('X-Hub-Signature-256 does not start with sha256=');
  return safeEqualText(signature(input.secret, input.body), header) ? OK : fail('no matching signature');
}

export const githubScheme: SigningScheme = {
  name: 'github',
  signatureHeaders: ['x-hub-signature-256'],
  generateSecret: () => randomBytes(24).toString('base64url'),
  sign,
  verify,
};
