// WAL checkpoints on a worker thread: the writer's connection stops checkpointing, the worker keeps the WAL bounded,
// and when the worker cannot run the connection goes back to SQLite's own checkpoints.
import * as fs from 'node:fs';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Checkpointer, pendingWalFrames } from '../../src/main/engine/db/checkpointer';
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

/**
 * Waits until the worker has copied the WAL's frames into the database (what is left is under the threshold) AND its
 * checkpoint has ended (its report came after the pragma returned). Copied is not enough: a write that starts while
 * the checkpoint still holds its locks cannot start the WAL over and appends to it instead, so on a slow machine the
 * file grew a few rounds past the bound (1.33 MB once in CI).
 */
async function workerCaughtUp(cp: Checkpointer, thresholdBytes: number, reportsBefore: number): Promise<void> {
  await waitFor(() => cp.checkpoints > reportsBefore && (cp.pendingBytes() ?? 0) < thresholdBytes, {
    timeoutMs: 20_000,
    message: 'the worker to checkpoint',
  });
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
    let maxWal = 0;
    // ~12 MiB written in rounds. Between rounds the writer waits for the worker to catch up, however long the
    // machine makes it wait (a fixed pause here once let a starved worker fall a dozen rounds behind: WAL 4.2 MB).
    for (let round = 0; round < 40; round++) {
      write(d, 20);
      maxWal = Math.max(maxWal, cp.walBytes());
      if ((cp.pendingBytes() ?? 0) >= thresholdBytes) await workerCaughtUp(cp, thresholdBytes, cp.checkpoints);
    }
    // one checkpoint per threshold's worth of frames (~12 MiB / 256 KiB = 47), not one per poll
    expect(cp.checkpoints).toBeGreaterThan(10);
    expect(cp.checkpoints).toBeLessThan(60);
    // Without checkpoints the WAL would hold all ~12 MiB. With them, each checkpoint lets the writer start the WAL
    // over: the file never holds more than the threshold plus a round (20 commits, ~0.3 MiB).
    expect(maxWal).toBeLessThan(thresholdBytes + 1024 * 1024);
    // caught up and idle, the worker polls without checkpointing. The report of its last checkpoint may still be on
    // its way to this thread: the count settles first (a worker checkpointing on every poll never lets it settle).
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
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
    expect((d.prepare('SELECT COUNT(*) AS n FROM filler').get() as { n: number }).n).toBe(800);
    await cp.stop();
    expect(d.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
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
