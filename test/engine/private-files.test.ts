// Data files are private: a new data directory is 0700, the database, WAL and SHM 0600, and files an earlier
// version left 0644 are tightened at start with one log line.
import { chmodSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
