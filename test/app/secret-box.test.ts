import { describe, expect, it } from 'vitest';
import { createSecretBox, type SafeStorageLike, SEALED_PREFIX } from '../../src/main/app/secret-box';
import { HookbenchError } from '../../src/shared';

/** A stand-in for safeStorage: a keyed XOR with a tag, so a "different machine" (key) cannot decrypt. */
function fakeSafeStorage(key: number, available = true): SafeStorageLike & { encrypted: number } {
  const box = {
    encrypted: 0,
    isEncryptionAvailable: () => available,
    encryptString(plain: string) {
      box.encrypted++;
      const bytes = Buffer.from(`tag${key}:${plain}`, 'utf8');
      return Buffer.from(bytes.map((b) => b ^ key));
    },
    decryptString(enc: Buffer) {
      const text = Buffer.from(enc.map((b) => b ^ key)).toString('utf8');
      if (!text.startsWith(`tag${key}:`))
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return text.slice(`tag${key}:`.length);
    },
  };
  return box;
}

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('safeStorage secret box', () => {
  it('seals as enc:v1: + base64 of the ciphertext, never the plain secret, and opens it again', () => {
    const storage = fakeSafeStorage(0x5a);
    const box = createSecretBox(storage);
    const sealed = box.seal(secret);
    expect(sealed.startsWith(SEALED_PREFIX)).toBe(true);
    expect(sealed).not.toContain(secret);
    expect(sealed).not.toContain('MfKQ9r8');
    expect(Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64').length).toBeGreaterThan(secret.length);
    expect(storage.encrypted).toBe(1);
    expect(box.open(sealed)).toBe(secret);
  });

  it('opens plain values written before encryption was available', () => {
    expect(createSecretBox(fakeSafeStorage(1)).open(secret)).toBe(secret);
  });

  it('explains clearly when a sealed secret comes from another machine', () => {
    const sealedElsewhere = createSecretBox(fakeSafeStorage(0x11)).seal(secret);
    const here = createSecretBox(fakeSafeStorage(0x22));
    let err: unknown;
    try {
      here.open(sealedElsewhere);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HookbenchError);
    expect((err as HookbenchError).message).toMatch(/another machine or user account.*Rotate/);
    expect((err as HookbenchError).message).not.toContain(sealedElsewhere);
  });

  it('without encryption stores secrets as they are, and refuses sealed ones with a clear message', () => {
    const sealed = createSecretBox(fakeSafeStorage(3)).seal(secret);
    for (const box of [createSecretBox(fakeSafeStorage(3, false)), createSecretBox(null)]) {
      expect(box.seal(secret)).toBe(secret);
      expect(box.open(secret)).toBe(secret);
      expect(() => box.open(sealed)).toThrow(/no encryption key/);
    }
  });
});
