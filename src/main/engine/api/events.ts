// events.*: fire, preview, list (with each event's deliveries, searchable), get (with how each delivery went).
import type { Handlers } from '../../../shared';
import type { EventTypeSchemas } from '../catalog/event-type-schemas';
import type { EngineContext } from '../context';
import { EventReads } from '../db/event-reads';
import { guardStorage } from '../db/util';
import type { HandlerParts } from './index';

type EventHandlers = Pick<Handlers, 'events.create' | 'events.preview' | 'events.list' | 'events.get'>;

export function eventHandlers(
  ctx: EngineContext,
  { events, intake, search: index }: HandlerParts,
  schemas: EventTypeSchemas,
): EventHandlers {
  const reads = new EventReads(ctx.db);

  return {
    'events.create': (input) => {
      // refused before anything is written or queued; `validate: false` sends a bad payload on purpose
      if (input.validate) schemas.assertEventData(input.type, input.data);
      return intake.fire(input);
    },
    'events.preview': (input) => events.preview(input),
    'events.list': (input) => {
      // a search reads the payload index with every event in it
      if (input.q?.trim()) guardStorage(() => index.catchUp());
      return reads.list(input);
    },
    'events.get': ({ id }) => reads.get(id),
  };
}
