// WAL checkpoints on a worker thread: the writer's connection stops checkpointing, the worker keeps the WAL bounded,
// and when the worker cannot run the connection goes back to SQLite's own checkpoints.
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Checkpointer } from '../../src/main/engine/db/checkpointer';
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
 * Waits until the worker has run a checkpoint that began after the writes so far: their frames are then all copied
 * into the database, and the writer's next transaction starts the WAL over from its beginning. Checkpoint reports
 * that were posted during the writes are first let in (one turn of the event loop), then two more are awaited: the
 * second of them began after the first ended, which was after the writes (else it would have been let in).
 */
async function workerCaughtUp(cp: Checkpointer): Promise<void> {
  await new Promise((r) => setImmediate(r));
  const seen = cp.checkpoints;
  await waitFor(() => cp.checkpoints >= seen + 2, { timeoutMs: 20_000, message: 'the worker to checkpoint' });
}

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
    // The worker only looks once the WAL file passed the threshold, and the file never shrinks (SQLite reuses it
    // from the start instead), so from then on it checkpoints on every poll.
    for (let round = 0; round < 40; round++) {
      write(d, 20);
      maxWal = Math.max(maxWal, cp.walBytes());
      if (cp.walBytes() >= thresholdBytes) await workerCaughtUp(cp);
    }
    expect(cp.checkpoints).toBeGreaterThan(0);
    // Without checkpoints the WAL would hold all ~12 MiB. With them, once past the threshold, each round starts the
    // WAL over: the file never holds more than the threshold plus two rounds (20 commits, ~0.3 MiB each; measured
    // 0.56 MiB every time, idle or with six busy loops beside it).
    expect(maxWal).toBeLessThan(thresholdBytes + 1024 * 1024);
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
