// The AES-256-GCM box and its key: self-describing sealed values, plain values from before still open, a value
// sealed under another key refused with a message saying how to recover, and key formats checked strictly.
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AES_PREFIX, createAesSecretBox } from '../../../src/main/engine/secrets/aes-box';
import { loadOrCreateSecretKey, parseSecretKey, SecretKeyError } from '../../../src/main/engine/secrets/secret-key';
import { tempDir } from '../../support/temp';

describe('AES-256-GCM secret box', () => {
  it('seals to a self-describing value that opens to the secret, a fresh IV each time', () => {
    const box = createAesSecretBox(randomBytes(32));
    const a = box.seal('whsec_plain');
    const b = box.seal('whsec_plain');
    expect(a.startsWith(AES_PREFIX)).toBe(true);
    expect(a).not.toContain('whsec_plain');
    expect(a).not.toBe(b);
    expect(box.open(a)).toBe('whsec_plain');
    expect(box.isSealed?.(a)).toBe(true);
    expect(box.isSealed?.('whsec_plain')).toBe(false);
    // a plain value stored before sealing existed still opens (it is sealed at the next start)
    expect(box.open('whsec_plain')).toBe('whsec_plain');
  });

  it('refuses a value sealed under another key, or tampered with, saying how to recover', () => {
    const sealed = createAesSecretBox(randomBytes(32)).seal('whsec_x');
    const other = createAesSecretBox(randomBytes(32));
    expect(() => other.open(sealed)).toThrow(/another key.*rotate/);
    const own = createAesSecretBox(Buffer.alloc(32, 7));
    const good = own.seal('whsec_y');
    const tampered = `${good.slice(0, -4)}AAAA`;
    expect(() => own.open(tampered)).toThrow(/another key/);
  });
});

describe('secret key', () => {
  it('accepts 64 hex digits or the base64 of 32 bytes and refuses anything else, naming the source', () => {
    const key = randomBytes(32);
    expect(parseSecretKey(key.toString('hex'), 'env').equals(key)).toBe(true);
    expect(parseSecretKey(key.toString('base64'), 'env').equals(key)).toBe(true);
    expect(parseSecretKey(key.toString('base64url'), 'env').equals(key)).toBe(true);
    for (const bad of [
      '',
      'short',
      key.toString('hex').slice(2),
      randomBytes(31).toString('base64'),
      `${'g'.repeat(64)}`,
    ]) {
      expect(() => parseSecretKey(bad, '$HOOKBENCH_SECRET_KEY')).toThrow(SecretKeyError);
    }
    expect(() => parseSecretKey('nope', '$HOOKBENCH_SECRET_KEY')).toThrow(/\$HOOKBENCH_SECRET_KEY: not a 256-bit key/);
  });

  it('creates secret.key (0600) on first start and reads the same key afterwards; the env wins', () => {
    const dir = tempDir();
    const first = loadOrCreateSecretKey(dir, {});
    expect(first.created).toBe(true);
    const file = join(dir, 'secret.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = loadOrCreateSecretKey(dir, {});
    expect(again.created).toBe(false);
    expect(again.key.equals(first.key)).toBe(true);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.key.toString('hex'));

    const envKey = randomBytes(32);
    const fromEnv = loadOrCreateSecretKey(dir, { HOOKBENCH_SECRET_KEY: envKey.toString('hex') });
    expect(fromEnv.key.equals(envKey)).toBe(true);
    expect(fromEnv.source).toBe('$HOOKBENCH_SECRET_KEY');
    expect(() => loadOrCreateSecretKey(dir, { HOOKBENCH_SECRET_KEY: 'xyz' })).toThrow(SecretKeyError);

    writeFileSync(file, 'garbage\n');
    expect(() => loadOrCreateSecretKey(dir, {})).toThrow(/secret\.key: not a 256-bit key/);
  });
});
