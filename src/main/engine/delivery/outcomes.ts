// Acknowledging attempts: record each attempt, move its delivery on (succeeded, retry later, failed, paused),
// count consecutive failures and auto-disable. The dispatcher writes the outcomes gathered since its last pass in
// the same transaction as its next claim: under load, one commit per pass instead of two per delivery.
import type Database from 'better-sqlite3';
import { backoffDelayMs, type DeliveryStatus } from '../../../shared';
import type { EngineContext } from '../context';
import type { EndpointStore } from '../db/endpoints';
import { guardStorage } from '../db/util';
import type { Disabled, EndpointControl } from '../endpoints/control';
import { type AttemptResult, attemptSummary } from './attempt';
import { type ClaimedDelivery, type DeliveryState, stateTopic } from './queue';

export interface Outcome {
  delivery: Pick<ClaimedDelivery, 'id' | 'event_id' | 'endpoint_id' | 'attempt_count' | 'max_attempts'>;
  result: AttemptResult;
}

/**
 * The attempt's request as logged. A body rendered from the stored event is left out and rendered again when read
 * (DeliveryStore.detail): the same bytes, without writing 1 KiB+ per attempt into the hottest table.
 */
function storedRequest(r: AttemptResult): string {
  const q = r.request;
  if (r.renderedAs === null) return JSON.stringify(q);
  return JSON.stringify({ url: q.url, method: q.method, headers: q.headers, render: r.renderedAs });
}

/** What a write leaves to do once committed. */
export interface Written {
  /** topics and notifications: nothing leaves the engine for a write that might still roll back */
  publish: () => void;
  /** the earliest retry it scheduled, null when none (the dispatcher sets its wake-up timer by it) */
  retryAt: number | null;
}
const NOTHING_WRITTEN: Written = { publish: () => {}, retryAt: null };

export class Outcomes {
  private buffer: Outcome[] = [];
  /** endpoints whose consecutive_failures is 0 as of our last write (enable() resets it too, to 0) */
  private readonly knownZero = new Set<string>();
  private readonly q;

  constructor(
    private readonly ctx: EngineContext,
    private readonly store: EndpointStore,
    private readonly control: EndpointControl,
    /** an outcome is waiting to be written, `buffered` in all (the dispatcher schedules the write) */
    private readonly onAdded: (buffered: number) => void,
  ) {
    const db: Database.Database = ctx.db;
    this.q = {
      attempt: db.prepare(
        `INSERT INTO attempts (delivery_id, endpoint_id, number, started_at, duration_ms, succeeded, request, response, error)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      // No RETURNING: the new state is known here; `changes` says whether the lease was still ours.
      finish: db.prepare<[DeliveryStatus, number, number | null, number | null, number, string | null, number, string]>(
        `UPDATE deliveries SET status = ?, attempt_count = ?, next_attempt_at = ?, lease_until = NULL,
           last_status = ?, last_duration_ms = ?, last_error = ?, updated_at = ?
         WHERE id = ? AND status = 'sending'`,
      ),
      reset: db.prepare<[string], { id: string }>(
        'UPDATE endpoints SET consecutive_failures = 0 WHERE id = ? AND consecutive_failures <> 0 RETURNING id',
      ),
      bump: db.prepare<
        [string],
        { consecutive_failures: number; enabled: number; deleted_at: number | null; url: string }
      >(
        `UPDATE endpoints SET consecutive_failures = consecutive_failures + 1 WHERE id = ?
         RETURNING consecutive_failures, enabled, deleted_at, url`,
      ),
    };
  }

  /** Queues an outcome; the dispatcher's next pass writes it together with its next claim. */
  add(o: Outcome): void {
    this.buffer.push(o);
    this.onAdded(this.buffer.length);
  }

  /** Outcomes waiting to be written (the dispatcher takes them into its claim transaction). */
  take(): Outcome[] {
    const batch = this.buffer;
    this.buffer = [];
    return batch;
  }

  /** Writes what is buffered in its own transaction (shutdown); a failure is logged, see `lost`. */
  flush(): void {
    const batch = this.take();
    if (batch.length === 0) return;
    try {
      this.apply(batch);
    } catch (err) {
      this.lost(batch, err);
    }
  }

  /**
   * Nothing of a failed write was kept: the deliveries stay leased and return to pending when the lease
   * expires, so the attempts are made again (at-least-once) rather than lost.
   */
  lost(batch: Outcome[], err: unknown): void {
    this.ctx.log.error('recording attempts failed; they will be retried after the lease', {
      count: batch.length,
      error: String(err),
    });
  }

  /** Writes outcomes now in one transaction, then publishes (webhooks.test); throws storage_full. */
  apply(batch: Outcome[]): void {
    const { publish } = guardStorage(() => this.ctx.db.transaction(() => this.write(batch))());
    publish();
  }

  /** Writes outcomes; call inside a transaction. Returns what to do once it committed. */
  write(batch: Outcome[]): Written {
    if (batch.length === 0) return NOTHING_WRITTEN;
    const now = this.ctx.clock.now();
    const settings = this.ctx.settings();
    const changed: DeliveryState[] = [];
    const touched = new Set<string>();
    const disabled: Disabled[] = [];
    /** each endpoint's counter is 0 after this batch (true) or not; adopted by knownZero once committed */
    const zeroAfter = new Map<string, boolean>();
    let retryAt: number | null = null;
    for (const { delivery: d, result: r } of batch) {
      const number = d.attempt_count + 1;
      this.q.attempt.run(
        d.id,
        d.endpoint_id,
        number,
        r.startedAt,
        r.durationMs,
        r.succeeded ? 1 : 0,
        storedRequest(r),
        r.response ? JSON.stringify(r.response) : null,
        r.error,
      );
      let status: DeliveryStatus;
      let nextAt: number | null = null;
      if (r.succeeded) {
        status = 'succeeded';
        // The counter is written only when it was not already 0 (known from the last write): the common
        // success path costs no endpoint write at all.
        const zeroNow = zeroAfter.get(d.endpoint_id) ?? this.knownZero.has(d.endpoint_id);
        if (!zeroNow && this.q.reset.get(d.endpoint_id)) touched.add(d.endpoint_id);
        zeroAfter.set(d.endpoint_id, true);
      } else {
        zeroAfter.set(d.endpoint_id, false);
        const ep = this.q.bump.get(d.endpoint_id);
        touched.add(d.endpoint_id);
        const exhausted = number >= d.max_attempts;
        const threshold = settings.autoDisable.threshold;
        let enabled = ep?.enabled === 1;
        if (ep && enabled && ep.deleted_at === null && threshold > 0 && ep.consecutive_failures >= threshold) {
          const reason = `${ep.consecutive_failures} consecutive failed attempts; last: ${attemptSummary(r)}`;
          disabled.push(this.control.disableInTx(d.endpoint_id, ep.url, reason, now));
          enabled = false;
        }
        if (!ep || ep.deleted_at !== null) status = exhausted ? 'failed' : 'cancelled';
        else if (exhausted) status = 'failed';
        else if (!enabled) status = 'paused';
        else {
          status = 'pending';
          const delay =
            r.retryAfterMs !== null
              ? Math.min(r.retryAfterMs, settings.retry.maxDelayMs)
              : backoffDelayMs(settings.retry, number);
          nextAt = now + delay;
          if (retryAt === null || nextAt < retryAt) retryAt = nextAt;
        }
      }
      const lastStatus = r.response?.status ?? null;
      const { changes } = this.q.finish.run(status, number, nextAt, lastStatus, r.durationMs, r.error, now, d.id);
      if (changes === 1) {
        changed.push({
          id: d.id,
          event_id: d.event_id,
          endpoint_id: d.endpoint_id,
          status,
          attempt_count: number,
          last_status: lastStatus,
        });
      }
    }
    const publish = () => {
      for (const [id, zero] of zeroAfter) {
        if (zero) this.knownZero.add(id);
        else this.knownZero.delete(id);
      }
      // Only enabled/disabled is cached; the failure counter is read from the row.
      for (const d of disabled) this.store.invalidate(d.endpointId);
      for (const s of changed) this.ctx.emit('delivery.updated', stateTopic(s));
      for (const id of touched) this.ctx.emit('endpoint.updated', { id });
      for (const d of disabled) this.control.published(d, true);
    };
    return { publish, retryAt };
  }
}
