// Signature schemes by name. An endpoint stores its scheme's name; the dispatcher and the receiver look it up here.
import { HookbenchError, type SchemeName } from '../../../shared';
import { githubScheme } from './github';
import { shopifyScheme } from './shopify';
import { standardScheme } from './standard';
import { stripeScheme } from './stripe';
import type { SigningScheme } from './types';

export type { SignInput, SigningScheme, VerifyInput, VerifyResult } from './types';

export const schemes: Record<SchemeName, SigningScheme> = {
  standard: standardScheme,
  stripe: stripeScheme,
  github: githubScheme,
  shopify: shopifyScheme,
};

export function getScheme(name: SchemeName): SigningScheme {
  const scheme = Object.hasOwn(schemes, name) ? schemes[name] : undefined;
  if (!scheme) throw new HookbenchError('invalid_input', `unknown signature scheme: ${String(name)}`);
  return scheme;
}
