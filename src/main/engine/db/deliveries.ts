// Delivery reads and manual state changes (list with filters and keyset pagination, detail, retry, cancel) on
// SQLite. The row shapes, their mapping and the retry rule are exported for the PostgreSQL twin
// (store/pg/delivery-reads.ts), so both stores answer alike.
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import {
  type Attempt,
  type Delivery,
  type DeliveryDetail,
  type DeliveryFilter,
  type DeliveryListInput,
  type DeliveryStatus,
  HookbenchError,
  notFound,
  type PausedReason,
  type SchemeName,
} from '../../../shared';
import type { AttemptEvent } from '../delivery/attempt';
import type { DeliveryState } from '../delivery/queue';
import { pausedReason } from '../delivery/retry';
import { type DeliveryStates, RETRYABLE } from '../delivery/state';
import { type RenderableEvent, renderBody } from '../profiles';
import type { DeliveryReadStore, Page } from '../store/read-ports';
import { filterSql, withStatus } from './delivery-filter-sql';
import { decodeCursor, encodeCursor, iso, isoOrNull } from './util';

export interface DeliveryRow {
  id: string;
  event_id: string;
  endpoint_id: string;
  event_type: string;
  status: DeliveryStatus;
  paused_reason: PausedReason | null;
  attempt_count: number;
  max_attempts: number;
  next_attempt_at: number | null;
  lease_until: number | null;
  last_status: number | null;
  last_duration_ms: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export interface AttemptRow {
  number: number;
  started_at: number;
  duration_ms: number;
  succeeded: number;
  request: string;
  response: string | null;
  error: string | null;
  superseded: number;
}

export function toDelivery(r: DeliveryRow): Delivery {
  return {
    id: r.id,
    eventId: r.event_id,
    endpointId: r.endpoint_id,
    eventType: r.event_type,
    status: r.status,
    pausedReason: r.status === 'paused' ? (r.paused_reason ?? 'endpoint_disabled') : null,
    attemptCount: r.attempt_count,
    maxAttempts: r.max_attempts,
    nextAttemptAt: r.status === 'pending' ? isoOrNull(r.next_attempt_at) : null,
    lastStatus: r.last_status,
    lastDurationMs: r.last_duration_ms,
    lastError: r.last_error,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/**
 * An attempt's request from the log. Requests whose body was rendered from the stored event are logged without it
 * (`render`: the scheme) and rendered again here: renderBody is deterministic, so these are the bytes sent.
 */
export function loggedRequest(text: string, event: RenderableEvent): Attempt['request'] {
  const q = JSON.parse(text) as Attempt['request'] & { render?: SchemeName };
  if (q.render === undefined) return q;
  return { url: q.url, method: q.method, headers: q.headers, body: renderBody(q.render, event) };
}

/** An event row as a delivery's detail and signNow read it. */
export interface EnvelopeRow {
  id: string;
  type: string;
  version: string;
  created_at: number;
  data: string;
}

/** The endpoint columns a manual retry decides by. */
export interface EndpointStateRow {
  enabled: number;
  deleted_at: number | null;
  disabled_by: 'manual' | 'auto' | null;
}

export const ATTEMPT_COLUMNS = 'number, started_at, duration_ms, succeeded, request, response, error, superseded';

/** A page from `limit + 1` rows, newest first. */
export function deliveryPage(rows: DeliveryRow[], limit: number): Page<Delivery> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map(toDelivery),
    nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null,
  };
}

/** A delivery with its attempts (oldest first) and its stored event. */
export function toDeliveryDetail(row: DeliveryRow, ev: EnvelopeRow, attemptRows: AttemptRow[]): DeliveryDetail {
  const data: unknown = JSON.parse(ev.data);
  const event = { id: ev.id, type: ev.type, version: ev.version, createdAt: iso(ev.created_at), data };
  const attempts: Attempt[] = attemptRows.map((a) => ({
    number: a.number,
    startedAt: iso(a.started_at),
    durationMs: a.duration_ms,
    request: loggedRequest(a.request, event),
    response: a.response === null ? null : (JSON.parse(a.response) as Attempt['response']),
    error: a.error,
    succeeded: a.succeeded === 1,
    superseded: a.superseded === 1,
  }));
  return {
    ...toDelivery(row),
    attempts,
    payload: { id: ev.id, type: ev.type, version: ev.version, created_at: event.createdAt, data },
  };
}

/** The event as an attempt renders it: stored data is our own JSON.stringify output, rendered without a parse. */
export function toSignEvent(row: DeliveryRow, ev: EnvelopeRow): { endpointId: string; event: AttemptEvent } {
  // byte for byte as the dispatcher's
  const event = { id: ev.id, type: ev.type, version: ev.version, createdAt: iso(ev.created_at), data: undefined };
  return { endpointId: row.endpoint_id, event: { ...event, dataJson: ev.data } };
}

/** The move a manual retry makes, or a conflict: the rule both stores follow. */
export type RetryMove = { kind: 'hurry' } | { kind: 'reopen'; to: 'pending' | 'paused'; reason: PausedReason | null };

/** `endpoint`: the delivery's endpoint row, read only when the delivery is finished (undefined: none). */
export function retryMove(row: DeliveryRow, endpoint: () => EndpointStateRow | undefined): RetryMove {
  if (row.status === 'sending') throw new HookbenchError('conflict', 'The delivery is being attempted right now');
  if (row.status === 'paused') throw new HookbenchError('conflict', 'The endpoint is disabled; enable it to resume');
  if (row.status === 'pending') return { kind: 'hurry' };
  const ep = endpoint();
  if (!ep || ep.deleted_at !== null) throw new HookbenchError('conflict', 'The endpoint was deleted');
  // On a disabled endpoint the retry waits paused, and goes when the endpoint is enabled.
  if (ep.enabled === 1) return { kind: 'reopen', to: 'pending', reason: null };
  return { kind: 'reopen', to: 'paused', reason: pausedReason(ep.disabled_by) };
}

/** cancel's answer when the state machine moved nothing. */
export function notCancellable(row: DeliveryRow): HookbenchError {
  return new HookbenchError(
    'conflict',
    `Only pending or paused deliveries can be cancelled (this one is ${row.status})`,
  );
}

export class DeliveryStore implements DeliveryReadStore {
  private readonly stmts = new Map<string, Database.Statement>();
  private readonly q;

  constructor(
    private readonly db: Database.Database,
    /** every status change goes through the state machine */
    private readonly states: DeliveryStates,
  ) {
    this.q = {
      get: db.prepare<[string], DeliveryRow>('SELECT * FROM deliveries WHERE id = ?'),
      attempts: db.prepare<[string], AttemptRow>(
        `SELECT ${ATTEMPT_COLUMNS} FROM attempts WHERE delivery_id = ? ORDER BY number, id`,
      ),
      envelope: db.prepare<[string], EnvelopeRow>(
        'SELECT id, type, version, created_at, data FROM events WHERE id = ?',
      ),
      endpointState: db.prepare<[string], EndpointStateRow>(
        'SELECT enabled, deleted_at, disabled_by FROM endpoints WHERE id = ?',
      ),
    };
  }

  row(id: string): DeliveryRow {
    const row = this.q.get.get(id);
    if (!row) throw notFound('delivery', id);
    return row;
  }

  list(input: z.output<typeof DeliveryListInput>): Page<Delivery> {
    const cond = withStatus(input);
    if (!cond) return { data: [], nextCursor: null };
    const { where, args } = cond;
    if (input.cursor) {
      const c = decodeCursor(input.cursor);
      // a row value: SQLite seeks the index to the cursor (an OR of the two cases made it scan from the top)
      where.push('(created_at, id) < (?, ?)');
      args.push(c.createdAt, c.id);
    }
    const limit = input.limit + 1;
    const sql = `SELECT * FROM deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at DESC, id DESC LIMIT ?`;
    return deliveryPage(this.stmt(sql).all(...args, limit) as DeliveryRow[], input.limit);
  }

  /** How many deliveries match the filter: the statement list() pages through, counted. */
  count(filter: DeliveryFilter): number {
    const cond = withStatus(filter);
    if (!cond) return 0;
    const { where, args } = cond;
    const sql = `SELECT COUNT(*) AS n FROM deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
    return (this.stmt(sql).get(...args) as { n: number }).n;
  }

  detail(id: string): DeliveryDetail {
    const row = this.row(id);
    const ev = this.q.envelope.get(row.event_id);
    if (!ev) throw notFound('event', row.event_id);
    return toDeliveryDetail(row, ev, this.q.attempts.all(id));
  }

  /** The delivery's endpoint and stored event, as an attempt renders them (deliveries.signNow). */
  toSign(id: string): { endpointId: string; event: AttemptEvent } {
    const row = this.row(id);
    const ev = this.q.envelope.get(row.event_id);
    if (!ev) throw notFound('event', row.event_id);
    return toSignEvent(row, ev);
  }

  /** Manual retry: finished deliveries get one more attempt now; pending ones become due now. Run it in a transaction. */
  retry(id: string, now: number): DeliveryState {
    const row = this.row(id);
    const move = retryMove(row, () => this.q.endpointState.get(row.endpoint_id));
    if (move.kind === 'hurry') return this.states.hurry(id, now) as DeliveryState;
    return this.states.reopen(id, move.to, move.reason, now) as DeliveryState;
  }

  cancel(id: string, now: number): DeliveryState {
    const row = this.row(id);
    const state = this.states.cancel(id, now);
    if (!state) throw notCancellable(row);
    return state;
  }

  countRetryable(filter: Omit<DeliveryFilter, 'status'>): number {
    const { where, args } = filterSql(filter);
    const sql = `SELECT COUNT(*) AS n FROM deliveries WHERE ${[RETRYABLE, ...where].join(' AND ')}`;
    return (this.stmt(sql).get(...args) as { n: number }).n;
  }

  /** Every failed delivery matching the filter, in one statement (run it in a transaction). */
  retryFailed(filter: Omit<DeliveryFilter, 'status'>, now: number): DeliveryState[] {
    const { where, args } = filterSql(filter);
    return this.states.reopenFailed(where, args, now);
  }

  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      // the shapes are few (one per combination of filters); bound the cache anyway
      if (this.stmts.size > 200) this.stmts.clear();
      this.stmts.set(sql, s);
    }
    return s;
  }
}
