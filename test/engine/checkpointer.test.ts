// WAL checkpoints on a worker thread: the writer's connection stops checkpointing, the worker keeps the WAL bounded,
// and when the worker cannot run the connection goes back to SQLite's own checkpoints.
import * as fs from 'node:fs';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Checkpointer, pendingWalFrames, readWalIndex } from '../../src/main/engine/db/checkpointer';
import { openDatabase } from '../../src/main/engine/db/open';
import { recordingLog } from '../support/log';
import { tempDbPath } from '../support/temp';
import { waitFor } from '../support/wait';

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

function db(path = tempDbPath()): Database.Database {
  const d = openDatabase(path);
  open.push(d);
  d.exec('CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  return d;
}

/** Writes `commits` transactions of ~8 KiB each: about two WAL pages per commit. */
function write(d: Database.Database, commits: number): void {
  const insert = d.prepare('INSERT INTO filler (body) VALUES (?)');
  const tx = d.transaction(() => insert.run('x'.repeat(8_000)));
  for (let i = 0; i < commits; i++) tx();
}

/** A WAL frame: a 24-byte header and a page (SQLite's default 4 KiB, which the test checks). */
const FRAME_BYTES = 4096 + 24;

/** The log's length in frames since it last started over (the wal-index's mxFrame). */
function logFrames(path: string): number {
  const idx = readWalIndex(fs, `${path}-shm`);
  if (idx === null) throw new Error('no wal-index');
  return idx.mxFrame;
}

/**
 * Waits until the worker has nothing left to do with the writer paused: the log is shorter than the threshold (the
 * worker leaves it), or a checkpoint reported since `reportsBefore` covered every frame of it AND has ended (its
 * report, sent after the pragma returned, says so). Copied is not enough: a commit that starts while the checkpoint
 * still holds its locks cannot start the log over and appends to it instead. A report from before (`reportsBefore`)
 * may describe the log before it started over, with the same numbers.
 */
async function workerSettled(path: string, cp: Checkpointer, thresholdBytes: number, reportsBefore: number) {
  await waitFor(
    () => {
      const frames = logFrames(path);
      if (frames * FRAME_BYTES < thresholdBytes) return true;
      const last = cp.lastCheckpoint;
      return cp.checkpoints > reportsBefore && last?.log === frames && last.checkpointed === frames;
    },
    { timeoutMs: 20_000, message: 'the worker to copy the whole log' },
  );
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The worker has stopped checkpointing: its count settles (the report of its last checkpoint may still be on its way
 * to this thread), then stays put for ~60 polls (a worker checkpointing on every poll never lets it settle).
 */
async function expectCheckpointsToStop(cp: Checkpointer): Promise<void> {
  let settled = -1;
  await waitFor(
    async () => {
      const n = cp.checkpoints;
      await pause(100);
      settled = n;
      return cp.checkpoints === n;
    },
    { timeoutMs: 5_000, message: 'the checkpoint count to settle' },
  );
  await pause(300);
  expect(cp.checkpoints).toBe(settled);
}

describe('the wal-index reading', () => {
  it('counts the frames a checkpoint has not copied yet, as SQLite reports them', () => {
    const path = tempDbPath();
    const d = db(path);
    d.pragma('wal_autocheckpoint = 0');
    d.pragma('wal_checkpoint(TRUNCATE)');
    write(d, 10);
    const pending = pendingWalFrames(fs, `${path}-shm`);
    // the checkpoint reports how many frames the WAL held (log) and how many it copied
    const [r] = d.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number; checkpointed: number }>;
    expect(pending).toBe(r?.log);
    expect(r?.log).toBeGreaterThanOrEqual(20);
    expect(pendingWalFrames(fs, `${path}-shm`)).toBe(0);
    write(d, 1); // the writer starts the WAL over from its beginning
    expect(pendingWalFrames(fs, `${path}-shm`)).toBeGreaterThan(0);
    expect(pendingWalFrames(fs, `${path}-shm`)).toBeLessThan(5);
    expect(pendingWalFrames(fs, `${path}.nothing-shm`)).toBeNull();
  });
});

describe('background checkpoints', () => {
  it('keep the WAL bounded while the writer never checkpoints itself', async () => {
    const path = tempDbPath();
    const d = db(path);
    const thresholdBytes = 256 * 1024;
    const cp = new Checkpointer(d, path, recordingLog(), { thresholdBytes, pollMs: 5 });
    cp.start();
    expect(d.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    expect(Number(d.pragma('page_size', { simple: true })) + 24).toBe(FRAME_BYTES);
    await workerSettled(path, cp, thresholdBytes, 0);
    let maxWal = cp.walBytes();
    let maxRound = 0;
    // ~12 MiB written in rounds. Between rounds the writer waits for the worker to settle, however long the machine
    // makes it wait (a fixed pause here once let a starved worker fall a dozen rounds behind: WAL 4.2 MB), and the
    // worker finishes what a checkpoint during the round left behind (without that the log grew on: 1.32 MB once).
    const rounds = 40;
    for (let round = 0; round < rounds; round++) {
      const reports = cp.checkpoints;
      const before = logFrames(path);
      write(d, 20);
      const after = logFrames(path);
      // frames this round wrote (the log started over at its first commit when it ends shorter than it began)
      maxRound = Math.max(maxRound, after >= before ? after - before : after);
      maxWal = Math.max(maxWal, cp.walBytes());
      await workerSettled(path, cp, thresholdBytes, reports);
    }
    // a checkpoint when the log's uncopied frames reach the threshold, and at most one more for the rest once the
    // writer pauses: at most two a round, not one per poll (the worker polls every 5 ms)
    expect(cp.checkpoints).toBeGreaterThan(10);
    expect(cp.checkpoints).toBeLessThanOrEqual(2 * rounds);
    // Without checkpoints the WAL would hold all ~12 MiB. With them, every round starts with a log shorter than the
    // threshold, or with one copied whole, which its first commit starts over: the file (a 32-byte header, then the
    // frames) never holds more than the threshold plus one round.
    expect(maxWal).toBeLessThanOrEqual(32 + thresholdBytes + maxRound * FRAME_BYTES);
    expect(maxRound * FRAME_BYTES).toBeLessThan(512 * 1024);
    // caught up and idle, the worker polls without checkpointing
    await expectCheckpointsToStop(cp);
    expect((d.prepare('SELECT COUNT(*) AS n FROM filler').get() as { n: number }).n).toBe(800);
    await cp.stop();
    expect(d.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(d.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('copies what a checkpoint left behind once the writer pauses, so that its next commit starts the log over', async () => {
    const path = tempDbPath();
    const d = db(path);
    const reader = db(path);
    const thresholdBytes = 64 * 1024;
    d.pragma('wal_autocheckpoint = 0');
    write(d, 20); // a log well past the threshold
    // a reader's snapshot here: the first checkpoint copies up to it and leaves the commits after it behind
    reader.exec('BEGIN');
    reader.prepare('SELECT COUNT(*) FROM filler').get();
    write(d, 1);
    const cp = new Checkpointer(d, path, recordingLog(), { thresholdBytes, pollMs: 5 });
    cp.start();
    await waitFor(() => cp.checkpoints > 0, { message: 'a checkpoint' });
    const left = cp.pendingBytes() ?? 0;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(thresholdBytes);
    reader.exec('COMMIT');
    write(d, 1); // under the threshold still: only the writer's pause makes the worker copy the rest
    await waitFor(() => cp.pendingBytes() === 0 && cp.lastCheckpoint?.checkpointed === logFrames(path), {
      timeoutMs: 10_000,
      message: 'the rest to be copied',
    });
    write(d, 1);
    expect(logFrames(path)).toBeLessThan(5);
    await cp.stop();
    expect((d.prepare('SELECT COUNT(*) AS n FROM filler').get() as { n: number }).n).toBe(23);
  });

  it('does not checkpoint on every poll while a reader holds frames back, and copies them once it lets go', async () => {
    const path = tempDbPath();
    const d = db(path);
    const reader = db(path);
    const thresholdBytes = 64 * 1024;
    const cp = new Checkpointer(d, path, recordingLog(), { thresholdBytes, pollMs: 5 });
    cp.start();
    write(d, 1);
    // the reader's snapshot: no checkpoint may copy the frames written after it while it lasts
    reader.exec('BEGIN');
    reader.prepare('SELECT COUNT(*) FROM filler').get();
    write(d, 20); // well past the threshold
    await waitFor(() => cp.checkpoints > 0, { message: 'a checkpoint' });
    // the log unchanged since the last checkpoint saw it: none tries again for nothing
    await expectCheckpointsToStop(cp);
    expect(cp.pendingBytes()).toBeGreaterThanOrEqual(thresholdBytes);
    reader.exec('COMMIT');
    write(d, 1); // the log changed: the next checkpoint copies everything
    await waitFor(() => cp.pendingBytes() === 0, { timeoutMs: 10_000, message: 'the held frames to be copied' });
    await cp.stop();
    expect(d.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('falls back to checkpoints on commit when the worker cannot open the database', async () => {
    const path = tempDbPath();
    const d = db(path);
    const log = recordingLog();
    // a binding that does not exist: the worker fails as it starts
    const cp = new Checkpointer(d, path, log, { nativeBinding: `${path}.missing.node`, pollMs: 5 });
    cp.start();
    await waitFor(() => d.pragma('wal_autocheckpoint', { simple: true }) === 1000);
    expect(log.messages('warn')).toContain('background checkpoints stopped; SQLite checkpoints on commit');
    write(d, 10);
    await cp.stop();
  });

  it('leaves a database in memory to SQLite', async () => {
    const d = db(':memory:');
    const cp = new Checkpointer(d, ':memory:', recordingLog());
    cp.start();
    expect(d.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await cp.stop();
  });
});
