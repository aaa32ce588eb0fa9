// eventTypes.*: the catalog Compose loads templates from. Built-ins can be edited but not deleted. An import
// (OpenAPI 3.1 webhooks, AsyncAPI 3 send operations) creates and updates types in one transaction. The rows live
// behind EventTypeStorePort (SQLite's EventTypeStore, PostgreSQL's PgEventTypeStore); the rules live here.
import { type Handlers, notFound } from '../../../shared';
import type { EventTypeSchemas } from '../catalog/event-type-schemas';
import type { EngineContext } from '../context';
import { eventTypeTaken, toEventType } from '../db/event-types';
import type { EventTypeStorePort, EventTypeText } from '../store/catalog-ports';

type EventTypeHandlers = Pick<
  Handlers,
  | 'eventTypes.list'
  | 'eventTypes.create'
  | 'eventTypes.update'
  | 'eventTypes.delete'
  | 'eventTypes.validate'
  | 'eventTypes.import'
>;

const json = (value: unknown): string => JSON.stringify(value);
const jsonOrNull = (schema: Record<string, unknown> | null): string | null => (schema === null ? null : json(schema));

/** Only the clock of the context: the store holds the rows. */
export function eventTypeHandlers(
  ctx: Pick<EngineContext, 'clock'>,
  store: EventTypeStorePort,
  schemas: EventTypeSchemas,
): EventTypeHandlers {
  return {
    'eventTypes.list': async () => ({ data: (await store.list()).map(toEventType), nextCursor: null }),
    'eventTypes.create': async (input) => {
      // a taken name is told before a bad schema, as it always was; create() refuses it again if one raced in
      if (await store.find(input.name)) throw eventTypeTaken(input.name);
      schemas.assertConsistent(input.schema, input.example);
      const text = {
        name: input.name,
        description: input.description,
        schema: jsonOrNull(input.schema),
        example: json(input.example),
      };
      return toEventType(await store.create(text, ctx.clock.now()));
    },
    'eventTypes.update': async (input) => {
      const cur = await store.find(input.name);
      if (!cur) throw notFound('event type', input.name);
      const schema = input.schema === undefined ? cur.schema : jsonOrNull(input.schema);
      const example = input.example === undefined ? cur.example : json(input.example);
      schemas.assertConsistent(
        schema === null ? null : (JSON.parse(schema) as Record<string, unknown>),
        JSON.parse(example),
      );
      const row = await store.update({
        name: input.name,
        description: input.description ?? cur.description,
        schema,
        example,
      });
      schemas.changed(input.name);
      return toEventType(row);
    },
    'eventTypes.validate': (input) => {
      const verdict =
        input.schema !== undefined
          ? schemas.verdictForSchema(input.schema, input.data)
          : schemas.verdictForType(input.type as string, input.data);
      return verdict;
    },
    'eventTypes.import': async ({ source, dryRun }) => {
      // the catalog reader (YAML, $ref resolution: ~5 MiB of an idle engine's memory) loads when a catalog is imported
      const { readCatalog } = await import('../catalog-import');
      const plan = await readCatalog(source);
      const created: EventTypeText[] = [];
      const updated: EventTypeText[] = [];
      const skipped = [...plan.skipped];
      for (const entry of plan.entries) {
        // the same check as a type created by hand: the schema compiles (2020-12) and the example validates
        try {
          schemas.assertConsistent(entry.schema, entry.example);
        } catch (err) {
          skipped.push({ name: entry.name, reason: err instanceof Error ? err.message : String(err) });
          continue;
        }
        const text = {
          name: entry.name,
          description: entry.description,
          schema: json(entry.schema),
          example: json(entry.example),
        };
        const cur = await store.find(entry.name);
        const same =
          cur && cur.description === text.description && cur.schema === text.schema && cur.example === text.example;
        if (!cur) created.push(text);
        else if (same) skipped.push({ name: entry.name, reason: 'unchanged' });
        else updated.push(text);
      }
      if (!dryRun) {
        await store.importAll(created, updated, ctx.clock.now());
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
    'eventTypes.delete': async ({ name }) => {
      await store.delete(name);
      schemas.changed(name);
      return { id: name, deleted: true as const };
    },
  };
}
