// Small helpers shared by the repositories: time conversion, cursors, and SQLite error mapping.
import { HookbenchError } from '../../../shared';

/**
 * ISO 8601 of a unix-ms time. The last answer is kept: the events of a group commit share their millisecond, and
 * the dispatcher formats each claimed event's time (Date#toISOString was ~3% of its thread under load).
 */
export function iso(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
let lastMs = Number.NaN;
let lastIso = '';
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

/** Keyset cursor over (created_at, id) DESC: opaque to callers, `<ms>:<id>` base64url inside. */
export function encodeCursor(createdAt: number, id: string): string {
  return Buffer.from(`${createdAt}:${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: number; id: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^(\d{1,16}):([A-Za-z0-9_-]{1,64})$/.exec(text);
  if (!m) throw new HookbenchError('invalid_input', 'Invalid cursor', [{ path: ['cursor'], message: 'not a cursor' }]);
  return { createdAt: Number(m[1]), id: m[2] as string };
}

/** SQLite error codes that mean the disk (or max_page_count) is full. */
function isStorageFull(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_WRITE';
}

/**
 * Runs a write; a full disk becomes `storage_full` for the caller. The transaction rolled back, so nothing
 * was half-written, and what was committed before is untouched.
 */
export function guardStorage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (isStorageFull(err)) {
      throw new HookbenchError('storage_full', 'The database is full (disk space or size limit); nothing was written');
    }
    throw err;
  }
}

/** `LIKE` pattern for a prefix search, with the wildcards of user text escaped (ESCAPE '\'). */
export function likePrefix(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A type filter (deliveries and events): an exact type, or a family (`invoice.*`: a prefix, ASCII case ignored, as
 * SQLite's LIKE reads it and PostgreSQL's ILIKE) as a LIKE pattern; null for none. */
export function typeFilter(type: string | undefined): { exact?: string; like?: string } | null {
  if (!type) return null;
  return type.endsWith('*') ? { like: likePrefix(type.slice(0, -1)) } : { exact: type };
}
