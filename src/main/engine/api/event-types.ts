// eventTypes.*: the catalog Compose loads templates from. Built-ins can be edited but not deleted. An import
// (OpenAPI 3.1 webhooks, AsyncAPI 3 send operations) creates and updates types in one transaction.
import type Database from 'better-sqlite3';
import { type EventType, type Handlers, HookbenchError, notFound } from '../../../shared';
import type { EventTypeSchemas } from '../catalog/event-type-schemas';
import { readCatalog } from '../catalog-import';
import type { EngineContext } from '../context';
import { guardStorage, iso } from '../db/util';

type EventTypeHandlers = Pick<
  Handlers,
  | 'eventTypes.list'
  | 'eventTypes.create'
  | 'eventTypes.update'
  | 'eventTypes.delete'
  | 'eventTypes.validate'
  | 'eventTypes.import'
>;

interface EventTypeRow {
  name: string;
  description: string;
  schema: string | null;
  example: string;
  built_in: number;
  created_at: number;
}

const toEventType = (r: EventTypeRow): EventType => ({
  name: r.name,
  description: r.description,
  schema: r.schema === null ? null : (JSON.parse(r.schema) as Record<string, unknown>),
  example: JSON.parse(r.example),
  builtIn: r.built_in === 1,
  createdAt: iso(r.created_at),
});

export function eventTypeHandlers(ctx: EngineContext, schemas: EventTypeSchemas): EventTypeHandlers {
  const db: Database.Database = ctx.db;
  const q = {
    all: db.prepare<[], EventTypeRow>('SELECT * FROM event_types ORDER BY built_in DESC, name'),
    get: db.prepare<[string], EventTypeRow>('SELECT * FROM event_types WHERE name = ?'),
    insert: db.prepare(
      'INSERT INTO event_types (name, description, schema, example, built_in, created_at) VALUES (?, ?, ?, ?, 0, ?)',
    ),
    update: db.prepare('UPDATE event_types SET description = ?, schema = ?, example = ? WHERE name = ?'),
    delete: db.prepare('DELETE FROM event_types WHERE name = ?'),
  };
  const row = (name: string) => {
    const r = q.get.get(name);
    if (!r) throw notFound('event type', name);
    return r;
  };
  return {
    'eventTypes.list': () => ({ data: q.all.all().map(toEventType), nextCursor: null }),
    'eventTypes.create': (input) => {
      if (q.get.get(input.name)) throw new HookbenchError('conflict', `Event type ${input.name} already exists`);
      schemas.assertConsistent(input.schema, input.example);
      guardStorage(() =>
        q.insert.run(
          input.name,
          input.description,
          input.schema === null ? null : JSON.stringify(input.schema),
          JSON.stringify(input.example),
          ctx.clock.now(),
        ),
      );
      return toEventType(row(input.name));
    },
    'eventTypes.update': (input) => {
      const cur = row(input.name);
      const schema =
        input.schema === undefined ? cur.schema : input.schema === null ? null : JSON.stringify(input.schema);
      const example = input.example === undefined ? cur.example : JSON.stringify(input.example);
      schemas.assertConsistent(
        schema === null ? null : (JSON.parse(schema) as Record<string, unknown>),
        JSON.parse(example),
      );
      guardStorage(() => q.update.run(input.description ?? cur.description, schema, example, input.name));
      schemas.changed(input.name);
      return toEventType(row(input.name));
    },
    'eventTypes.validate': (input) => {
      const verdict =
        input.schema !== undefined
          ? schemas.verdictForSchema(input.schema, input.data)
          : schemas.verdictForType(input.type as string, input.data);
      return verdict;
    },
    'eventTypes.import': async ({ source, dryRun }) => {
      const plan = await readCatalog(source);
      const created: typeof plan.entries = [];
      const updated: typeof plan.entries = [];
      const skipped = [...plan.skipped];
      for (const entry of plan.entries) {
        // the same check as a type created by hand: the schema compiles (2020-12) and the example validates
        try {
          schemas.assertConsistent(entry.schema, entry.example);
        } catch (err) {
          skipped.push({ name: entry.name, reason: err instanceof Error ? err.message : String(err) });
          continue;
        }
        const cur = q.get.get(entry.name);
        const same =
          cur &&
          cur.description === entry.description &&
          cur.schema === JSON.stringify(entry.schema) &&
          cur.example === JSON.stringify(entry.example);
        if (!cur) created.push(entry);
        else if (same) skipped.push({ name: entry.name, reason: 'unchanged' });
        else updated.push(entry);
      }
      if (!dryRun) {
        // All or nothing: a full disk halfway leaves the catalog as it was.
        guardStorage(() =>
          db.transaction(() => {
            const now = ctx.clock.now();
            for (const e of created)
              q.insert.run(e.name, e.description, JSON.stringify(e.schema), JSON.stringify(e.example), now);
            for (const e of updated)
              q.update.run(e.description, JSON.stringify(e.schema), JSON.stringify(e.example), e.name);
          })(),
        );
        for (const e of [...created, ...updated]) schemas.changed(e.name);
      }
      const brief = (e: { name: string; description: string }) => ({ name: e.name, description: e.description });
      return {
        format: plan.format,
        title: plan.title,
        dryRun,
        created: created.map(brief),
        updated: updated.map(brief),
        skipped,
      };
    },
    'eventTypes.delete': ({ name }) => {
      if (row(name).built_in === 1) throw new HookbenchError('conflict', `${name} is built in and cannot be deleted`);
      guardStorage(() => q.delete.run(name));
      schemas.changed(name);
      return { id: name, deleted: true as const };
    },
  };
}
