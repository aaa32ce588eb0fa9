// Opens the engine's SQLite file with the pragmas the dispatcher relies on, then migrates it.
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../types';
import { sqlitePathProblem } from './file-check';
import { migrate } from './migrate';
import { databaseFiles, ensurePrivateDir, tightenFiles, withPrivateUmask } from './private-files';

export interface OpenOptions {
  /** a better-sqlite3 binding built for this runtime's ABI (Electron) */
  nativeBinding?: string;
  /** told when existing files had to be made private */
  log?: Logger;
}

export function openDatabase(path: string, opts: OpenOptions = {}): Database.Database {
  const onDisk = path !== ':memory:';
  if (onDisk) {
    const problem = sqlitePathProblem(path);
    if (problem) throw new Error(`The database path ${path} ${problem}`);
    ensurePrivateDir(dirname(path));
  }
  // files created by earlier versions (0644) are tightened first, new ones are created private
  const tightened = onDisk ? tightenFiles(databaseFiles(path)) : [];
  const db = withPrivateUmask(() => {
    const conn = new Database(path, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
    try {
      // WAL: readers (the UI's lists) never block the dispatcher's writes.
      conn.pragma('journal_mode = WAL');
      return conn;
    } catch (err) {
      conn.close();
      throw err;
    }
  });
  try {
    // the -wal and -shm files exist now; a worker-thread host could not set the umask, so check them again
    if (onDisk) tightened.push(...tightenFiles(databaseFiles(path)));
    if (tightened.length > 0) opts.log?.warn('made database files private (mode 0600)', { files: tightened });
    // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last commits), at a fraction of FULL's fsyncs.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('temp_store = MEMORY');
    // 4 MiB of page cache, not the 16 MiB better-sqlite3 builds SQLite with: a commit after a b-tree split walks the
    // whole cache (SQLite moves a page through the locking page's number, 262,145, while it sorts the split's pages,
    // and the commit then drops every cached page above the file's end by scanning the cache's hash), ~4,000 pages
    // at 16 MiB. Measured (perf, bench/ab.mjs 8 pairs): that scan 2.7% -> 0.8% of the engine thread, page reads
    // 1.1% -> 1.4%, deliveries/s x1.06-1.09, CPU per delivery -7%, peak RSS -12 MiB.
    db.pragma('cache_size = -4000');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
