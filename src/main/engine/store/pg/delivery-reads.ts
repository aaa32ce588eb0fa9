// The delivery log on PostgreSQL: the twin of db/deliveries.ts's DeliveryStore (list with filters and keyset
// pagination, count, detail, a person's retry and cancel, retry every failed match). Rows map to the contract
// through DeliveryStore's own helpers, and status moves go through the state machine (PgDeliveryStates), so both
// stores answer alike (test/engine/read-conformance.test.ts).
import type pg from 'pg';
import type { z } from 'zod';
import {
  type Delivery,
  type DeliveryDetail,
  type DeliveryFilter,
  type DeliveryListInput,
  notFound,
} from '../../../../shared';
import {
  ATTEMPT_COLUMNS,
  type AttemptRow,
  type DeliveryRow,
  deliveryPage,
  type EndpointStateRow,
  type EnvelopeRow,
  notCancellable,
  retryMove,
  toDeliveryDetail,
  toSignEvent,
} from '../../db/deliveries';
import { decodeCursor } from '../../db/util';
import type { AttemptEvent } from '../../delivery/attempt';
import type { DeliveryState } from '../../delivery/queue';
import { RETRYABLE, TERMINAL } from '../../delivery/state';
import type { DeliveryReadStore, Page } from '../read-ports';
import { PgParams, pgFilterSql, pgWithStatus } from './delivery-filter';
import { PgDeliveryStates } from './delivery-states';
import { inTransaction } from './in-transaction';
import type { Queryable } from './pool';

const SQL = {
  row: 'SELECT * FROM deliveries WHERE id = $1',
  lockRow: 'SELECT * FROM deliveries WHERE id = $1 FOR UPDATE',
  attempts: `SELECT ${ATTEMPT_COLUMNS} FROM attempts WHERE delivery_id = $1 ORDER BY number, id`,
  envelope: 'SELECT id, type, version, created_at, data FROM events WHERE id = $1',
  // shared: a concurrent disable or delete of the endpoint waits for the retry's decision, or the retry for it
  endpointState: 'SELECT enabled, deleted_at, disabled_by FROM endpoints WHERE id = $1 FOR SHARE',
} as const;

export class PgDeliveryReads implements DeliveryReadStore {
  private readonly states: PgDeliveryStates;

  /** `pool`: from openPgPool (its int8 parser makes times and counts numbers, as SQLite gives them) */
  constructor(private readonly pool: pg.Pool) {
    this.states = new PgDeliveryStates(pool);
  }

  async row(id: string): Promise<DeliveryRow> {
    return rowOf(this.pool, SQL.row, id);
  }

  async list(input: z.output<typeof DeliveryListInput>): Promise<Page<Delivery>> {
    const p = new PgParams();
    const where = pgWithStatus(input, p);
    if (!where) return { data: [], nextCursor: null };
    if (input.cursor) {
      const c = decodeCursor(input.cursor);
      // a row value: the index (created_at, id) is read from the cursor down
      where.push(`(created_at, id) < (${p.add(c.createdAt)}, ${p.add(c.id)})`);
    }
    const sql = `SELECT * FROM deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at DESC, id DESC LIMIT ${p.add(input.limit + 1)}`;
    return deliveryPage((await this.pool.query<DeliveryRow>(sql, p.values)).rows, input.limit);
  }

  async count(filter: DeliveryFilter): Promise<number> {
    const p = new PgParams();
    const where = pgWithStatus(filter, p);
    if (!where) return 0;
    const sql = `SELECT COUNT(*) AS n FROM deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
    return (await this.pool.query<{ n: number }>(sql, p.values)).rows[0]?.n ?? 0;
  }

  async detail(id: string): Promise<DeliveryDetail> {
    const row = await this.row(id);
    const [ev, attempts] = await Promise.all([
      this.envelope(row.event_id),
      this.pool.query<AttemptRow>(SQL.attempts, [id]),
    ]);
    return toDeliveryDetail(row, ev, attempts.rows);
  }

  async toSign(id: string): Promise<{ endpointId: string; event: AttemptEvent }> {
    const row = await this.row(id);
    return toSignEvent(row, await this.envelope(row.event_id));
  }

  /** The delivery row is locked while its endpoint is read and the move made, as SQLite's transaction does. */
  async retry(id: string, now: number): Promise<DeliveryState> {
    return inTransaction(this.pool, async (client) => {
      const row = await rowOf(client, SQL.lockRow, id);
      const ep = TERMINAL.includes(row.status)
        ? (await client.query<EndpointStateRow>(SQL.endpointState, [row.endpoint_id])).rows[0]
        : undefined;
      const move = retryMove(row, () => ep);
      const states = new PgDeliveryStates(client);
      const state =
        move.kind === 'hurry' ? await states.hurry(id, now) : await states.reopen(id, move.to, move.reason, now);
      // the row is locked and its status allowed the move: the state machine made it
      return state as DeliveryState;
    });
  }

  async cancel(id: string, now: number): Promise<DeliveryState> {
    const state = await this.states.cancel(id, now);
    if (state) return state;
    throw notCancellable(await this.row(id));
  }

  async countRetryable(filter: Omit<DeliveryFilter, 'status'>): Promise<number> {
    const p = new PgParams();
    const where = pgFilterSql(filter, p);
    const sql = `SELECT COUNT(*)::int AS n FROM deliveries WHERE ${[RETRYABLE, ...where].join(' AND ')}`;
    return (await this.pool.query<{ n: number }>(sql, p.values)).rows[0]?.n ?? 0;
  }

  /** One statement: every matching failed delivery reopened at once, or none. */
  async retryFailed(filter: Omit<DeliveryFilter, 'status'>, now: number): Promise<DeliveryState[]> {
    const p = new PgParams();
    const where = pgFilterSql(filter, p);
    return this.states.reopenFailed(where, p.values, now);
  }

  private async envelope(eventId: string): Promise<EnvelopeRow> {
    const ev = (await this.pool.query<EnvelopeRow>(SQL.envelope, [eventId])).rows[0];
    if (!ev) throw notFound('event', eventId);
    return ev;
  }
}

async function rowOf(db: Queryable, sql: string, id: string): Promise<DeliveryRow> {
  const row = (await db.query<DeliveryRow>(sql, [id])).rows[0];
  if (!row) throw notFound('delivery', id);
  return row;
}
