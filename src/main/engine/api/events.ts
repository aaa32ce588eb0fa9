// events.*: fire, preview, list (with each event's deliveries, searchable), get (with how each delivery went).
import type Database from 'better-sqlite3';
import {
  type DeliveryStatus,
  type Event,
  type EventDelivery,
  type Handlers,
  notFound,
  type PausedReason,
} from '../../../shared';
import type { EventTypeSchemas } from '../catalog/event-type-schemas';
import type { EngineContext } from '../context';
import { EVENTS_MATCHING, ftsPhrase } from '../db/delivery-filter-sql';
import { decodeCursor, encodeCursor, guardStorage, iso, isoOrNull, likePrefix } from '../db/util';
import type { HandlerParts } from './index';

type EventHandlers = Pick<Handlers, 'events.create' | 'events.preview' | 'events.list' | 'events.get'>;

interface EventRow {
  id: string;
  type: string;
  version: string;
  created_at: number;
  data: string;
}

interface EventDeliveryRow {
  id: string;
  event_id: string;
  endpoint_id: string;
  endpoint_url: string | null;
  status: DeliveryStatus;
  paused_reason: PausedReason | null;
  attempt_count: number;
  last_status: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  next_attempt_at: number | null;
  updated_at: number;
}

const SELECT = 'SELECT e.id, e.type, e.version, e.created_at, e.data FROM events e';
/** a page of events, newest first from the cursor (row values: SQLite seeks the index to it) */
const PAGE = '(e.created_at, e.id) < (?, ?) ORDER BY e.created_at DESC, e.id DESC LIMIT ?';

export function eventHandlers(
  ctx: EngineContext,
  { events, intake, search: index }: HandlerParts,
  schemas: EventTypeSchemas,
): EventHandlers {
  const db: Database.Database = ctx.db;
  const deliveryColumns = `d.id, d.event_id, d.endpoint_id, ep.url AS endpoint_url, d.status, d.paused_reason,
    d.attempt_count, d.last_status, d.last_error, d.last_duration_ms, d.next_attempt_at, d.updated_at
    FROM deliveries d LEFT JOIN endpoints ep ON ep.id = d.endpoint_id AND ep.deleted_at IS NULL`;
  const q = {
    get: db.prepare<[string], EventRow>(`${SELECT} WHERE e.id = ?`),
    deliveries: db.prepare<[string], EventDeliveryRow>(
      `SELECT ${deliveryColumns} WHERE d.event_id = ? ORDER BY d.created_at, d.id`,
    ),
    // a page's deliveries in one read (deliveries_by_event), not one query per event
    refs: db.prepare<
      [string],
      { id: string; event_id: string; endpoint_id: string; status: DeliveryStatus; attempt_count: number }
    >(
      `SELECT d.id, d.event_id, d.endpoint_id, d.status, d.attempt_count FROM deliveries d
       WHERE d.event_id IN (SELECT value FROM json_each(?)) ORDER BY d.created_at, d.id`,
    ),
    page: db.prepare<[number, string, number], EventRow>(`${SELECT} WHERE ${PAGE}`),
    pageOfType: db.prepare<[string, number, string, number], EventRow>(`${SELECT} WHERE e.type = ? AND ${PAGE}`),
    // search: an id prefix or the words of the data (migration 7's index); the type filter applies on top
    search: db.prepare<[string, string, string | null, string | null, number, string, number], EventRow>(
      `${SELECT} WHERE (e.id LIKE ? ESCAPE '\\' OR e.id IN (${EVENTS_MATCHING})) AND (? IS NULL OR e.type = ?)
       AND ${PAGE}`,
    ),
  };
  const toEvent = (r: EventRow): Event => ({
    id: r.id,
    type: r.type,
    version: r.version,
    createdAt: iso(r.created_at),
    data: JSON.parse(r.data),
  });
  const toEventDelivery = (d: EventDeliveryRow): EventDelivery => ({
    id: d.id,
    endpointId: d.endpoint_id,
    endpointUrl: d.endpoint_url,
    status: d.status,
    pausedReason: d.status === 'paused' ? (d.paused_reason ?? 'endpoint_disabled') : null,
    attemptCount: d.attempt_count,
    lastStatus: d.last_status,
    lastError: d.last_error,
    lastDurationMs: d.last_duration_ms,
    nextAttemptAt: d.status === 'pending' ? isoOrNull(d.next_attempt_at) : null,
    updatedAt: iso(d.updated_at),
  });

  return {
    'events.create': (input) => {
      // refused before anything is written or queued; `validate: false` sends a bad payload on purpose
      if (input.validate) schemas.assertEventData(input.type, input.data);
      return intake.fire(input);
    },
    'events.preview': (input) => events.preview(input),
    'events.list': ({ type, q: text, cursor, limit }) => {
      // The first page starts above any real key; later pages continue below the last one shown.
      const c = cursor ? decodeCursor(cursor) : { createdAt: Number.MAX_SAFE_INTEGER, id: '' };
      const search = text?.trim();
      if (search) guardStorage(() => index.catchUp());
      // text without a word to index (punctuation) still matches ids by prefix; '""' is a phrase matching nothing
      const rows = search
        ? q.search.all(
            likePrefix(search),
            ftsPhrase(search) ?? '""',
            type ?? null,
            type ?? null,
            c.createdAt,
            c.id,
            limit + 1,
          )
        : type
          ? q.pageOfType.all(type, c.createdAt, c.id, limit + 1)
          : q.page.all(c.createdAt, c.id, limit + 1);
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      const byEvent = new Map<string, NonNullable<Event['deliveries']>>();
      if (page.length > 0) {
        for (const d of q.refs.all(JSON.stringify(page.map((r) => r.id)))) {
          const list = byEvent.get(d.event_id) ?? [];
          list.push({ id: d.id, endpointId: d.endpoint_id, status: d.status, attemptCount: d.attempt_count });
          byEvent.set(d.event_id, list);
        }
      }
      return {
        data: page.map((r) => ({ ...toEvent(r), deliveries: byEvent.get(r.id) ?? [] })),
        nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null,
      };
    },
    'events.get': ({ id }) => {
      const row = q.get.get(id);
      if (!row) throw notFound('event', id);
      return { ...toEvent(row), deliveries: q.deliveries.all(id).map(toEventDelivery) };
    },
  };
}
