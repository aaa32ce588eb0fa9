// Writing a pass's fired events on PostgreSQL: the twin of EventService.writeAll / writeEach (events/service.ts).
// Each event is planned by the same planEvent as SQLite's (ids, deliveries, leases, the answer); the rows of the whole
// batch then go in with one statement per table. Idempotency keys are read for the batch at once and followed in
// order, so a key repeated within the batch answers like a key seen in an earlier one (SQLite writes them one after
// the other). Across processes, a pass locks its keys before anything else (lockIdempotencyKeys): the same key fired
// through two processes at once fires one event, the later pass answering with the earlier one's.
import { type Event, HookbenchError } from '../../../../shared';
import type { MatchedEndpoint } from '../../db/endpoints';
import { type EventPlan, planEvent } from '../../events/plan';
import {
  type Accepted,
  type CreateResult,
  IDEMPOTENCY_TTL_MS,
  type LeaseFor,
  pendingEndpoints,
} from '../../events/service';
import type { PgDeliveryStates } from './delivery-states';
import { IDEMPOTENCY_LOCK_CLASS, lockAllInOrder } from './lock-keys';
import type { Queryable } from './pool';

/** A fired event and the endpoints it goes to (matched by the caller, from its endpoint cache). */
export interface PassEvent {
  accepted: Accepted;
  targets: readonly MatchedEndpoint[];
}

interface KeyRow {
  key: string;
  request_hash: string;
  response: string;
  created_at: number;
}

const READ_KEYS = 'SELECT key, request_hash, response, created_at FROM idempotency_keys WHERE key = ANY($1::text[])';
/** A test send's event, marked in the transaction that wrote it (replays of missed events leave it out). */
export async function markTestEvent(db: Queryable, eventId: string): Promise<void> {
  await db.query('UPDATE events SET test = 1 WHERE id = $1', [eventId]);
}

const INSERT_EVENTS = `INSERT INTO events (id, type, version, created_at, data)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[])`;
const PUT_KEYS = `INSERT INTO idempotency_keys (key, request_hash, response, created_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
  ON CONFLICT (key) DO UPDATE SET request_hash = excluded.request_hash, response = excluded.response,
    created_at = excluded.created_at`;

/** The batch's idempotency keys (of events that have a request hash: a key given with a body), once each. */
function keysOf(batch: readonly PassEvent[]): string[] {
  return [...new Set(batch.flatMap((e) => (e.accepted.hash && e.accepted.input.idempotencyKey) || []))];
}

/**
 * Locks the batch's idempotency keys for the pass's transaction, first of all its locks: another process's pass
 * with the same key waits for this one's commit, then reads the key this one wrote and answers with its event,
 * instead of both reading no key and firing the event twice.
 */
export async function lockIdempotencyKeys(db: Queryable, batch: readonly PassEvent[]): Promise<void> {
  await lockAllInOrder(db, IDEMPOTENCY_LOCK_CLASS, keysOf(batch));
}

/** Writes the rows of event plans: events first, then their deliveries (one statement each). */
export async function insertPlans(db: Queryable, states: PgDeliveryStates, plans: readonly EventPlan[]): Promise<void> {
  if (plans.length === 0) return;
  const rows = plans.map((p) => p.row);
  await db.query(INSERT_EVENTS, [
    rows.map((r) => r.id),
    rows.map((r) => r.type),
    rows.map((r) => r.version),
    rows.map((r) => r.createdAt),
    rows.map((r) => r.dataJson),
  ]);
  await states.insertMany(plans.flatMap((p) => p.deliveries));
}

/**
 * The batch's events, in order: each a CreateResult (new, or the first answer of its idempotency key) or the Error
 * that is that event's alone (a key reused with another body). Call inside the pass's transaction.
 */
export async function writeEvents(
  db: Queryable,
  states: PgDeliveryStates,
  batch: readonly PassEvent[],
  maxAttempts: number,
  leaseFor?: LeaseFor,
): Promise<Array<CreateResult | Error>> {
  if (batch.length === 0) return [];
  const keys = keysOf(batch);
  const known = new Map<string, KeyRow>();
  if (keys.length > 0) for (const r of (await db.query<KeyRow>(READ_KEYS, [keys])).rows) known.set(r.key, r);
  const plans: EventPlan[] = [];
  const put = new Map<string, KeyRow>();
  const results = batch.map(({ accepted: a, targets }): CreateResult | Error => {
    const key = a.input.idempotencyKey;
    if (key && a.hash) {
      const prior = known.get(key);
      if (prior && prior.created_at > a.now - IDEMPOTENCY_TTL_MS) {
        if (prior.request_hash !== a.hash) {
          return new HookbenchError('conflict', 'This Idempotency-Key was used with a different request body');
        }
        return { event: JSON.parse(prior.response) as Event, created: false };
      }
    }
    const { input } = a;
    const plan = planEvent(input.type, input.version, input.data, a.dataJson, targets, a.now, maxAttempts, leaseFor);
    plans.push(plan);
    if (key && a.hash) {
      const row = { key, request_hash: a.hash, response: JSON.stringify(plan.event), created_at: a.now };
      known.set(key, row);
      put.set(key, row);
    }
    const result: CreateResult = { event: plan.event, created: true };
    if (plan.leased.length > 0) result.leased = plan.leased;
    const queued = pendingEndpoints(plan.event, plan.leased);
    if (queued.length > 0) result.queued = queued;
    return result;
  });
  await insertPlans(db, states, plans);
  if (put.size > 0) {
    const rows = [...put.values()];
    await db.query(PUT_KEYS, [
      rows.map((r) => r.key),
      rows.map((r) => r.request_hash),
      rows.map((r) => r.response),
      rows.map((r) => r.created_at),
    ]);
  }
  return results;
}
