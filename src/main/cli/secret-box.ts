// The secret box of `serve` and `send --db`: AES-256-GCM under the key from $HOOKBENCH_SECRET_KEY or secret.key
// beside the database. A malformed key is bad usage (exit 2), named by where it came from.
import type { SecretBox } from '../engine';
import { ensurePrivateDir } from '../engine/db/private-files';
import { createAesSecretBox } from '../engine/secrets/aes-box';
import { loadOrCreateSecretKey, SecretKeyError } from '../engine/secrets/secret-key';
import type { Logger } from '../engine/types';
import { UsageError } from './flags';

export function cliSecretBox(dbDir: string, log?: Logger, env: NodeJS.ProcessEnv = process.env): SecretBox {
  try {
    ensurePrivateDir(dbDir);
    const loaded = loadOrCreateSecretKey(dbDir, env);
    if (loaded.created) log?.info('created the key that seals signing secrets', { file: loaded.source });
    return createAesSecretBox(loaded.key);
  } catch (err) {
    if (err instanceof SecretKeyError) throw new UsageError(err.message);
    throw err;
  }
}
