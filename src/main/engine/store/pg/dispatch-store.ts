// The dispatcher's storage on PostgreSQL (delivery/dispatch-store.ts's port): each pass is one PgPass transaction,
// claims bounded across processes (claimWithin: per-endpoint concurrency and rate limits shared by every process on
// the database), the other moves through PgDeliveryStates. Fired events are matched to endpoints from the caller's
// endpoint cache before the pass, once it has caught up with what other processes committed (an unknown endpoint in
// `endpointIds` is that event's own not_found); claimed deliveries are sent with that caught-up cache. New deliveries
// are written pending and claimed like any other (see pass()).
import type pg from 'pg';
import type { z } from 'zod';
import type { EventInput, PausedReason, Settings } from '../../../../shared';
import type { MatchedEndpoint } from '../../db/endpoints';
import type { DispatchStore, PassInput, PassOutput } from '../../delivery/dispatch-store';
import type { DeliveryState } from '../../delivery/queue';
import type { CreateResult } from '../../events/service';
import { PgDeliveryStates } from './delivery-states';
import { inTransaction } from './in-transaction';
import { type PassEvent, PgPass, type PgPassResult } from './pass';
import { pgUnreachable } from './pool';

export interface PgDispatchOptions {
  /** the endpoints a fired event goes to (the endpoint cache); throws not_found for an unknown `endpointIds` entry */
  targets: (input: z.output<typeof EventInput>) => readonly MatchedEndpoint[];
  /** brings the endpoint cache up to every committed endpoint change (another process's too) before a pass */
  current: () => Promise<void>;
  settings: () => Settings;
  /** live leases per endpoint, across every process on the database */
  perEndpointConcurrency: number;
  /** after a pass committed: its topics, announcements and cache refreshes */
  publish: (pass: PgPassResult) => void;
}

const DUE_ENDPOINTS = "SELECT DISTINCT endpoint_id FROM deliveries WHERE status = 'pending'";

export class PgDispatchStore implements DispatchStore {
  private readonly passes: PgPass;
  private readonly states: PgDeliveryStates;

  constructor(
    private readonly pool: pg.Pool,
    private readonly opts: PgDispatchOptions,
  ) {
    this.passes = new PgPass(pool);
    this.states = new PgDeliveryStates(pool);
  }

  unreachable(err: unknown): boolean {
    return pgUnreachable(err);
  }

  async pass(input: PassInput): Promise<PassOutput> {
    // what another process changed a moment ago, whose notice is still on its way, holds already: an endpoint it
    // made is matched, a URL or secret it changed is what the claimed deliveries are sent to and signed with
    if (input.events.length > 0 || input.claims.length > 0) await this.opts.current();
    // each event's targets, or its own error (written events keep their input order in `created`)
    const matched = input.events.map((accepted): PassEvent | Error => {
      try {
        return { accepted, targets: this.opts.targets(accepted.input) };
      } catch (err) {
        return err instanceof Error ? err : new Error(String(err));
      }
    });
    const r = await this.passes.run({
      events: matched.filter((m): m is PassEvent => !(m instanceof Error)),
      outcomes: input.outcomes,
      claims: input.claims.map((c) => ({ ...c, maxInFlight: this.opts.perEndpointConcurrency })),
      now: input.now,
      settings: this.opts.settings(),
      // No delivery is leased as it is written here: a process's room says nothing of the others' leases, so every
      // delivery goes through claimWithin, where the shared per-endpoint limits hold (one pass later).
    });
    let next = 0;
    const created = matched.map((m): CreateResult | Error =>
      m instanceof Error ? m : (r.created[next++] ?? new Error('event not written')),
    );
    // an endpoint whose attempts were just recorded has leases fewer: claim for it again now (its claim may have
    // been held back by the shared per-endpoint limit, which counts this process's own leases too)
    const due = new Map(r.written.due);
    for (const o of input.outcomes)
      due.set(o.delivery.endpoint_id, Math.min(due.get(o.delivery.endpoint_id) ?? input.now, input.now));
    return {
      created,
      claimed: r.claimed,
      drained: r.drained,
      due,
      publish: () => this.opts.publish({ ...r, created }),
    };
  }

  release(id: string, leaseSeq: number, at: number, now: number): Promise<DeliveryState | undefined> {
    return this.states.release(id, leaseSeq, at, now);
  }

  hold(
    id: string,
    leaseSeq: number,
    status: 'paused' | 'cancelled',
    reason: PausedReason | null,
    now: number,
  ): Promise<DeliveryState | undefined> {
    return this.states.hold(id, leaseSeq, status, reason, now);
  }

  renew(id: string, leaseSeq: number, until: number): Promise<boolean> {
    return this.states.renew(id, leaseSeq, until);
  }

  renewAll(leases: ReadonlyArray<{ id: string; seq: number; until: number }>): Promise<string[]> {
    return inTransaction(this.pool, async (tx) => {
      const states = new PgDeliveryStates(tx);
      const lost: string[] = [];
      for (const h of leases) if (!(await states.renew(h.id, h.seq, h.until))) lost.push(h.id);
      return lost;
    });
  }

  async dueEndpoints(): Promise<string[]> {
    return (await this.pool.query<{ endpoint_id: string }>(DUE_ENDPOINTS)).rows.map((r) => r.endpoint_id);
  }
}
