// Firing an event: validate, build the envelope, write the event and one delivery per matching endpoint in ONE
// transaction (the dispatcher's commit batch). Honours idempotency keys (24 h).
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import { type Event, type EventInput, type EventPreview, HookbenchError } from '../../../shared';
import type { EngineContext } from '../context';
import type { EndpointStore, MatchedEndpoint } from '../db/endpoints';
import { guardStorage } from '../db/util';
import type { ClaimedDelivery } from '../delivery/queue';
import type { DeliveryStates } from '../delivery/state';
import { type EventPlan, planEvent } from './plan';
import { previewEvent } from './preview';

/** The most JSON an event's data may be (the HTTP body limit is the same 1 MiB). */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;
/** How long an idempotency key answers with its first response. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

type ParsedEventInput = z.output<typeof EventInput>;

/**
 * Leases for the deliveries of new events, decided by the dispatcher inside the commit that writes them: a delivery
 * its endpoint has room for, with nothing older due, is written `sending` and goes straight to the dispatcher's
 * memory (no claim, no second write).
 */
export type LeaseFor = (endpointId: string) => { leaseUntil: number } | null;

/** Options for one event's delivery rows. */
export interface InsertOptions {
  maxAttempts?: number;
  /** lease each delivery the dispatcher has room for (`leased` receives them) */
  leaseFor?: LeaseFor;
  leased?: ClaimedDelivery[];
}

export type CreateResult = {
  event: Event;
  created: boolean;
  /** deliveries written `sending` under a lease: the dispatcher takes them once the write committed */
  leased?: ClaimedDelivery[];
  /** endpoints given `pending` deliveries (due now): the dispatcher claims them */
  queued?: string[];
};

/** An event checked and timed, waiting to be written. */
export interface Accepted {
  input: ParsedEventInput;
  /** the data as stored: JSON.stringify output */
  dataJson: string;
  /** the engine clock when it was fired (its created_at) */
  now: number;
  /** the request's hash, when it carries an idempotency key */
  hash: string | null;
}

export class EventService {
  private readonly q;
  /** each event in a savepoint of its own, inside one transaction (nested in the caller's, when there is one) */
  private readonly eachTx: (batch: readonly Accepted[], leaseFor?: LeaseFor) => Array<CreateResult | Error>;

  constructor(
    private readonly ctx: EngineContext,
    private readonly store: EndpointStore,
    private readonly states: DeliveryStates,
  ) {
    const db: Database.Database = ctx.db;
    this.q = {
      event: db.prepare('INSERT INTO events (id, type, version, created_at, data) VALUES (?, ?, ?, ?, ?)'),
      markTest: db.prepare<[string]>('UPDATE events SET test = 1 WHERE id = ?'),
      idemGet: db.prepare<[string, number], { request_hash: string; response: string }>(
        'SELECT request_hash, response FROM idempotency_keys WHERE key = ? AND created_at > ?',
      ),
      idemPut: db.prepare(
        `INSERT INTO idempotency_keys (key, request_hash, response, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET request_hash = excluded.request_hash, response = excluded.response,
           created_at = excluded.created_at`,
      ),
    };
    const one = db.transaction((a: Accepted, leaseFor?: LeaseFor) => this.write(a, leaseFor));
    // (leases handed out by a rolled-back write are simply not used: only committed results carry deliveries)
    this.eachTx = db.transaction((batch: readonly Accepted[], leaseFor?: LeaseFor) =>
      batch.map((a) => {
        try {
          return guardStorage(() => one(a, leaseFor));
        } catch (err) {
          // A full disk can make SQLite roll back the whole transaction, not just this event's savepoint: then
          // nothing of the group is left to commit, and the group fails as one (storage_full).
          if (!db.inTransaction) throw err;
          return err instanceof Error ? err : new Error(String(err));
        }
      }),
    );
  }

  /** Checks what can be checked before writing (the payload's size) and fixes the event's time: the call's. */
  accept(input: ParsedEventInput): Accepted {
    return acceptEvent(input, this.ctx.clock.now());
  }

  /**
   * Writes accepted events inside the caller's transaction with no savepoint: the first error throws, and the caller
   * rolls its transaction back and writes the group again with writeEach. The dispatcher's pass does this: a
   * savepoint open over the group made SQLite copy every page the group changed into its statement journal, and
   * walk that journal at the end of every statement (perf profile of a burst: ~2% of the engine thread).
   */
  writeAll(batch: readonly Accepted[], leaseFor?: LeaseFor): CreateResult[] {
    return batch.map((a) => this.write(a, leaseFor));
  }

  /**
   * Writes accepted events in ONE transaction (the caller's, when there is one), each in a savepoint of its own: one
   * event's error (an idempotency conflict, an unknown endpoint, a full disk) is that event's alone. Throws only
   * when the whole transaction is lost (a full disk can roll it back).
   */
  writeEach(batch: readonly Accepted[], leaseFor?: LeaseFor): Array<CreateResult | Error> {
    return guardStorage(() => this.eachTx(batch, leaseFor));
  }

  /** After the commit: topics. */
  publish(result: CreateResult): void {
    publishCreated(this.ctx.emit, result);
  }

  private write(a: Accepted, leaseFor?: LeaseFor): CreateResult {
    const { input, hash, now } = a;
    if (input.idempotencyKey && hash) {
      const prior = this.q.idemGet.get(input.idempotencyKey, now - IDEMPOTENCY_TTL_MS);
      if (prior) {
        if (prior.request_hash !== hash) {
          throw new HookbenchError('conflict', 'This Idempotency-Key was used with a different request body');
        }
        return { event: JSON.parse(prior.response) as Event, created: false };
      }
    }
    const targets = this.targets(input.type, input.endpointIds);
    const maxAttempts = this.ctx.settings().retry.maxAttempts;
    const plan = planEvent(input.type, input.version, input.data, a.dataJson, targets, now, maxAttempts, leaseFor);
    this.writePlan(plan);
    const { event, leased } = plan;
    if (input.idempotencyKey && hash) this.q.idemPut.run(input.idempotencyKey, hash, JSON.stringify(event), now);
    const queued = pendingEndpoints(event, leased);
    return new Created(event, leased.length > 0 ? leased : undefined, queued.length > 0 ? queued : undefined);
  }

  /** Marks a written event as a test send's (replays of missed events leave it out); inside its transaction. */
  markTest(eventId: string): void {
    this.q.markTest.run(eventId);
  }

  /**
   * Writes an event and its deliveries; call inside a transaction. The answer reports each delivery `pending`
   * (queued) or `paused` (its endpoint auto-disabled), whatever the load: one leased as written is already
   * `sending` in the row, which the delivery.updated topic reports.
   */
  insert(
    type: string,
    version: string,
    data: unknown,
    dataJson: string,
    targets: readonly MatchedEndpoint[],
    now: number,
    opts: InsertOptions = {},
  ): Event {
    const maxAttempts = opts.maxAttempts ?? this.ctx.settings().retry.maxAttempts;
    const plan = planEvent(type, version, data, dataJson, targets, now, maxAttempts, opts.leaseFor);
    this.writePlan(plan);
    if (opts.leased) for (const d of plan.leased) opts.leased.push(d);
    return plan.event;
  }

  /** Writes a planned event's rows (the event and its deliveries); call inside a transaction. */
  private writePlan(plan: EventPlan): void {
    const { row } = plan;
    this.q.event.run(row.id, row.type, row.version, row.createdAt, row.dataJson);
    for (const d of plan.deliveries) this.states.insert(d);
  }

  /** The exact requests the event would send now, signed, without sending or storing anything. */
  preview(input: ParsedEventInput): EventPreview {
    return previewEvent(input, this.ctx.clock.now(), {
      targets: (type, only) => this.targets(type, only),
      target: (id) => this.store.target(id),
    });
  }

  /** Matching endpoints; every id in `only` must exist (not_found otherwise, before anything is written). */
  private targets(type: string, only?: readonly string[]): MatchedEndpoint[] {
    if (only) for (const id of only) this.store.row(id);
    return this.store.matching(type, only ? [...new Set(only)] : undefined);
  }
}

/** A written event (a constructor, not a literal: never pretenured by V8, see PendingEvent in commit-batch.ts). */
class Created implements CreateResult {
  readonly created = true;
  constructor(
    readonly event: Event,
    readonly leased: ClaimedDelivery[] | undefined,
    readonly queued: string[] | undefined,
  ) {}
}

/** A written event's topics (after its commit): event.created, and each delivery's first state. */
export function publishCreated(emit: EngineContext['emit'], result: CreateResult): void {
  if (!result.created) return;
  const ev = result.event;
  emit('event.created', { id: ev.id, type: ev.type, deliveryCount: ev.deliveries?.length ?? 0 });
  const leased = leasedIds(result.leased);
  for (const d of ev.deliveries ?? []) {
    emit('delivery.updated', {
      id: d.id,
      eventId: ev.id,
      endpointId: d.endpointId,
      status: leased?.has(d.id) ? 'sending' : d.status,
      attemptCount: 0,
      maxAttempts: d.maxAttempts,
      lastStatus: null,
    });
  }
}

/** An event checked (its payload's size), timed `now` and, with an idempotency key, hashed: ready for a write. */
export function acceptEvent(input: ParsedEventInput, now: number): Accepted {
  return new AcceptedEvent(input, checkedJson(input.data), now, input.idempotencyKey ? requestHash(input) : null);
}

/** An Accepted made by a constructor, not a literal: never pretenured by V8 (see PendingEvent in commit-batch.ts). */
class AcceptedEvent implements Accepted {
  constructor(
    readonly input: ParsedEventInput,
    readonly dataJson: string,
    readonly now: number,
    readonly hash: string | null,
  ) {}
}

/** JSON text of `data`, refused when over MAX_PAYLOAD_BYTES. */
export function checkedJson(data: unknown): string {
  const json = JSON.stringify(data);
  if (json === undefined) throw new HookbenchError('invalid_input', 'data must be a JSON value');
  if (Buffer.byteLength(json) > MAX_PAYLOAD_BYTES) {
    throw new HookbenchError('payload_too_large', `Event data is over ${MAX_PAYLOAD_BYTES} bytes of JSON`);
  }
  return json;
}

/**
 * What an idempotency key is held to: the request's content, not its spelling. Object keys in any order and the
 * chosen endpoints in any order (or repeated) are the same request.
 */
function requestHash(input: ParsedEventInput): string {
  const endpoints = input.endpointIds ? [...new Set(input.endpointIds)].sort() : null;
  const canonical = JSON.stringify([input.type, input.version, sortedKeys(input.data), endpoints]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** A JSON value with every object's keys in code-unit order (arrays keep theirs). */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  // no prototype: a "__proto__" key of the data is a key like any other
  const out: Record<string, unknown> = Object.create(null);
  for (const k of Object.keys(value).sort()) out[k] = sortedKeys((value as Record<string, unknown>)[k]);
  return out;
}

/** The ids of deliveries leased as written; null when none were (most events under load: no set to build). */
function leasedIds(leased: readonly ClaimedDelivery[] | undefined): Set<string> | null {
  return leased && leased.length > 0 ? new Set(leased.map((d) => d.id)) : null;
}

/** Endpoints of the event's deliveries written `pending` (not leased, not paused). */
export function pendingEndpoints(event: Event, leased: readonly ClaimedDelivery[] | undefined): string[] {
  const taken = leasedIds(leased);
  const out: string[] = [];
  for (const d of event.deliveries ?? []) if (d.status === 'pending' && !taken?.has(d.id)) out.push(d.endpointId);
  return out;
}
