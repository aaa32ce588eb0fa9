// Recording attempts: each outcome is logged as an attempt and moves its delivery on through the state machine
// (state.ts) as the retry policy says (retry.ts), fenced by the claim's lease_seq; failures count toward the
// endpoint's auto-disable. The dispatcher writes the outcomes of its commit batch inside its pass's transaction.

import type { Settings } from '../../../shared';
import type { EngineContext } from '../context';
import type { AttemptStore } from '../db/attempts';
import { type EndpointStore, SYSTEM_ENDPOINT_ID } from '../db/endpoints';
import type { Disabled, EndpointDisabler } from '../endpoints/disable';
import { exhaustedData, type OperationalEvents } from '../endpoints/operational';
import type { CreateResult } from '../events/service';
import { publishCreated } from '../events/service';
import type { AttemptResult } from './attempt';
import { attemptSummary } from './attempt';
import type { ClaimedDelivery, DeliveryState } from './queue';
import { finishedState, stateTopic } from './queue';
import { type EndpointHealth, nextState, shouldAutoDisable } from './retry';
import type { DeliveryStates, Finish } from './state';

export interface Outcome {
  delivery: Pick<
    ClaimedDelivery,
    'id' | 'event_id' | 'endpoint_id' | 'attempt_count' | 'max_attempts' | 'lease_seq' | 'type'
  >;
  result: AttemptResult;
}

/**
 * The state change an attempt's outcome asks for, as the retry policy decides it for this endpoint, fenced by the
 * claim's lease and the attempt count it saw (both stores write it through their DeliveryStates.finish).
 */
export function finishOf(
  o: Outcome,
  policy: Settings['retry'],
  endpoint: EndpointHealth,
  attemptCount: number,
  now: number,
  random?: () => number,
): Finish {
  const { delivery: d, result: r } = o;
  const next = nextState(
    { succeeded: r.succeeded, number: attemptCount + 1, maxAttempts: d.max_attempts, retryAfterMs: r.retryAfterMs },
    policy,
    endpoint,
    now,
    random,
  );
  return {
    id: d.id,
    leaseSeq: d.lease_seq,
    attemptCount,
    status: next.status,
    pausedReason: next.pausedReason,
    nextAt: next.nextAt,
    lastStatus: r.response?.status ?? null,
    durationMs: r.durationMs,
    error: r.error,
    now,
  };
}

/**
 * The attempt's request as logged. A body rendered from the stored event is left out and rendered again when read
 * (DeliveryStore.detail): the same bytes, without writing 1 KiB+ per attempt into the hottest table.
 */
export function storedRequest(r: AttemptResult): string {
  const q = r.request;
  if (r.renderedAs === null) return JSON.stringify(q);
  return JSON.stringify({ url: q.url, method: q.method, headers: q.headers, render: r.renderedAs });
}

/** What a write leaves to do once committed. */
export interface Written {
  /** topics and notifications: nothing leaves the engine for a write that might still roll back */
  publish: () => void;
  /** endpoints given pending deliveries, with the earliest due time (the dispatcher claims them then) */
  due: Map<string, number>;
}

export class Outcomes {
  /** endpoints whose consecutive_failures is 0 as of our last write (enable() resets it too, to 0) */
  private readonly knownZero = new Set<string>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly store: EndpointStore,
    private readonly states: DeliveryStates,
    private readonly attempts: AttemptStore,
    private readonly disabler: EndpointDisabler,
    private readonly operational: OperationalEvents,
  ) {}

  /** Writes outcomes; call inside a transaction. Returns what to do once it committed. */
  write(batch: readonly Outcome[]): Written {
    const now = this.ctx.clock.now();
    const settings = this.ctx.settings();
    const changed: DeliveryState[] = [];
    const touched = new Set<string>();
    const disabled: Disabled[] = [];
    /** delivery.exhausted notices written for deliveries that failed their last attempt */
    const notices: CreateResult[] = [];
    const due = new Map<string, number>();
    const addDue = (endpointId: string, at: number) => due.set(endpointId, Math.min(due.get(endpointId) ?? at, at));
    /** each endpoint's counter is 0 after this batch (true) or not; adopted by knownZero once committed */
    const zeroAfter = new Map<string, boolean>();
    let superseded = 0;
    for (const { delivery: d, result: r } of batch) {
      let live = true;
      let enabled = true;
      let disabledBy: 'manual' | 'auto' | null = null;
      let failedOn: { url: string; kind: 'user' | 'system' } | undefined;
      if (r.succeeded) {
        // The counter is written only when it was not already 0 (known from the last write): the common
        // success path costs no endpoint write at all.
        const zeroNow = zeroAfter.get(d.endpoint_id) ?? this.knownZero.has(d.endpoint_id);
        if (!zeroNow && this.store.resetFailures(d.endpoint_id)) touched.add(d.endpoint_id);
        zeroAfter.set(d.endpoint_id, true);
      } else {
        zeroAfter.set(d.endpoint_id, false);
        const ep = this.store.countFailure(d.endpoint_id);
        failedOn = ep;
        touched.add(d.endpoint_id);
        live = ep !== undefined && ep.deleted_at === null;
        enabled = ep?.enabled === 1;
        disabledBy = ep?.disabled_by ?? null;
        const health = { enabled, live, system: ep?.kind === 'system' };
        const threshold = ep?.auto_disable_threshold ?? settings.autoDisable.threshold;
        if (ep && shouldAutoDisable(ep.consecutive_failures, threshold, health)) {
          const reason = `${ep.consecutive_failures} consecutive failed attempts; last: ${attemptSummary(r)}`;
          disabled.push(this.disabler.disableInTx(d.endpoint_id, ep.url, reason, 'auto', now));
          enabled = false;
          disabledBy = 'auto';
        }
      }
      const finished = this.finish(d, r, { live, enabled, disabledBy }, now);
      if (finished.number === null) {
        superseded++;
        continue;
      }
      const lastStatus = r.response?.status ?? null;
      if (finished.status !== null) {
        changed.push(finishedState(d, finished.status, finished.number, lastStatus));
        if (finished.status === 'pending' && finished.nextAt !== null) addDue(d.endpoint_id, finished.nextAt);
        // its last allowed attempt failed: the operational event says so (not of the system endpoint's own events)
        if (finished.status === 'failed' && failedOn?.kind === 'user') {
          const notice = this.operational.writeInTx(
            'delivery.exhausted',
            exhaustedData({
              deliveryId: d.id,
              eventId: d.event_id,
              eventType: d.type,
              endpointId: d.endpoint_id,
              url: failedOn.url,
              attempts: finished.number,
              lastStatus,
              lastError: r.error,
            }),
            now,
          );
          if (notice) {
            notices.push(notice);
            addDue(SYSTEM_ENDPOINT_ID, now);
          }
        }
      } else superseded++;
      this.attempts.insert({
        deliveryId: d.id,
        endpointId: d.endpoint_id,
        number: finished.number,
        startedAt: r.startedAt,
        durationMs: r.durationMs,
        succeeded: r.succeeded,
        request: storedRequest(r),
        response: r.response ? JSON.stringify(r.response) : null,
        error: r.error,
        superseded: finished.status === null,
      });
    }
    // each auto-disable's notice counts what it left paused: its waiting deliveries, and the attempts held here
    for (const off of disabled) {
      const held = changed.filter((s) => s.endpoint_id === off.endpointId && s.status === 'paused').length;
      this.disabler.noticeInTx(off, held, now);
      if (off.notice) for (const id of off.notice.queued ?? []) addDue(id, now);
    }
    const publish = () => {
      for (const [id, zero] of zeroAfter) {
        if (zero) this.knownZero.add(id);
        else this.knownZero.delete(id);
      }
      for (const s of changed) this.ctx.emit('delivery.updated', stateTopic(s));
      for (const id of touched) this.ctx.emit('endpoint.updated', { id });
      for (const d of disabled) this.disabler.announce(d);
      for (const n of notices) publishCreated(this.ctx.emit, n);
      if (superseded > 0) this.ctx.log.warn('late attempt results kept as superseded', { count: superseded });
    };
    return { publish, due };
  }

  /**
   * Moves the delivery as the policy says, while its claim holds. Returns the attempt's number and the state it
   * moved to; status null: superseded (the claim no longer held; the attempt is counted, nothing else changes);
   * number null: the delivery is gone (retention or a deleted event), nothing to record.
   */
  private finish(
    d: Outcome['delivery'],
    r: AttemptResult,
    endpoint: { live: boolean; enabled: boolean; disabledBy: 'manual' | 'auto' | null },
    now: number,
  ): { number: number | null; status: Finish['status'] | null; nextAt: number | null } {
    // a failure is retried by the endpoint's own policy, else the settings' (a success needs none)
    const settingsPolicy = this.ctx.settings().retry;
    const policy = r.succeeded ? settingsPolicy : (this.store.target(d.endpoint_id)?.retry ?? settingsPolicy);
    let attemptCount = d.attempt_count;
    // Fast path: the row is as the claim left it. Else read its fence: the same claim with a superseded attempt
    // counted meanwhile is retried with the right count; another claim (or none) means this result is late.
    for (let tries = 0; tries < 2; tries++) {
      const next = finishOf({ delivery: d, result: r }, policy, endpoint, attemptCount, now);
      const number = this.states.finish(next);
      if (number !== null) return { number, status: next.status, nextAt: next.nextAt };
      const fence = this.states.fence(d.id);
      if (!fence) return { number: null, status: null, nextAt: null };
      if (fence.status !== 'sending' || fence.leaseSeq !== d.lease_seq || fence.attemptCount === attemptCount) break;
      attemptCount = fence.attemptCount;
    }
    return { number: this.states.countSuperseded(d.id, now), status: null, nextAt: null };
  }
}
