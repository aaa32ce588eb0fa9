import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/main/engine/db/migrate';
import { migrations } from '../../src/main/engine/db/migrations';
import { openDatabase } from '../../src/main/engine/db/open';
import { call, startEngine } from '../support/engine';
import { tempDbPath } from '../support/temp';

const schemaOf = (db: Database.Database) =>
  db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all();

describe('migrations', () => {
  it('are numbered from 1, strictly increasing (numbers reserved by other branches leave gaps until they merge)', () => {
    const versions = migrations.map((m) => m.version);
    expect(versions[0]).toBe(1);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
  });

  it('apply once; re-opening is a no-op that keeps data', async () => {
    const path = tempDbPath();
    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)?.version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    // 4 MiB of page cache (open.ts says why), not the binding's 16 MiB
    expect(db.pragma('cache_size', { simple: true })).toBe(-4000);
    const schema = schemaOf(db);
    expect(migrate(db)).toEqual([]);
    expect(schemaOf(db)).toEqual(schema);
    db.close();

    const engine = await startEngine({ dbPath: path, dispatch: false });
    await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/' });
    await engine.stop();
    const again = await startEngine({ dbPath: path, dispatch: false });
    expect((await call(again, 'endpoints.list', {})).data).toHaveLength(1);
    // built-ins seeded exactly once
    const types = await call(again, 'eventTypes.list', {});
    expect(
      types.data
        .filter((t) => t.builtIn)
        .map((t) => t.name)
        .sort(),
    ).toEqual(['invoice.paid', 'order.shipped', 'payment.completed', 'user.created']);
  });

  it('4 moves each stored payload into its event; the events read back unchanged', async () => {
    const path = tempDbPath();
    const db = new Database(path);
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, 3));
    // recent: retention at start-up would prune an old event that has no deliveries
    const at = Date.now();
    db.prepare("INSERT INTO events (id, type, version, created_at) VALUES ('ev1', 'user.created', 'v1', ?)").run(at);
    db.prepare('INSERT INTO event_payloads (event_id, data) VALUES (?, ?)').run('ev1', '{"user":{"id":"u_1"}}');
    expect(migrate(db)).toEqual(migrations.slice(3).map((m) => m.version));
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'event_payloads'").get()).toBeUndefined();
    db.close();
    const engine = await startEngine({ dbPath: path, dispatch: false });
    expect(await call(engine, 'events.get', { id: 'ev1' })).toMatchObject({
      type: 'user.created',
      createdAt: new Date(at).toISOString(),
      data: { user: { id: 'u_1' } },
    });
  });

  it('a failing migration rolls back entirely and leaves the version alone', () => {
    const db = new Database(tempDbPath());
    const broken = [
      ...migrations.slice(0, 1),
      {
        version: 2,
        name: 'broken',
        up(d: Database.Database) {
          d.exec('CREATE TABLE half_done (x INTEGER)');
          throw new Error('boom');
        },
      },
    ];
    expect(() => migrate(db, broken)).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    db.close();
  });

  it('refuses a database from a newer version', () => {
    const path = tempDbPath();
    const db = new Database(path);
    db.pragma('user_version = 999');
    db.close();
    expect(() => openDatabase(path)).toThrow(/newer/);
  });
});
