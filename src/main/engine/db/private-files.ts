// Files that hold webhook data and secrets are readable by their owner only: another local user who can read the
// database (or its WAL, which holds recent pages verbatim) could read payloads and forge signed webhooks.
// POSIX only: Windows has no mode bits, and its per-user profile directories are already private.
import { chmodSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';

const POSIX = process.platform !== 'win32';

/**
 * Runs `fn` with umask 077, so whatever it creates (the database, and the -wal and -shm files SQLite creates with
 * the database's mode) starts private. process.umask cannot be set in a worker thread: there the chmod after
 * opening (tightenFiles) is what holds.
 */
export function withPrivateUmask<T>(fn: () => T): T {
  let previous: number | null = null;
  if (POSIX) {
    try {
      previous = process.umask(0o077);
    } catch {
      previous = null;
    }
  }
  try {
    return fn();
  } finally {
    if (previous !== null) process.umask(previous);
  }
}

/** Creates the data directory 0700 when missing (an existing one, e.g. /tmp, is left as it is). */
export function ensurePrivateDir(dir: string): void {
  if (existsSync(dir)) return;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/**
 * Sets each existing regular file to 0600 when group or others have any access (databases created by earlier
 * versions were 0644) and returns the files changed, for the caller's one log line. Anything else at those paths (a
 * directory given as the database) is left as it is.
 */
export function tightenFiles(paths: readonly string[]): string[] {
  if (!POSIX) return [];
  const changed: string[] = [];
  for (const path of paths) {
    let mode: number;
    try {
      mode = statSync(path).mode;
    } catch {
      continue; // not created (yet): SQLite makes -wal and -shm with the database's mode
    }
    if ((mode & 0o077) === 0 || (mode & constants.S_IFMT) !== constants.S_IFREG) continue;
    chmodSync(path, 0o600);
    changed.push(path);
  }
  return changed;
}

/** The database file and the two SQLite creates beside it in WAL mode. */
export const databaseFiles = (path: string): string[] => [path, `${path}-wal`, `${path}-shm`];
