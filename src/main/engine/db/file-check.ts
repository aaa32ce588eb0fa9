// What stands at a SQLite database's path before it is opened. A path that cannot hold one is refused before anything
// is created or changed there: the CLI names its flag; openDatabase throws, so that it never makes a directory, or a
// file of another program's, private (mode 0600) as if it were the database (`--db /tmp` once did that to /tmp).
import { closeSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The first 16 bytes of every SQLite database file. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Why `path` cannot hold a SQLite database, as the end of a sentence naming it ("is a directory: …"), or null when it
 * can: a path that does not exist yet (under directories, or where they can be made), an empty file (SQLite makes a
 * database of it), or a SQLite database.
 */
export function sqlitePathProblem(path: string): string | null {
  const stat = statOrNull(path);
  if (stat === null) {
    const parent = firstExisting(dirname(path));
    return parent !== null && !parent.stat.isDirectory()
      ? `is under ${parent.path}, which is a file, not a directory`
      : null;
  }
  if (stat.isDirectory()) return `is a directory: give a database file's path (such as ${join(path, 'hookbench.db')})`;
  if (!stat.isFile()) return 'is not a regular file';
  if (stat.size === 0) return null;
  const head = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  return head.equals(SQLITE_HEADER)
    ? null
    : "is not a SQLite database (it does not start with SQLite's header): give Hookbench's database, or a new path to create one";
}

/** What stands at `path`, or null when nothing does (missing, or under a file); other errors are thrown. */
export function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}

/** The nearest ancestor of `dir` (itself included) that exists. */
function firstExisting(dir: string): { path: string; stat: Stats } | null {
  for (let at = dir; ; at = dirname(at)) {
    const stat = statOrNull(at);
    if (stat) return { path: at, stat };
    if (dirname(at) === at) return null;
  }
}
