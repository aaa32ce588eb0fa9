// Signing secrets sealed at rest with AES-256-GCM (node:crypto), for hosts without an OS keychain (`serve`, the
// CLI). A sealed value says what it is, `v1:aesgcm:<base64 of iv | tag | ciphertext>`, so rows written in plain
// text by an earlier version are recognised and sealed at start (seal-at-rest.ts), and a value sealed under another
// key fails to open with a message saying how to recover, instead of signing with garbage.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { HookbenchError } from '../../../shared';
import type { SecretBox } from '../types';

export const AES_PREFIX = 'v1:aesgcm:';
const IV_BYTES = 12; // GCM's native nonce size; random per value, so 2^32 seals under one key stay safe
const TAG_BYTES = 16;

export class SecretUnavailableError extends HookbenchError {
  constructor(why: string) {
    super(
      'unprocessable',
      `This secret was sealed with another key and ${why}. Start with the key it was sealed with ($HOOKBENCH_SECRET_KEY or secret.key beside the database), or rotate the endpoint's secret to get a new one.`,
    );
    this.name = 'SecretUnavailableError';
  }
}

export function createAesSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('an AES-256 key is 32 bytes');
  return {
    seal(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return AES_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
    },
    open(stored) {
      // plain text left by an earlier version (sealed at the next start)
      if (!stored.startsWith(AES_PREFIX)) return stored;
      const raw = Buffer.from(stored.slice(AES_PREFIX.length), 'base64');
      if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretUnavailableError('is damaged');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretUnavailableError('cannot be opened with this one');
      }
    },
    isSealed: (stored) => stored.startsWith(AES_PREFIX),
  };
}
