// The key that seals secrets at rest under `serve` and the CLI: `$HOOKBENCH_SECRET_KEY`, else `secret.key` beside
// the database, created on first start (mode 0600). Either holds 32 bytes as 64 hex digits or as base64.
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withPrivateUmask } from '../db/private-files';

export const SECRET_KEY_ENV = 'HOOKBENCH_SECRET_KEY';
export const SECRET_KEY_FILE = 'secret.key';

/** A bad key value: the CLI prints it and exits 2. */
export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretKeyError';
  }
}

/** 64 hex digits or base64 (standard or url-safe) of exactly 32 bytes; anything else is refused, never padded. */
export function parseSecretKey(text: string, source: string): Buffer {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(value)) {
    const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === 32) return key;
  }
  throw new SecretKeyError(
    `${source}: not a 256-bit key (give 64 hex digits or the base64 of 32 bytes, e.g. \`openssl rand -hex 32\`)`,
  );
}

export interface LoadedKey {
  key: Buffer;
  /** where it came from, for the log (never the key itself) */
  source: string;
  created: boolean;
}

export function loadOrCreateSecretKey(dbDir: string, env: NodeJS.ProcessEnv = process.env): LoadedKey {
  const fromEnv = env[SECRET_KEY_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return { key: parseSecretKey(fromEnv, `$${SECRET_KEY_ENV}`), source: `$${SECRET_KEY_ENV}`, created: false };
  }
  const file = join(dbDir, SECRET_KEY_FILE);
  let text: string | null = null;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (text !== null) {
    const key = parseSecretKey(text, file);
    if (process.platform !== 'win32') chmodSync(file, 0o600);
    return { key, source: file, created: false };
  }
  const key = randomBytes(32);
  try {
    // wx: two processes starting at once must not each write their own key; the second one reads the first's
    withPrivateUmask(() => writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' }));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateSecretKey(dbDir, env);
    throw err;
  }
  return { key, source: file, created: true };
}
