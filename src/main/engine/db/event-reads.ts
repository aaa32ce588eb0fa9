// Event reads on SQLite (events.list, events.get, events.types): pages newest first with each event's delivery refs,
// searchable by id prefix and the words of the data; one event with how each of its deliveries went; the distinct
// types fired. The row shapes and their mapping are exported for the PostgreSQL twin (store/pg/event-reads.ts), so
// both answer alike.
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import {
  type DeliveryStatus,
  type Event,
  type EventDelivery,
  type EventDetail,
  type EventListInput,
  type FiredTypes,
  notFound,
  type PausedReason,
} from '../../../shared';
import type { EventReadStore, Page } from '../store/read-ports';
import { EVENTS_MATCHING, ftsPhrase } from './delivery-filter-sql';
import { SYSTEM_ENDPOINT_ID } from './endpoints';
import { decodeCursor, encodeCursor, iso, isoOrNull, likePrefix, typeFilter } from './util';

export interface EventRow {
  id: string;
  type: string;
  version: string;
  created_at: number;
  data: string;
}

export interface EventDeliveryRow {
  id: string;
  event_id: string;
  endpoint_id: string;
  endpoint_url: string | null;
  status: DeliveryStatus;
  paused_reason: PausedReason | null;
  attempt_count: number;
  max_attempts: number;
  last_status: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  next_attempt_at: number | null;
  updated_at: number;
}

/** A page's deliveries, as events.list shows them under each event. */
export interface EventDeliveryRefRow {
  id: string;
  event_id: string;
  endpoint_id: string;
  status: DeliveryStatus;
  attempt_count: number;
  max_attempts: number;
}

export const EVENT_COLUMNS = 'e.id, e.type, e.version, e.created_at, e.data';
/** an event's deliveries with their endpoint's URL (none once the endpoint is deleted), oldest first */
export const EVENT_DELIVERY_COLUMNS = `d.id, d.event_id, d.endpoint_id, ep.url AS endpoint_url, d.status,
  d.paused_reason, d.attempt_count, d.max_attempts, d.last_status, d.last_error, d.last_duration_ms, d.next_attempt_at, d.updated_at
  FROM deliveries d LEFT JOIN endpoints ep ON ep.id = d.endpoint_id AND ep.deleted_at IS NULL`;

export function toEvent(r: EventRow): Event {
  return { id: r.id, type: r.type, version: r.version, createdAt: iso(r.created_at), data: JSON.parse(r.data) };
}

export function toEventDelivery(d: EventDeliveryRow): EventDelivery {
  return {
    id: d.id,
    endpointId: d.endpoint_id,
    endpointUrl: d.endpoint_url,
    status: d.status,
    pausedReason: d.status === 'paused' ? (d.paused_reason ?? 'endpoint_disabled') : null,
    attemptCount: d.attempt_count,
    maxAttempts: d.max_attempts,
    lastStatus: d.last_status,
    lastError: d.last_error,
    lastDurationMs: d.last_duration_ms,
    nextAttemptAt: d.status === 'pending' ? isoOrNull(d.next_attempt_at) : null,
    updatedAt: iso(d.updated_at),
  };
}

/** The first page starts above any real key; later pages continue below the last one shown. */
export function eventCursor(cursor: string | undefined): { createdAt: number; id: string } {
  return cursor ? decodeCursor(cursor) : { createdAt: Number.MAX_SAFE_INTEGER, id: '' };
}

/** A page from `limit + 1` rows and the refs of its events' deliveries (in delivery order). */
export function eventPage(rows: EventRow[], limit: number, refs: readonly EventDeliveryRefRow[]): Page<Event> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const byEvent = new Map<string, NonNullable<Event['deliveries']>>();
  for (const d of refs) {
    const list = byEvent.get(d.event_id) ?? [];
    list.push({
      id: d.id,
      endpointId: d.endpoint_id,
      status: d.status,
      attemptCount: d.attempt_count,
      maxAttempts: d.max_attempts,
    });
    byEvent.set(d.event_id, list);
  }
  return {
    data: page.map((r) => ({ ...toEvent(r), deliveries: byEvent.get(r.id) ?? [] })),
    nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null,
  };
}

/** The answer to events.types from up to `limit + 1` names in the store's index order: sorted alike on both stores. */
export function firedTypes(names: readonly string[], limit: number): FiredTypes {
  return { data: names.slice(0, limit).sort(), truncated: names.length > limit };
}

/** An event an endpoint missed: what its replayed delivery needs. */
export interface MissedEventRow {
  id: string;
  type: string;
}

/** Which events an endpoint missed: its filters, a range [since, until) in ms, at most `limit` of them. */
export interface MissedEventsQuery {
  endpointId: string;
  filters: readonly string[];
  since: number;
  until: number;
  limit: number;
}

/**
 * The events of [since, until) that `filters` accept, with no delivery to the endpoint, oldest first, at most
 * `limit` (both stores; `param` binds a value and returns its placeholder, `?` or `$n`, in the order of the text).
 * The filters mean what subscribes() means (an exact type, a prefix `invoice.*` compared with case, `*`); operational
 * events (those with a delivery to the system endpoint) are not the user's to replay, nor test sends (one endpoint's).
 */
export function missedEventsSql(q: MissedEventsQuery, param: (value: string | number) => string): string {
  const range = `e.created_at >= ${param(q.since)} AND e.created_at < ${param(q.until)}`;
  const every = q.filters.length === 0 || q.filters.includes('*');
  const types = every
    ? ''
    : ` AND (${q.filters
        .map((f) => {
          if (!f.endsWith('.*') && !f.endsWith('/*')) return `e.type = ${param(f)}`;
          const prefix = f.slice(0, -1);
          return `substr(e.type, 1, ${prefix.length}) = ${param(prefix)}`;
        })
        .join(' OR ')})`;
  const none = `NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id
    AND (d.endpoint_id = ${param(q.endpointId)} OR d.endpoint_id = ${param(SYSTEM_ENDPOINT_ID)}))`;
  // a test send's event was never fired (migration 10)
  return `SELECT e.id, e.type FROM events e WHERE ${range}${types} AND e.test = 0 AND ${none}
    ORDER BY e.created_at, e.id LIMIT ${param(q.limit)}`;
}

/** The events an endpoint missed (missedEventsSql), on SQLite; run it in the transaction that writes their deliveries. */
export function missedEvents(db: Database.Database, q: MissedEventsQuery): MissedEventRow[] {
  const args: Array<string | number> = [];
  const sql = missedEventsSql(q, (v) => {
    args.push(v);
    return '?';
  });
  return db.prepare<unknown[], MissedEventRow>(sql).all(...args);
}

const SELECT = `SELECT ${EVENT_COLUMNS} FROM events e`;
/** a page of events, newest first from the cursor (row values: SQLite seeks the index to it) */
const PAGE = '(e.created_at, e.id) < (?, ?) ORDER BY e.created_at DESC, e.id DESC LIMIT ?';

export class EventReads implements EventReadStore {
  private readonly q;

  /** A search reads events_fts: catch the payload index up first (SearchIndex.catchUp), as the API does. */
  constructor(db: Database.Database) {
    this.q = {
      get: db.prepare<[string], EventRow>(`${SELECT} WHERE e.id = ?`),
      deliveries: db.prepare<[string], EventDeliveryRow>(
        `SELECT ${EVENT_DELIVERY_COLUMNS} WHERE d.event_id = ? ORDER BY d.created_at, d.id`,
      ),
      // a page's deliveries in one read (deliveries_by_event), not one query per event
      refs: db.prepare<[string], EventDeliveryRefRow>(
        `SELECT d.id, d.event_id, d.endpoint_id, d.status, d.attempt_count, d.max_attempts FROM deliveries d
         WHERE d.event_id IN (SELECT value FROM json_each(?)) ORDER BY d.created_at, d.id`,
      ),
      page: db.prepare<[number, string, number], EventRow>(`${SELECT} WHERE ${PAGE}`),
      // each distinct type by one seek of events_by_type from the one before (a loose index scan), not a scan of
      // every event; the recursion's LIMIT bounds the seeks (its last row is NULL when the types ran out first)
      types: db
        .prepare<[number], string>(
          `WITH RECURSIVE fired(type) AS (
             SELECT min(type) FROM events
             UNION ALL
             SELECT (SELECT min(e.type) FROM events e WHERE e.type > fired.type) FROM fired
             WHERE fired.type IS NOT NULL LIMIT ?
           )
           SELECT type FROM fired WHERE type IS NOT NULL`,
        )
        .pluck(),
      pageOfType: db.prepare<[string, number, string, number], EventRow>(`${SELECT} WHERE e.type = ? AND ${PAGE}`),
      // search: an id prefix or the words of the data (migration 7's index); the type filter applies on top
      pageOfFamily: db.prepare<[string, number, string, number], EventRow>(
        `${SELECT} WHERE e.type LIKE ? ESCAPE '\\' AND ${PAGE}`,
      ),
      // the type filter on top: none, exact (= the 2nd), or a family (LIKE the 3rd; the other is NULL)
      search: db.prepare<
        [string, string, string | null, string | null, string | null, number, string, number],
        EventRow
      >(
        `${SELECT} WHERE (e.id LIKE ? ESCAPE '\\' OR e.id IN (${EVENTS_MATCHING}))
         AND (? IS NULL OR e.type = ? OR e.type LIKE ? ESCAPE '\\') AND ${PAGE}`,
      ),
    };
  }

  list({ type, q: text, cursor, limit }: z.output<typeof EventListInput>): Page<Event> {
    const c = eventCursor(cursor);
    const search = text?.trim();
    // text without a word to index (punctuation) still matches ids by prefix; '""' is a phrase matching nothing
    const t = typeFilter(type);
    const rows = search
      ? this.q.search.all(
          likePrefix(search),
          ftsPhrase(search) ?? '""',
          type ?? null,
          t?.exact ?? null,
          t?.like ?? null,
          c.createdAt,
          c.id,
          limit + 1,
        )
      : t?.like
        ? this.q.pageOfFamily.all(t.like, c.createdAt, c.id, limit + 1)
        : t?.exact
          ? this.q.pageOfType.all(t.exact, c.createdAt, c.id, limit + 1)
          : this.q.page.all(c.createdAt, c.id, limit + 1);
    const shown = rows.slice(0, limit);
    const refs = shown.length > 0 ? this.q.refs.all(JSON.stringify(shown.map((r) => r.id))) : [];
    return eventPage(rows, limit, refs);
  }

  types(limit: number): FiredTypes {
    return firedTypes(this.q.types.all(limit + 1), limit);
  }

  get(id: string): EventDetail {
    const row = this.q.get.get(id);
    if (!row) throw notFound('event', id);
    return { ...toEvent(row), deliveries: this.q.deliveries.all(id).map(toEventDelivery) };
  }
}
