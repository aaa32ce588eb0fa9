// WAL checkpoints on a worker thread. SQLite's automatic checkpoint runs inside whichever commit crosses the
// threshold, on the engine's thread, and waits for two fsyncs: profiled, that was a third of the wall time of
// every events.create. A second connection in a worker checkpoints the same file every few milliseconds instead
// (PASSIVE: it never blocks the engine's writers or readers), so commits only append to the WAL.
// Durability is unchanged: commits are in the WAL (synchronous = NORMAL) exactly as before; the worker only
// copies them into the database file. If the worker cannot start or dies, the engine's connection goes back to
// SQLite's automatic checkpoint, so the WAL never grows without bound.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { Logger } from '../types';

/** SQLite's default automatic checkpoint (pages), restored when the worker is gone. */
const DEFAULT_AUTOCHECKPOINT = 1000;
/** While the worker runs, the engine's connection checkpoints itself only past this many WAL pages (a backstop). */
const BACKSTOP_AUTOCHECKPOINT = 20_000;

export interface CheckpointerOptions {
  dbPath: string;
  /** better-sqlite3 binding for this runtime's ABI (Electron), as given to the engine */
  nativeBinding?: string;
  /** time between two checkpoints */
  everyMs?: number;
  log: Logger;
}

// CommonJS source of the worker: it needs nothing but better-sqlite3, whose path it is given.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const db = new Database(workerData.dbPath, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {});
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 0');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { if (err.code !== 'SQLITE_BUSY') throw err; }
}, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage('ready');
`;

export class Checkpointer {
  private worker: Worker | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database.Database,
    private readonly opts: CheckpointerOptions,
  ) {}

  /** Starts the worker; on any failure the connection keeps SQLite's own checkpointing. */
  start(): void {
    if (this.opts.dbPath === ':memory:') return;
    let worker: Worker;
    try {
      const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          modulePath,
          dbPath: this.opts.dbPath,
          nativeBinding: this.opts.nativeBinding,
          everyMs: this.opts.everyMs ?? 20,
        },
      });
    } catch (err) {
      this.opts.log.warn('background checkpoints unavailable', { error: String(err) });
      return;
    }
    this.worker = worker;
    // The worker must not keep a finished host process alive (a CLI run, a test).
    worker.unref();
    this.db.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT}`);
    this.exited = new Promise((resolve) => {
      worker.once('exit', () => {
        if (this.worker === worker) this.fallBack();
        resolve();
      });
    });
    worker.on('error', (err) => {
      this.opts.log.warn('background checkpoints stopped', { error: String(err) });
      this.fallBack();
    });
  }

  /** Closes the worker's connection (before the engine closes its own, so that one checkpoints last). */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    worker.postMessage('stop');
    const timeout = setTimeout(() => void worker.terminate(), 2_000);
    await this.exited;
    clearTimeout(timeout);
  }

  private fallBack(): void {
    this.worker = null;
    try {
      if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
    } catch {
      // the engine is closing its connection: nothing left to checkpoint from here
    }
  }
}
