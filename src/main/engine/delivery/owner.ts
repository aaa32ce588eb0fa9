// Which process dispatches from this database file. Leases protect against two live dispatchers; this record
// lets a restart after a crash take back the dead process's claims at once instead of waiting for their leases.
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';

const KEY = 'dispatcher_owner';

interface Owner {
  pid: number;
  host: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else — alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DispatcherOwner {
  private readonly get: Database.Statement<[string], { value: string }>;
  private readonly put: Database.Statement<[string, string]>;
  private readonly del: Database.Statement<[string, string]>;
  private readonly me: Owner = { pid: process.pid, host: hostname() };

  constructor(db: Database.Database) {
    this.get = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.put = db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.del = db.prepare('DELETE FROM settings WHERE key = ? AND value = ?');
  }

  /**
   * Records this process as the dispatcher; returns true when the previous one is known dead (a process on this
   * host that no longer exists), so every delivery it had leased can be taken back now.
   */
  claim(): boolean {
    const row = this.get.get(KEY);
    let previousDead = false;
    if (row) {
      try {
        const prev = JSON.parse(row.value) as Owner;
        previousDead = prev.host === this.me.host && prev.pid !== this.me.pid && !alive(prev.pid);
      } catch {
        previousDead = false;
      }
    }
    this.put.run(KEY, JSON.stringify(this.me));
    return previousDead;
  }

  /** A clean stop leaves no owner behind. */
  release(): void {
    this.del.run(KEY, JSON.stringify(this.me));
  }
}
