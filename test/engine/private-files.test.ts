// Data files are private: a new data directory is 0700, the database, WAL and SHM 0600, and files an earlier
// version left 0644 are tightened at start with one log line.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tightenFiles } from '../../src/main/engine/db/private-files';
import { call, startEngine } from '../support/engine';
import { recordingLog } from '../support/log';
import { tempDir } from '../support/temp';

const modeOf = (path: string) => statSync(path).mode & 0o777;
const posix = process.platform !== 'win32';

describe.runIf(posix)('private data files', () => {
  it('creates the data directory 0700 and the database, WAL and SHM 0600', async () => {
    const dir = join(tempDir(), 'nested', 'data');
    const dbPath = join(dir, 'hookbench.db');
    const engine = await startEngine({ dbPath });
    await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/hook' });
    expect(modeOf(dir)).toBe(0o700);
    for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) {
      expect(existsSync(f), f).toBe(true);
      expect(modeOf(f), f).toBe(0o600);
    }
  });

  it('tightens files an earlier version left readable by others, saying so once', async () => {
    const dbPath = join(tempDir(), 'hookbench.db');
    const first = await startEngine({ dbPath });
    await call(first, 'endpoints.create', { url: 'http://127.0.0.1:9/hook' });
    await first.stop();
    for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) if (existsSync(f)) chmodSync(f, 0o644);

    const log = recordingLog();
    await startEngine({ dbPath, log });
    const lines = log.entries.filter((e) => e.msg.startsWith('made database files private'));
    expect(lines).toHaveLength(1);
    expect(lines[0]?.fields?.files).toContain(dbPath);
    expect(modeOf(dbPath)).toBe(0o600);

    // already private: nothing to say
    const quiet = recordingLog();
    await startEngine({ dbPath: join(tempDir(), 'other.db'), log: quiet });
    expect(quiet.entries.filter((e) => e.msg.startsWith('made database files private'))).toEqual([]);
  });

  it('refuses a directory or a file that is not a database as its path, changing neither (once, /tmp became 0600)', async () => {
    const dir = tempDir();
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    await expect(startEngine({ dbPath: shared })).rejects.toThrow(`The database path ${shared} is a directory`);
    expect(statSync(shared).mode & 0o7777).toBe(0o1777);
    expect(readdirSync(shared)).toEqual([]);

    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'my notes\n');
    chmodSync(notes, 0o644);
    await expect(startEngine({ dbPath: notes })).rejects.toThrow(`The database path ${notes} is not a SQLite database`);
    expect(modeOf(notes)).toBe(0o644);
    expect(readFileSync(notes, 'utf8')).toBe('my notes\n');
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'shared']);

    // and the tightening itself never touches a directory
    expect(tightenFiles([shared])).toEqual([]);
    expect(statSync(shared).mode & 0o7777).toBe(0o1777);
  });
});
