// events.*: fire, preview, list (with each event's deliveries, searchable), get (with how each delivery went), the
// distinct types fired (for filters), on
// ports: the same handlers answer from SQLite's EventReads and PostgreSQL's PgEventReads.
import type { z } from 'zod';
import type { Event, EventInput, EventPreview, Handlers } from '../../../shared';
import type { EventTypeSchemas } from '../catalog/event-type-schemas';
import type { EngineContext } from '../context';
import { EventReads } from '../db/event-reads';
import { guardStorage } from '../db/util';
import type { Awaitable } from '../delivery/state-store';
import type { EventReadStore } from '../store/read-ports';
import type { HandlerContext } from './handler-context';
import type { HandlerParts } from './index';

type EventHandlers = Pick<Handlers, 'events.create' | 'events.preview' | 'events.list' | 'events.get' | 'events.types'>;
type ParsedEventInput = z.output<typeof EventInput>;

/** What the events handlers act on. */
export interface EventPorts {
  reads: EventReadStore;
  /** writes the event and its deliveries (the dispatcher's commit batch); resolves once committed */
  fire: (input: ParsedEventInput) => Promise<Event>;
  /** events/preview.ts previewEvent over the store's endpoints */
  preview: (input: ParsedEventInput) => Awaitable<EventPreview>;
  /** refuses data its type's schema rejects (events.create with validate) */
  schemas: { assertEventData(type: string, data: unknown): Awaitable<void> };
  /** SQLite's payload index, caught up before a search (PostgreSQL searches the table itself) */
  search?: { catchUp(): void };
}

/** SQLite's ports, from the running SQLite engine's parts. */
export function sqliteEventPorts(
  db: EngineContext['db'],
  { events, intake, search }: Pick<HandlerParts, 'events' | 'intake' | 'search'>,
  schemas: EventTypeSchemas,
): EventPorts {
  return {
    reads: new EventReads(db),
    fire: (input) => intake.fire(input),
    preview: (input) => events.preview(input),
    schemas,
    search,
  };
}

export function eventHandlers(_ctx: HandlerContext, ports: EventPorts): EventHandlers {
  const { reads, fire, preview, schemas, search } = ports;
  return {
    // Not an async function: fire's own promise is the answer (an async wrapper would add a promise and two turns of
    // the microtask queue to every event). The schema check refuses before anything is written or queued;
    // `validate: false` sends a bad payload on purpose.
    'events.create': (input) => {
      if (!input.validate) return fire(input);
      return (async () => {
        await schemas.assertEventData(input.type, input.data);
        return fire(input);
      })();
    },
    'events.preview': async (input) => preview(input),
    'events.list': async (input) => {
      // a search reads the payload index with every event in it
      if (search && input.q?.trim()) guardStorage(() => search.catchUp());
      return reads.list(input);
    },
    'events.get': async ({ id }) => reads.get(id),
    'events.types': async ({ limit }) => reads.types(limit),
  };
}
