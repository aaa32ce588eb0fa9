// Endpoint secrets at rest. With safeStorage (Keychain, DPAPI, libsecret/kwallet) a sealed secret is
// `enc:v1:` + base64 of the ciphertext; values without the prefix are plain (written before encryption was
// available, or by `hookbench serve`) and still open. A database moved to another machine or user cannot decrypt
// its sealed secrets: that fails with a message saying so, instead of signing with garbage.
import { HookbenchError } from '../../shared';
import type { SecretBox } from '../engine/types';

export const SEALED_PREFIX = 'enc:v1:';

/** Electron's safeStorage, as far as the box uses it. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

const cannotOpen = (why: string) =>
  new HookbenchError(
    'unprocessable',
    `This secret was encrypted by Hookbench on another machine or user account and ${why}. Rotate the endpoint's secret to get a new one.`,
  );

/**
 * A SecretBox backed by safeStorage when encryption is available, else one that stores secrets as they are
 * (and still refuses, clearly, to "open" a sealed value it has no key for).
 */
export function createSecretBox(safeStorage: SafeStorageLike | null): SecretBox {
  const available = safeStorage?.isEncryptionAvailable() === true;
  return {
    seal(plain) {
      if (!available || !safeStorage) return plain;
      return SEALED_PREFIX + safeStorage.encryptString(plain).toString('base64');
    },
    open(sealed) {
      if (!sealed.startsWith(SEALED_PREFIX)) return sealed;
      if (!available || !safeStorage) throw cannotOpen('this system offers no encryption key to decrypt it');
      try {
        return safeStorage.decryptString(Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64'));
      } catch {
        throw cannotOpen('cannot be decrypted here');
      }
    },
    // with a keychain, plain values left from before are sealed at start (engine/secrets/seal-at-rest.ts)
    isSealed: available ? (stored) => stored.startsWith(SEALED_PREFIX) : undefined,
  };
}
