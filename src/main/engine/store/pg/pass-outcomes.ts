// Recording a pass's attempt outcomes on PostgreSQL: the twin of Outcomes.write (delivery/outcomes.ts), with one
// statement per table for the whole batch instead of one per row.
// - The endpoints of the batch are read and row-locked first (in id order, before any claim lock of the pass, so two
//   processes' passes take their locks in one order and never deadlock): their
//   failure counters and auto-disable are then decided here, outcome by outcome in the batch's order, with the same
//   pure policy as SQLite (nextState, shouldAutoDisable), and written once per endpoint.
// - Finishes are fenced by the claim's lease_seq and attempt count (finishMany). A row that did not move is looked
//   at as Outcomes.finish does: the same claim with a superseded attempt counted meanwhile is finished with the right
//   count; anything else makes this attempt a superseded one (counted, no state change).
import type { Settings } from '../../../../shared';
import { rowRetryPolicy } from '../../db/endpoint-rows';
import { attemptSummary } from '../../delivery/attempt';
import { finishOf, type Outcome, storedRequest } from '../../delivery/outcomes';
import { type DeliveryState, finishedState } from '../../delivery/queue';
import { shouldAutoDisable } from '../../delivery/retry';
import type { Finish } from '../../delivery/state';
import type { Exhausted } from '../../endpoints/operational';
import type { PgDeliveryStates } from './delivery-states';
import type { Queryable } from './pool';

interface EndpointRow {
  id: string;
  consecutive_failures: number;
  enabled: number;
  deleted_at: number | null;
  url: string;
  disabled_by: 'manual' | 'auto' | null;
  kind: string;
  retry_policy: string | null;
  auto_disable_threshold: number | null;
}

/** An endpoint this batch auto-disabled (its pending deliveries are paused by the caller, in the same transaction). */
export interface AutoDisable {
  endpointId: string;
  url: string;
  reason: string;
}

export interface RecordedOutcomes {
  /** deliveries that moved, for delivery.updated */
  changed: DeliveryState[];
  /** endpoints whose counters changed, for endpoint.updated */
  touched: string[];
  disabled: AutoDisable[];
  /** attempts kept as superseded (their claim no longer held) or dropped (their delivery is gone) */
  superseded: number;
  /** endpoints given pending deliveries, with the earliest due time */
  due: Map<string, number>;
  /** user deliveries whose last allowed attempt failed here (delivery.exhausted) */
  exhausted: Exhausted[];
}

// FOR NO KEY UPDATE, not FOR UPDATE: new deliveries' foreign-key checks (FOR KEY SHARE on their endpoint, in other
// processes' passes) must not wait for it, or a pass holding a claim lock and inserting deliveries deadlocks with a
// pass holding these rows and waiting for that claim lock (found by test/engine/pg-dispatcher.test.ts).
const LOCK_ENDPOINTS = `SELECT id, consecutive_failures, enabled, deleted_at, url, disabled_by, kind, retry_policy,
    auto_disable_threshold FROM endpoints WHERE id = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE`;
const SET_COUNTERS = `UPDATE endpoints SET consecutive_failures = u.n
  FROM unnest($1::text[], $2::int[]) AS u(id, n) WHERE endpoints.id = u.id`;
const MARK_DISABLED = `UPDATE endpoints SET enabled = 0, disabled_reason = $1, disabled_by = 'auto', updated_at = $2
  WHERE id = $3`;
const INSERT_ATTEMPTS = `INSERT INTO attempts (delivery_id, endpoint_id, number, started_at, duration_ms, succeeded,
    request, response, error, superseded)
  SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $5::float8[], $6::int[], $7::text[],
    $8::text[], $9::text[], $10::int[])`;

/** One outcome's health of its endpoint when its attempt is judged. */
interface Health {
  live: boolean;
  enabled: boolean;
  disabledBy: 'manual' | 'auto' | null;
}

export async function recordOutcomes(
  db: Queryable,
  states: PgDeliveryStates,
  batch: readonly Outcome[],
  settings: Settings,
  now: number,
  random: () => number = Math.random,
): Promise<RecordedOutcomes> {
  const out: RecordedOutcomes = {
    changed: [],
    touched: [],
    disabled: [],
    superseded: 0,
    due: new Map(),
    exhausted: [],
  };
  if (batch.length === 0) return out;
  const addDue = (id: string, at: number) => out.due.set(id, Math.min(out.due.get(id) ?? at, at));
  const ids = [...new Set(batch.map((o) => o.delivery.endpoint_id))];
  const endpoints = new Map<string, EndpointRow>();
  for (const r of (await db.query<EndpointRow>(LOCK_ENDPOINTS, [ids])).rows) endpoints.set(r.id, { ...r });
  const before = new Map([...endpoints].map(([id, r]) => [id, r.consecutive_failures]));

  // Decide every outcome in order, as SQLite's loop does.
  const health: Health[] = [];
  for (const { delivery: d, result: r } of batch) {
    const ep = endpoints.get(d.endpoint_id);
    if (r.succeeded) {
      if (ep) ep.consecutive_failures = 0;
      health.push({ live: true, enabled: true, disabledBy: null });
      continue;
    }
    if (ep) ep.consecutive_failures++;
    const h: Health = {
      live: ep !== undefined && ep.deleted_at === null,
      enabled: ep?.enabled === 1,
      disabledBy: ep?.disabled_by ?? null,
    };
    const system = ep?.kind === 'system';
    const threshold = ep?.auto_disable_threshold ?? settings.autoDisable.threshold;
    if (ep && shouldAutoDisable(ep.consecutive_failures, threshold, { ...h, system })) {
      out.disabled.push({
        endpointId: ep.id,
        url: ep.url,
        reason: `${ep.consecutive_failures} consecutive failed attempts; last: ${attemptSummary(r)}`,
      });
      ep.enabled = 0;
      ep.disabled_by = 'auto';
      h.enabled = false;
      h.disabledBy = 'auto';
    }
    health.push(h);
  }

  // a failure is retried by its endpoint's own policy, else the settings'
  const policies = new Map([...endpoints].map(([id, r]) => [id, rowRetryPolicy(r) ?? settings.retry]));
  const finishFor = (o: Outcome, h: Health, attemptCount: number): Finish =>
    finishOf(o, policies.get(o.delivery.endpoint_id) ?? settings.retry, h, attemptCount, now, random);
  const finishes = batch.map((o, i) => finishFor(o, health[i] as Health, o.delivery.attempt_count));
  const numbers = await states.finishMany(finishes);

  const attempts: Array<{ o: Outcome; number: number; superseded: boolean }> = [];
  for (let i = 0; i < batch.length; i++) {
    const o = batch[i] as Outcome;
    let f = finishes[i] as Finish;
    let number = numbers[i] ?? null;
    if (number === null) {
      // the row moved since the claim: read its fence (as Outcomes.finish does)
      for (let tries = 0; tries < 2 && number === null; tries++) {
        const fence = await states.fence(o.delivery.id);
        if (fence?.status !== 'sending' || fence.leaseSeq !== o.delivery.lease_seq) break;
        if (fence.attemptCount === f.attemptCount) break;
        f = finishFor(o, health[i] as Health, fence.attemptCount);
        number = await states.finish(f);
      }
    }
    if (number !== null) {
      out.changed.push(finishedState(o.delivery, f.status, number, f.lastStatus));
      if (f.status === 'pending' && f.nextAt !== null) addDue(o.delivery.endpoint_id, f.nextAt);
      const ep = endpoints.get(o.delivery.endpoint_id);
      if (f.status === 'failed' && !o.result.succeeded && ep?.kind === 'user') {
        out.exhausted.push({
          deliveryId: o.delivery.id,
          eventId: o.delivery.event_id,
          eventType: o.delivery.type,
          endpointId: ep.id,
          url: ep.url,
          attempts: number,
          lastStatus: f.lastStatus,
          lastError: f.error,
        });
      }
      attempts.push({ o, number, superseded: false });
      continue;
    }
    out.superseded++;
    const counted = await states.countSuperseded(o.delivery.id, now);
    // null: the delivery is gone (retention or a deleted event): nothing to record
    if (counted !== null) attempts.push({ o, number: counted, superseded: true });
  }

  if (attempts.length > 0) {
    const r = attempts.map((a) => a.o.result);
    await db.query(INSERT_ATTEMPTS, [
      attempts.map((a) => a.o.delivery.id),
      attempts.map((a) => a.o.delivery.endpoint_id),
      attempts.map((a) => a.number),
      r.map((x) => x.startedAt),
      r.map((x) => x.durationMs),
      r.map((x) => (x.succeeded ? 1 : 0)),
      r.map((x) => storedRequest(x)),
      r.map((x) => (x.response ? JSON.stringify(x.response) : null)),
      r.map((x) => x.error),
      attempts.map((a) => (a.superseded ? 1 : 0)),
    ]);
  }

  // Counters that changed, once per endpoint; every failure touches its endpoint (as SQLite reports it).
  const changedCounters = [...endpoints.values()].filter((e) => e.consecutive_failures !== before.get(e.id));
  if (changedCounters.length > 0) {
    await db.query(SET_COUNTERS, [
      changedCounters.map((e) => e.id),
      changedCounters.map((e) => e.consecutive_failures),
    ]);
  }
  const touched = new Set(changedCounters.map((e) => e.id));
  for (const { delivery: d, result: r } of batch) if (!r.succeeded) touched.add(d.endpoint_id);
  out.touched = [...touched];
  for (const off of out.disabled) await db.query(MARK_DISABLED, [off.reason, now, off.endpointId]);
  return out;
}
