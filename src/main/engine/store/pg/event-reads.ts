// Event reads on PostgreSQL (events.list, events.get, events.types): the twin of db/event-reads.ts, same pages and
// answers, rows mapped by its helpers. Search: an id prefix (ILIKE: SQLite's LIKE ignores ASCII case) or the words of
// the data through migration 2's index, which needs no catching up (it is kept by each insert).
import type pg from 'pg';
import type { z } from 'zod';
import { type Event, type EventDetail, type EventListInput, type FiredTypes, notFound } from '../../../../shared';
import {
  EVENT_COLUMNS,
  EVENT_DELIVERY_COLUMNS,
  type EventDeliveryRefRow,
  type EventDeliveryRow,
  type EventRow,
  eventCursor,
  eventPage,
  firedTypes,
  type MissedEventRow,
  type MissedEventsQuery,
  missedEventsSql,
  toEvent,
  toEventDelivery,
} from '../../db/event-reads';
import { likePrefix, typeFilter } from '../../db/util';
import type { EventReadStore, Page } from '../read-ports';
import { PgParams } from './delivery-filter';
import { eventsMatching, hasSearchWords } from './event-search';
import { lockOne, REPLAY_LOCK_CLASS } from './lock-keys';
import type { Queryable } from './pool';

const SQL = {
  get: `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.id = $1`,
  deliveries: `SELECT ${EVENT_DELIVERY_COLUMNS} WHERE d.event_id = $1 ORDER BY d.created_at, d.id`,
  // a page's deliveries in one read (deliveries_by_event), not one query per event
  refs: `SELECT d.id, d.event_id, d.endpoint_id, d.status, d.attempt_count, d.max_attempts FROM deliveries d
    WHERE d.event_id = ANY($1::text[]) ORDER BY d.created_at, d.id`,
  // each distinct type by one seek of events_by_type from the one before (a loose index scan); the recursion is
  // read lazily, so the LIMIT bounds the seeks
  types: `WITH RECURSIVE fired(type) AS (
      SELECT min(type) FROM events
      UNION ALL
      SELECT (SELECT min(e.type) FROM events e WHERE e.type > fired.type) FROM fired WHERE fired.type IS NOT NULL
    )
    SELECT type FROM fired WHERE type IS NOT NULL LIMIT $1`,
} as const;

/**
 * The events an endpoint missed (missedEventsSql), read in the transaction that writes their deliveries. Replays of
 * one endpoint take turns (a transaction-scoped advisory lock: nothing else waits on it), so a second one finds the
 * first one's deliveries and replays nothing twice.
 */
export async function missedEvents(c: Queryable, q: MissedEventsQuery): Promise<MissedEventRow[]> {
  await lockOne(c, REPLAY_LOCK_CLASS, q.endpointId);
  const p = new PgParams();
  const sql = missedEventsSql(q, (v) => p.add(v));
  return (await c.query<MissedEventRow>(sql, p.values)).rows;
}

export class PgEventReads implements EventReadStore {
  /** `db`: a pool from openPgPool (its int8 parser makes times numbers, as SQLite gives them) */
  constructor(private readonly db: pg.Pool) {}

  async list({ type, q: text, cursor, limit }: z.output<typeof EventListInput>): Promise<Page<Event>> {
    const c = eventCursor(cursor);
    const p = new PgParams();
    const where: string[] = [];
    const search = text?.trim();
    if (search) {
      // text without a word to index (punctuation) still matches ids by prefix
      const terms = [`e.id ILIKE ${p.add(likePrefix(search))} ESCAPE '\\'`];
      if (hasSearchWords(search)) terms.push(`e.id IN (${eventsMatching(p.add(search))})`);
      where.push(`(${terms.join(' OR ')})`);
    }
    const t = typeFilter(type);
    if (t?.exact) where.push(`e.type = ${p.add(t.exact)}`);
    if (t?.like) where.push(`e.type ILIKE ${p.add(t.like)} ESCAPE '\\'`);
    // newest first from the cursor (a row value: events_by_time / events_by_type are read from it down)
    where.push(`(e.created_at, e.id) < (${p.add(c.createdAt)}, ${p.add(c.id)})`);
    const sql = `SELECT ${EVENT_COLUMNS} FROM events e WHERE ${where.join(' AND ')}
      ORDER BY e.created_at DESC, e.id DESC LIMIT ${p.add(limit + 1)}`;
    const rows = (await this.db.query<EventRow>(sql, p.values)).rows;
    const shown = rows.slice(0, limit).map((r) => r.id);
    const refs = shown.length > 0 ? (await this.db.query<EventDeliveryRefRow>(SQL.refs, [shown])).rows : [];
    return eventPage(rows, limit, refs);
  }

  async types(limit: number): Promise<FiredTypes> {
    const rows = (await this.db.query<{ type: string }>(SQL.types, [limit + 1])).rows;
    return firedTypes(
      rows.map((r) => r.type),
      limit,
    );
  }

  async get(id: string): Promise<EventDetail> {
    const row = (await this.db.query<EventRow>(SQL.get, [id])).rows[0];
    if (!row) throw notFound('event', id);
    const deliveries = (await this.db.query<EventDeliveryRow>(SQL.deliveries, [id])).rows;
    return { ...toEvent(row), deliveries: deliveries.map(toEventDelivery) };
  }
}
