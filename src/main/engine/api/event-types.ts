// eventTypes.*: the catalog Compose loads templates from. Built-ins can be edited but not deleted.
import type Database from 'better-sqlite3';
import { type EventType, type Handlers, HookbenchError, notFound } from '../../../shared';
import type { EventTypeSchemas } from '../catalog/event-type-schemas';
import type { EngineContext } from '../context';
import { guardStorage, iso } from '../db/util';

type EventTypeHandlers = Pick<
  Handlers,
  'eventTypes.list' | 'eventTypes.create' | 'eventTypes.update' | 'eventTypes.delete' | 'eventTypes.validate'
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
    'eventTypes.delete': ({ name }) => {
      if (row(name).built_in === 1) throw new HookbenchError('conflict', `${name} is built in and cannot be deleted`);
      guardStorage(() => q.delete.run(name));
      schemas.changed(name);
      return { id: name, deleted: true as const };
    },
  };
}
