// events.*: fire, preview, list, get.
import type Database from 'better-sqlite3';
import { type Event, type Handlers, notFound } from '../../../shared';
import type { EventTypeSchemas } from '../catalog/event-type-schemas';
import type { EngineContext } from '../context';
import { decodeCursor, encodeCursor, iso } from '../db/util';
import type { HandlerParts } from './index';

type EventHandlers = Pick<Handlers, 'events.create' | 'events.preview' | 'events.list' | 'events.get'>;

interface EventRow {
  id: string;
  type: string;
  version: string;
  created_at: number;
  data: string;
}

export function eventHandlers(
  ctx: EngineContext,
  { events, intake }: HandlerParts,
  schemas: EventTypeSchemas,
): EventHandlers {
  const db: Database.Database = ctx.db;
  const select = 'SELECT e.id, e.type, e.version, e.created_at, e.data FROM events e';
  const q = {
    get: db.prepare<[string], EventRow>(`${select} WHERE e.id = ?`),
    deliveries: db.prepare<[string], { id: string; endpoint_id: string; status: string }>(
      'SELECT id, endpoint_id, status FROM deliveries WHERE event_id = ? ORDER BY created_at, id',
    ),
    // row values: SQLite seeks the index to the cursor (an OR of the two cases made it scan from the top)
    page: db.prepare<[number, string, number], EventRow>(
      `${select} WHERE (e.created_at, e.id) < (?, ?) ORDER BY e.created_at DESC, e.id DESC LIMIT ?`,
    ),
    pageOfType: db.prepare<[string, number, string, number], EventRow>(
      `${select} WHERE e.type = ? AND (e.created_at, e.id) < (?, ?) ORDER BY e.created_at DESC, e.id DESC LIMIT ?`,
    ),
  };
  const toEvent = (r: EventRow): Event => ({
    id: r.id,
    type: r.type,
    version: r.version,
    createdAt: iso(r.created_at),
    data: JSON.parse(r.data),
  });

  return {
    'events.create': (input) => {
      // refused before anything is written or queued; `validate: false` sends a bad payload on purpose
      if (input.validate) schemas.assertEventData(input.type, input.data);
      return intake.fire(input);
    },
    'events.preview': (input) => events.preview(input),
    'events.list': ({ type, cursor, limit }) => {
      // The first page starts above any real key; later pages continue below the last one shown.
      const c = cursor ? decodeCursor(cursor) : { createdAt: Number.MAX_SAFE_INTEGER, id: '' };
      const rows = type
        ? q.pageOfType.all(type, c.createdAt, c.id, limit + 1)
        : q.page.all(c.createdAt, c.id, limit + 1);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        data: page.map(toEvent),
        nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null,
      };
    },
    'events.get': ({ id }) => {
      const row = q.get.get(id);
      if (!row) throw notFound('event', id);
      const deliveries = q.deliveries.all(id).map((d) => ({
        id: d.id,
        endpointId: d.endpoint_id,
        status: d.status as NonNullable<Event['deliveries']>[number]['status'],
      }));
      return { ...toEvent(row), deliveries };
    },
  };
}
