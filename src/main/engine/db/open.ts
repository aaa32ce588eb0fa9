// Opens the engine's SQLite file with the pragmas the dispatcher relies on, then migrates it.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrate';

export interface OpenOptions {
  /** a better-sqlite3 binding built for this runtime's ABI (Electron) */
  nativeBinding?: string;
}

export function openDatabase(path: string, opts: OpenOptions = {}): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  try {
    // WAL: readers (the UI's lists) never block the dispatcher's writes. NORMAL is durable across process
    // crashes in WAL mode (only an OS crash can lose the last commits), at a fraction of FULL's fsyncs.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('temp_store = MEMORY');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
