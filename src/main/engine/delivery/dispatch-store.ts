// The dispatcher's storage, as one port: a pass (the commit batch and the claims, in one transaction), the moves of a
// claimed delivery outside a pass (release, hold, renew), and which endpoints have work waiting. SQLite answers
// synchronously: its pass is the engine's fast path (no promise, no extra turn of the event loop). PostgreSQL answers
// with promises (store/pg/dispatch-store.ts); the dispatcher runs one pass at a time either way.

import type Database from 'better-sqlite3';
import type { PausedReason } from '../../../shared';
import { guardStorage } from '../db/util';
import type { Accepted, CreateResult, EventService, LeaseFor } from '../events/service';
import type { Outcome, Outcomes } from './outcomes';
import type { ClaimedDelivery, ClaimedRow, DeliveryQueue, DeliveryState } from './queue';
import type { DeliveryStates } from './state';
import type { Awaitable, DeliveryStateStore } from './state-store';

/** One endpoint's claim in a pass. */
export interface Claim {
  endpointId: string;
  limit: number;
  /** the lease as written (wall clock) */
  leaseUntil: number;
  timeoutMs: number;
}

export interface PassInput {
  events: readonly Accepted[];
  outcomes: readonly Outcome[];
  claims: readonly Claim[];
  now: number;
  /** leases for the new events' deliveries, decided with what this pass claimed (the dispatcher's room) */
  leaseFor: (claimed: readonly ClaimedDelivery[], drained: ReadonlyMap<string, number | null>) => LeaseFor;
}

/** What one pass wrote, in one transaction. */
export interface PassOutput {
  /** the events, in input order: written (or answered by their idempotency key), or that event's own error */
  created: Array<CreateResult | Error>;
  claimed: ClaimedDelivery[];
  /** endpoints whose claim took all that was due: their next due time (null: nothing pending) */
  drained: Map<string, number | null>;
  /** endpoints the outcomes gave pending deliveries (retries, operational events), with the earliest due time */
  due: ReadonlyMap<string, number>;
  /** once committed: the outcomes' topics, auto-disable announcements, caches (nothing before the commit) */
  publish(): void;
}

/** A claimed delivery's moves outside a pass (release, hold, renew) are the state machine's own. */
export interface DispatchStore extends Pick<DeliveryStateStore, 'release' | 'hold' | 'renew'> {
  pass(input: PassInput): Awaitable<PassOutput>;
  /** renews many in one transaction; the ids whose claim no longer held */
  renewAll(leases: ReadonlyArray<{ id: string; seq: number; until: number }>): Awaitable<string[]>;
  /** endpoints with pending deliveries (at start-up, and after a long sleep: another process may have written) */
  dueEndpoints(): Awaitable<string[]>;
  /**
   * Did a pass fail because the store was out of reach (nothing written), rather than over what it was asked? Its
   * outcomes are then kept and written with a later pass. Absent: never (SQLite's file is always there).
   */
  unreachable?(err: unknown): boolean;
}

/** The SQLite engine's parts, one transaction per pass (better-sqlite3's, synchronous). */
export class SqliteDispatchStore implements DispatchStore {
  /** `isolated`: each new event in a savepoint of its own (after a pass without them failed) */
  private readonly passTx: (input: PassInput, isolated: boolean) => PassOutput;
  private readonly renewTx: (leases: ReadonlyArray<{ id: string; seq: number; until: number }>) => string[];

  constructor(
    db: Database.Database,
    private readonly parts: { states: DeliveryStates; queue: DeliveryQueue; outcomes: Outcomes; events: EventService },
  ) {
    const { states, queue, outcomes, events } = parts;
    this.passTx = db.transaction((input: PassInput, isolated: boolean): PassOutput => {
      const written = input.outcomes.length > 0 ? outcomes.write(input.outcomes) : null;
      const rows: ClaimedRow[] = [];
      const drained = new Map<string, number | null>();
      for (const c of input.claims) {
        const got = states.claim(c.endpointId, input.now, c.leaseUntil, c.limit);
        rows.push(...got);
        if (got.length < c.limit) drained.set(c.endpointId, queue.nextDue(c.endpointId));
      }
      const claimed = queue.withEvents(rows);
      // New events last, so that what was due before them goes first.
      let created: Array<CreateResult | Error> = [];
      if (input.events.length > 0) {
        const leaseFor = input.leaseFor(claimed, drained);
        created = isolated ? events.writeEach(input.events, leaseFor) : events.writeAll(input.events, leaseFor);
      }
      return {
        created,
        claimed,
        drained,
        due: written?.due ?? new Map(),
        publish: () => {
          written?.publish();
          for (const r of created) if (!(r instanceof Error)) events.publish(r);
        },
      };
    });
    this.renewTx = db.transaction((leases: ReadonlyArray<{ id: string; seq: number; until: number }>) =>
      leases.filter((h) => !states.renew(h.id, h.seq, h.until)).map((h) => h.id),
    );
  }

  /**
   * One transaction. Optimistic: the new events are written without a savepoint each (events.writeAll); when
   * anything fails, the transaction rolls back and the pass runs again with each event isolated, so that one
   * event's error is that event's alone. The pass changes nothing outside the database before its commit (the
   * leases it decides, the topics it will publish), so running it again is safe.
   */
  pass(input: PassInput): PassOutput {
    return guardStorage(() => {
      try {
        return this.passTx(input, false);
      } catch (err) {
        if (input.events.length === 0) throw err;
        return this.passTx(input, true);
      }
    });
  }

  release(id: string, leaseSeq: number, at: number, now: number): DeliveryState | undefined {
    return this.parts.states.release(id, leaseSeq, at, now);
  }

  hold(
    id: string,
    leaseSeq: number,
    status: 'paused' | 'cancelled',
    reason: PausedReason | null,
    now: number,
  ): DeliveryState | undefined {
    return this.parts.states.hold(id, leaseSeq, status, reason, now);
  }

  renew(id: string, leaseSeq: number, until: number): boolean {
    return this.parts.states.renew(id, leaseSeq, until);
  }

  renewAll(leases: ReadonlyArray<{ id: string; seq: number; until: number }>): string[] {
    return guardStorage(() => this.renewTx(leases));
  }

  dueEndpoints(): string[] {
    return this.parts.queue.dueEndpoints();
  }
}

/** A promise, or a value now: the dispatcher continues synchronously on a value (SQLite's fast path). */
export function isPromise<T>(v: Awaitable<T>): v is Promise<T> {
  return typeof (v as Promise<T> | null)?.then === 'function';
}
