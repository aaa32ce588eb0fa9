// Firing an event: validate, build the envelope, write the event, its payload and one delivery per matching
// endpoint in ONE transaction, then wake the dispatcher. Honours idempotency keys (24 h).
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import { type Event, type EventInput, type EventPreview, HookbenchError, notFound } from '../../../shared';
import type { EngineContext } from '../context';
import type { EndpointStore } from '../db/endpoints';
import { guardStorage, iso } from '../db/util';
import { buildRequest } from '../delivery/attempt';
import type { ClaimedDelivery } from '../delivery/queue';
import { newId } from '../ids';

/** The most JSON an event's data may be (the HTTP body limit is the same 1 MiB). */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;
/** How long an idempotency key answers with its first response. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

type ParsedEventInput = z.output<typeof EventInput>;

/** Options for one delivery row (webhooks.test makes a one-shot delivery already leased). */
export interface InsertOptions {
  maxAttempts?: number;
  /** insert as `sending` with this lease instead of `pending` */
  leaseUntil?: number;
  /** lease each delivery the dispatcher has room for (`leased` receives them) */
  lease?: DirectLease;
  leased?: ClaimedDelivery[];
}

/**
 * Leases the deliveries of new events as they are written, for a dispatcher with free slots and nothing older due:
 * they go straight to its memory, without a claim (an UPDATE of the rows just inserted, and a commit on the way).
 */
export interface DirectLease {
  /** the lease for a new delivery to this endpoint, or null to leave it `pending` for a claim */
  leaseUntil(endpointId: string, now: number): number | null;
}

export type CreateResult = {
  event: Event;
  created: boolean;
  /** deliveries written `sending` under a DirectLease: the dispatcher takes them once the write committed */
  leased?: ClaimedDelivery[];
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
  /** create()'s write as one transaction, made once (building a transaction function per call costs) */
  private readonly createTx: (
    input: ParsedEventInput,
    dataJson: string,
    hash: string | null,
    now: number,
    lease?: DirectLease,
  ) => CreateResult;
  /** writeGroup's transaction */
  private readonly groupTx: (batch: readonly Accepted[], lease?: DirectLease) => Array<CreateResult | Error>;

  constructor(
    private readonly ctx: EngineContext,
    private readonly store: EndpointStore,
    private readonly wake: () => void,
  ) {
    const db: Database.Database = ctx.db;
    this.q = {
      event: db.prepare('INSERT INTO events (id, type, version, created_at, data) VALUES (?, ?, ?, ?, ?)'),
      delivery: db.prepare(
        `INSERT INTO deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, max_attempts,
           next_attempt_at, lease_until, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`,
      ),
      idemGet: db.prepare<[string, number], { request_hash: string; response: string }>(
        'SELECT request_hash, response FROM idempotency_keys WHERE key = ? AND created_at > ?',
      ),
      idemPut: db.prepare(
        `INSERT INTO idempotency_keys (key, request_hash, response, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET request_hash = excluded.request_hash, response = excluded.response,
           created_at = excluded.created_at`,
      ),
    };
    this.createTx = db.transaction((input, dataJson, hash, now, lease?: DirectLease) =>
      this.write(input, dataJson, hash, now, lease),
    );
    // Optimistic: the whole group in one transaction without a savepoint per event (two statements less each).
    // When one of them fails, the transaction rolls back and the group is written again, each event in a
    // savepoint of its own (a nested transaction), so one event's error is that event's alone.
    const all = db.transaction((batch: readonly Accepted[], lease?: DirectLease) =>
      batch.map((a) => this.write(a.input, a.dataJson, a.hash, a.now, lease)),
    );
    const oneByOne = db.transaction((batch: readonly Accepted[], lease?: DirectLease) =>
      batch.map((a) => {
        try {
          return guardStorage(() => this.createTx(a.input, a.dataJson, a.hash, a.now, lease));
        } catch (err) {
          return err instanceof Error ? err : new Error(String(err));
        }
      }),
    );
    // (leases handed out by a rolled-back attempt are simply not used: only committed results carry deliveries)
    this.groupTx = (batch, lease) => {
      if (batch.length === 1) return oneByOne(batch, lease);
      try {
        return all(batch, lease);
      } catch {
        return oneByOne(batch, lease);
      }
    };
  }

  /** Fires one event now, in its own transaction (the synchronous path; the route goes through EventIntake). */
  create(input: ParsedEventInput): Event {
    const a = this.accept(input);
    const result = guardStorage(() => this.createTx(a.input, a.dataJson, a.hash, a.now));
    this.publish(result);
    return result.event;
  }

  /** Checks what can be checked before writing (the payload's size) and fixes the event's time: the call's. */
  accept(input: ParsedEventInput): Accepted {
    return {
      input,
      dataJson: checkedJson(input.data),
      now: this.ctx.clock.now(),
      hash: input.idempotencyKey ? requestHash(input) : null,
    };
  }

  /**
   * Writes accepted events in ONE transaction, each in a savepoint of its own: one event's error (an idempotency
   * conflict, an unknown endpoint, a full disk) is that event's alone. Throws only when the commit fails.
   */
  writeGroup(batch: readonly Accepted[], lease?: DirectLease): Array<CreateResult | Error> {
    return guardStorage(() => this.groupTx(batch, lease));
  }

  /** After the commit: topics, and the dispatcher woken when there are deliveries to make. */
  publish(result: CreateResult): void {
    if (!result.created) return;
    const ev = result.event;
    this.ctx.emit('event.created', { id: ev.id, type: ev.type, deliveryCount: ev.deliveries?.length ?? 0 });
    for (const d of ev.deliveries ?? []) {
      this.ctx.emit('delivery.updated', {
        id: d.id,
        eventId: ev.id,
        endpointId: d.endpointId,
        status: d.status,
        attemptCount: 0,
        lastStatus: null,
      });
    }
    if (ev.deliveries && ev.deliveries.length > 0) this.wake();
  }

  private write(
    input: ParsedEventInput,
    dataJson: string,
    hash: string | null,
    now: number,
    lease?: DirectLease,
  ): CreateResult {
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
    const leased: ClaimedDelivery[] | undefined = lease ? [] : undefined;
    const event = this.insert(input.type, input.version, input.data, dataJson, targets, now, { lease, leased });
    if (input.idempotencyKey && hash) this.q.idemPut.run(input.idempotencyKey, hash, JSON.stringify(event), now);
    return leased && leased.length > 0 ? { event, created: true, leased } : { event, created: true };
  }

  /** Writes an event and its deliveries; call inside a transaction. */
  insert(
    type: string,
    version: string,
    data: unknown,
    dataJson: string,
    endpointIds: readonly string[],
    now: number,
    opts: InsertOptions = {},
  ): Event {
    const id = newId();
    this.q.event.run(id, type, version, now, dataJson);
    const maxAttempts = opts.maxAttempts ?? this.ctx.settings().retry.maxAttempts;
    const deliveries = endpointIds.map((endpointId) => {
      const deliveryId = newId();
      const leaseUntil = opts.leaseUntil ?? opts.lease?.leaseUntil(endpointId, now) ?? null;
      const status = leaseUntil === null ? 'pending' : 'sending';
      this.q.delivery.run(
        deliveryId,
        id,
        endpointId,
        type,
        status,
        maxAttempts,
        leaseUntil === null ? now : null,
        leaseUntil,
        now,
        now,
      );
      if (leaseUntil !== null && opts.lease) {
        opts.leased?.push({
          id: deliveryId,
          event_id: id,
          endpoint_id: endpointId,
          attempt_count: 0,
          max_attempts: maxAttempts,
          lease_until: leaseUntil,
          last_status: null,
          type,
          version,
          event_created_at: now,
          data: dataJson,
        });
      }
      return { id: deliveryId, endpointId, status: status as 'pending' | 'sending' };
    });
    return { id, type, version, createdAt: iso(now), data, deliveries };
  }

  /** The exact requests the event would send now, signed, without sending or storing anything. */
  preview(input: ParsedEventInput): EventPreview {
    checkedJson(input.data);
    const now = this.ctx.clock.now();
    const envelope = {
      id: newId(),
      type: input.type,
      version: input.version,
      created_at: iso(now),
      data: input.data,
    };
    const event = {
      id: envelope.id,
      type: input.type,
      version: input.version,
      createdAt: envelope.created_at,
      data: input.data,
    };
    const requests = this.targets(input.type, input.endpointIds).map((endpointId) => {
      const t = this.store.target(endpointId);
      if (!t) throw notFound('endpoint', endpointId);
      const req = buildRequest(
        { endpointId, url: t.url, scheme: t.scheme, headers: t.headers, secrets: t.secrets, timeoutMs: t.timeoutMs },
        event,
        now,
      );
      return { endpointId, url: req.url, method: 'POST' as const, headers: req.headers, body: req.body };
    });
    return { envelope, requests };
  }

  /** Matching enabled endpoints; every id in `only` must exist (not_found otherwise, before anything is written). */
  private targets(type: string, only?: readonly string[]): string[] {
    if (only) for (const id of only) this.store.row(id);
    return this.store.matching(type, only ? [...new Set(only)] : undefined);
  }
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

function requestHash(input: ParsedEventInput): string {
  const canonical = JSON.stringify([input.type, input.version, input.data, input.endpointIds ?? null]);
  return createHash('sha256').update(canonical).digest('hex');
}
