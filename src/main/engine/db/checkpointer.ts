// WAL checkpoints off the dispatcher's thread. SQLite's automatic checkpoint runs inside the commit that crosses
// its threshold: it copies the WAL into the database file and fsyncs both, on the thread that committed. Measured
// on the dispatcher's write pattern, that was ~40% of the wall time of its SQLite work, and a stall of tens of
// milliseconds every thousand pages (the p99 of a paced stream). Here a worker thread with its own connection runs
// PASSIVE checkpoints whenever the WAL has grown: they never block the writer, and the writer starts the WAL over
// from the beginning once everything in it was copied, so the file stays bounded as before. When the worker cannot
// run (it failed to start, or died), the connection goes back to SQLite's own automatic checkpoints.
//
// "Grown" is counted in frames not yet copied (the wal-index header), not by the WAL file's size: the file never
// shrinks (SQLite writes it again from the start), so a size test, once passed, checkpointed on every poll, 50 times
// a second with two fsyncs each, copying the same hot pages (the b-trees' rightmost leaves) again and again.
//
// A checkpoint copies what the log holds when it begins; the writer's commits meanwhile stay behind, and while any
// frame is left the writer appends to the log instead of starting it over (a file grown to twice the threshold and
// more, once in the tests). So when the writer pauses (a poll with nothing new written) with a log past the threshold
// and frames left, the worker copies the rest: its next commit starts the log over. Never twice for a WAL the last
// checkpoint left as it is (a reader's old snapshot holding frames back): that would be two fsyncs a poll for nothing.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { Logger } from '../types';

export interface CheckpointerOptions {
  /** the WAL size, in bytes, that starts a checkpoint */
  thresholdBytes?: number;
  /** how often the worker looks at the WAL's size */
  pollMs?: number;
  /** a better-sqlite3 binding built for this runtime's ABI (Electron), as the main connection has */
  nativeBinding?: string;
}

/** SQLite's own default is 1000 pages (~4 MiB): the same bound, reached by a thread that is not the writer's. */
const DEFAULT_THRESHOLD_BYTES = 4 * 1024 * 1024;
const DEFAULT_POLL_MS = 20;
/** SQLite's default, restored when the worker is not there */
const AUTOCHECKPOINT_PAGES = 1000;

/** The worker only polls a file's size and runs a pragma: V8's default heap sizes would be resident memory for nothing. */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 32 };

/** The wal-index header's two counters the worker goes by. */
export interface WalIndex {
  /** frames the log holds since it last started over */
  mxFrame: number;
  /** of those, the frames a checkpoint has copied into the database */
  nBackfill: number;
}

/** What the worker reports of each checkpoint (SQLite's own figures): the frames the log held, and those copied. */
export interface CheckpointReport {
  log: number;
  checkpointed: number;
}

/**
 * The wal-index header at the start of the -shm file (SQLite's documented WAL-index format, native byte order: isInit
 * at byte 12, mxFrame (the frames the log holds since it last started over) at byte 16, the checkpoint's nBackfill (of
 * those, the frames copied into the database) at byte 96); null when it cannot be read. Read without a lock: a torn
 * read only moves one checkpoint by one poll. Self-contained, as the worker's source embeds it.
 */
export function readWalIndex(
  files: Pick<typeof fs, 'openSync' | 'readSync' | 'closeSync'>,
  shmPath: string,
): WalIndex | null {
  let fd: number;
  try {
    fd = files.openSync(shmPath, 'r');
  } catch {
    return null;
  }
  try {
    const hdr = new Uint32Array(26);
    if (files.readSync(fd, hdr, 0, 104, 0) < 104) return null;
    if (((hdr[3] as number) & 0xff) !== 1) return null;
    return { mxFrame: hdr[4] as number, nBackfill: hdr[24] as number };
  } catch {
    return null;
  } finally {
    files.closeSync(fd);
  }
}

/** Frames in the WAL not yet copied into the database (see readWalIndex); null when it cannot be read. */
export function pendingWalFrames(
  files: Pick<typeof fs, 'openSync' | 'readSync' | 'closeSync'>,
  shmPath: string,
): number | null {
  return pendingOf(readWalIndex(files, shmPath));
}

/** Self-contained too (the worker's source embeds it). */
function pendingOf(idx: WalIndex | null): number | null {
  if (idx === null) return null;
  return idx.mxFrame >= idx.nBackfill ? idx.mxFrame - idx.nBackfill : idx.mxFrame;
}

interface WorkerData {
  modulePath: string;
  dbPath: string;
  nativeBinding: string | null;
  thresholdBytes: number;
  pollMs: number;
}

// CommonJS run with `eval`: one source for Vitest (TypeScript sources), the Vite builds and Electron, with no worker
// file to locate next to whichever bundle loaded this module.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { statSync } = require('node:fs');
const Database = require(workerData.modulePath);
const db = new Database(workerData.dbPath, {
  fileMustExist: true,
  ...(workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}),
});
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 0');
const wal = workerData.dbPath + '-wal';
const shm = workerData.dbPath + '-shm';
const frameBytes = db.pragma('page_size', { simple: true }) + 24;
const readWalIndex = ${readWalIndex.toString()};
const pendingOf = ${pendingOf.toString()};
const threshold = workerData.thresholdBytes;
let failures = 0;
/** the log's length at the previous poll, and as the last checkpoint saw it (with the frames it had copied) */
let seenMxFrame = -1;
let leftMxFrame = -1;
let leftBackfill = -1;
/** checkpoints left to try on a log exactly as the last one left it (see below) */
let retriesLeft = 0;
const timer = setInterval(() => {
  // what the WAL holds that the database does not; the file's size where the wal-index cannot be read
  const idx = readWalIndex(require('node:fs'), shm);
  if (idx === null) {
    let size = 0;
    try { size = statSync(wal).size; } catch { return; }
    if (size < threshold) return;
  } else {
    const pending = pendingOf(idx) * frameBytes;
    // Also when the writer has paused (nothing written since the last poll) with a log grown past the threshold and
    // frames left to copy (a checkpoint that ran while it wrote copied only what was there when it began): copying
    // the rest lets the writer's next commit start the log over from its beginning, instead of appending to it.
    const quiet = pending > 0 && idx.mxFrame === seenMxFrame && idx.mxFrame * frameBytes >= threshold;
    seenMxFrame = idx.mxFrame;
    if (pending < threshold && !quiet) return;
    // The WAL as the last checkpoint left it: a reader holding an old snapshot kept it from copying the rest, and
    // trying again on every poll would copy nothing, fsync twice each time. Two more tries, a poll apart, all the
    // same: a commit's own read lock outlives the commit by a moment, so a checkpoint that saw the commit can still
    // be held back by it (then the writer's pause left the last frames uncopied for good: seen in a test under load).
    if (idx.mxFrame === leftMxFrame && idx.nBackfill === leftBackfill) {
      if (retriesLeft <= 0) return;
      retriesLeft--;
    }
  }
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    // the log as this checkpoint saw it (its length and the frames copied), not as it is now: the writer may have
    // added to it since, and those frames are for the next one
    const log = r ? r.log : -1;
    const checkpointed = r ? r.checkpointed : -1;
    if (log !== leftMxFrame || checkpointed !== leftBackfill) retriesLeft = 2;
    leftMxFrame = log;
    leftBackfill = checkpointed;
    parentPort.postMessage({ checkpointed: r ? r.checkpointed : 0, log: r ? r.log : 0 });
    failures = 0;
  } catch (err) {
    // SQLITE_BUSY (another checkpoint running) is expected now and then; a persistent error ends the worker
    if (++failures >= 50) throw err;
  }
}, workerData.pollMs);
parentPort.on('message', (m) => {
  if (m === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
`;

export class Checkpointer {
  private worker: Worker | null = null;
  private stopped = false;
  /** checkpoints the worker reported (tests, status) */
  checkpoints = 0;
  /** what the last reported checkpoint said: the frames the log held, and how many of them were copied */
  lastCheckpoint: CheckpointReport | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly dbPath: string,
    private readonly log: Logger,
    private readonly opts: CheckpointerOptions = {},
  ) {}

  /** Takes checkpoints off this thread; a database in memory (no WAL) keeps SQLite's way. */
  start(): void {
    if (this.dbPath === ':memory:' || this.worker || this.stopped) return;
    if (!isWal(this.db)) return;
    const data: WorkerData = {
      modulePath: createRequire(import.meta.url).resolve('better-sqlite3'),
      dbPath: this.dbPath,
      nativeBinding: this.opts.nativeBinding ?? null,
      thresholdBytes: this.opts.thresholdBytes ?? DEFAULT_THRESHOLD_BYTES,
      pollMs: this.opts.pollMs ?? DEFAULT_POLL_MS,
    };
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData: data, resourceLimits: WORKER_LIMITS });
    } catch (err) {
      this.log.warn('background checkpoints unavailable; SQLite checkpoints on commit', { error: String(err) });
      return;
    }
    this.worker = worker;
    // the commits that cross SQLite's threshold no longer checkpoint (the worker does)
    this.db.pragma('wal_autocheckpoint = 0');
    worker.unref();
    worker.on('message', (m: CheckpointReport) => {
      this.checkpoints++;
      this.lastCheckpoint = m;
    });
    worker.on('error', (err) => {
      this.log.warn('background checkpoints stopped; SQLite checkpoints on commit', { error: String(err) });
      this.fallBack();
    });
    worker.on('exit', () => {
      if (!this.stopped) this.fallBack();
    });
  }

  /** Ends the worker (before the main connection closes); its connection closes without touching the WAL. */
  async stop(): Promise<void> {
    this.stopped = true;
    const w = this.worker;
    this.worker = null;
    if (!w) return;
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    w.postMessage('stop');
    // a worker stuck in a checkpoint is not waited for long: closing the main connection checkpoints anyway
    const timeout = setTimeout(() => void w.terminate(), 2_000);
    await exited;
    clearTimeout(timeout);
    this.restoreAutocheckpoint();
  }

  /** The bytes of WAL frames not yet copied into the database (null when the wal-index cannot be read). */
  pendingBytes(): number | null {
    const frames = pendingWalFrames(fs, `${this.dbPath}-shm`);
    return frames === null ? null : frames * (Number(this.db.pragma('page_size', { simple: true })) + 24);
  }

  /** The WAL file's size in bytes (0 when there is none). */
  walBytes(): number {
    try {
      return fs.statSync(`${this.dbPath}-wal`).size;
    } catch {
      return 0;
    }
  }

  private fallBack(): void {
    this.worker = null;
    this.restoreAutocheckpoint();
  }

  private restoreAutocheckpoint(): void {
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  }
}

function isWal(db: Database.Database): boolean {
  return String(db.pragma('journal_mode', { simple: true })).toLowerCase() === 'wal';
}
