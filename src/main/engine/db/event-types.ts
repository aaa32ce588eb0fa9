// SQLite storage of the catalog's event types (table from migration 1, built-ins seeded there). Prepared once;
// writes map a full disk to storage_full. The API's rules (consistency of schema and example, what an import
// changes) live in api/event-types.ts; this is what they read and write.
import type Database from 'better-sqlite3';
import { type EventType, HookbenchError, notFound } from '../../../shared';
import type { EventTypeRow, EventTypeStorePort, EventTypeText } from '../store/catalog-ports';
import { guardStorage, iso } from './util';

export const toEventType = (r: EventTypeRow): EventType => ({
  name: r.name,
  description: r.description,
  schema: r.schema === null ? null : (JSON.parse(r.schema) as Record<string, unknown>),
  example: JSON.parse(r.example),
  builtIn: r.built_in === 1,
  createdAt: iso(r.created_at),
});

/** The same refusals from both stores. */
export const eventTypeTaken = (name: string) => new HookbenchError('conflict', `Event type ${name} already exists`);
export const builtInKept = (name: string) =>
  new HookbenchError('conflict', `${name} is built in and cannot be deleted`);

export class EventTypeStore implements EventTypeStorePort {
  private readonly q: {
    all: Database.Statement<[], EventTypeRow>;
    get: Database.Statement<[string], EventTypeRow>;
    insert: Database.Statement<[string, string, string | null, string, number]>;
    update: Database.Statement<[string, string | null, string, string]>;
    delete: Database.Statement<[string]>;
    schema: Database.Statement<[string], { schema: string | null }>;
  };

  constructor(private readonly db: Database.Database) {
    this.q = {
      all: db.prepare('SELECT * FROM event_types ORDER BY built_in DESC, name'),
      get: db.prepare('SELECT * FROM event_types WHERE name = ?'),
      insert: db.prepare(
        'INSERT INTO event_types (name, description, schema, example, built_in, created_at) VALUES (?, ?, ?, ?, 0, ?)',
      ),
      update: db.prepare('UPDATE event_types SET description = ?, schema = ?, example = ? WHERE name = ?'),
      delete: db.prepare('DELETE FROM event_types WHERE name = ?'),
      // events.create's hot path reads only the schema
      schema: db.prepare('SELECT schema FROM event_types WHERE name = ?'),
    };
  }

  list(): EventTypeRow[] {
    return this.q.all.all();
  }

  find(name: string): EventTypeRow | null {
    return this.q.get.get(name) ?? null;
  }

  create(t: EventTypeText, now: number): EventTypeRow {
    if (this.find(t.name)) throw eventTypeTaken(t.name);
    guardStorage(() => this.q.insert.run(t.name, t.description, t.schema, t.example, now));
    return this.row(t.name);
  }

  update(t: EventTypeText): EventTypeRow {
    this.row(t.name);
    guardStorage(() => this.q.update.run(t.description, t.schema, t.example, t.name));
    return this.row(t.name);
  }

  delete(name: string): void {
    if (this.row(name).built_in === 1) throw builtInKept(name);
    guardStorage(() => this.q.delete.run(name));
  }

  importAll(created: EventTypeText[], updated: EventTypeText[], now: number): void {
    // All or nothing: a full disk halfway leaves the catalog as it was.
    guardStorage(() =>
      this.db.transaction(() => {
        for (const e of created) this.q.insert.run(e.name, e.description, e.schema, e.example, now);
        for (const e of updated) this.q.update.run(e.description, e.schema, e.example, e.name);
      })(),
    );
  }

  schemaOf(name: string): string | null {
    return this.q.schema.get(name)?.schema ?? null;
  }

  load(): void {
    // every answer is read from the database when asked
  }

  refresh(_name?: string): void {
    // nothing held in memory
  }

  private row(name: string): EventTypeRow {
    const r = this.find(name);
    if (!r) throw notFound('event type', name);
    return r;
  }
}
