// The signature verdict of one captured request: it verifies when ANY of the given secrets verifies it
// (during a rotation's grace period the sender signs with several; a receiver may know only one of them).
import type { z } from 'zod';
import type { SchemeName, Verification as VerificationSchema } from '../../../shared';
import { getScheme } from '../signing';

export type Verification = z.infer<typeof VerificationSchema>;

export interface VerifyWith {
  scheme: SchemeName;
  /** the current secret first, then those still in their grace period */
  secrets: string[];
}

export function verdictOf(
  using: VerifyWith,
  req: { headers: Record<string, string>; body: Buffer; truncated: boolean },
  nowMs: number,
): Verification {
  const { scheme, secrets } = using;
  if (secrets.length === 0) return { scheme, verified: false, reason: 'no signing secret known' };
  if (req.truncated) return { scheme, verified: false, reason: 'body larger than the capture limit; cannot verify' };
  const signer = getScheme(scheme);
  let firstReason: string | null = null;
  for (const secret of secrets) {
    let res: { ok: true } | { ok: false; reason: string };
    try {
      res = signer.verify({ headers: req.headers, body: req.body, secret, now: Math.floor(nowMs / 1000) });
    } catch {
      // verify() must not throw on hostile input; if it does anyway the request is simply unverified
      res = { ok: false, reason: 'signature could not be checked' };
    }
    if (res.ok) return { scheme, verified: true, reason: null };
    firstReason ??= res.reason;
  }
  return { scheme, verified: false, reason: firstReason };
}
