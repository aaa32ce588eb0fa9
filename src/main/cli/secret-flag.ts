// A --secret flag checked against its scheme before anything starts: `send --secret notwhsec_x` or a listen secret
// that could never verify is bad usage (exit 2, naming the flag), not a failure found later.
import type { SchemeName } from '../../shared';
import { assertSecretFits } from '../engine/db/endpoints';
import { UsageError } from './flags';

export function assertSecretFlag(scheme: SchemeName, secret: string): void {
  try {
    assertSecretFits(scheme, secret);
  } catch {
    const form = scheme === 'standard' ? 'whsec_ followed by base64 of 24 to 64 bytes' : 'a valid secret';
    throw new UsageError(`--secret: not a valid ${scheme} secret (expected ${form})`);
  }
}
