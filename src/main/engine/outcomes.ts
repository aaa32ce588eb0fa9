// Acknowledging attempts: record each attempt, move its delivery on (succeeded, retry later, failed, paused),
// count consecutive failures and auto-disable. Results are batched into one transaction per tick: under load
// that turns hundreds of small commits into one (issue 6's throughput target).
import type Database from 'better-sqlite3';
import { backoffDelayMs, type DeliveryStatus } from '../../shared';
import { type AttemptResult, attemptSummary } from './attempt';
import type { EngineContext } from './context';
import type { EndpointStore } from './db/endpoints';
import { guardStorage } from './db/util';
import type { Disabled, EndpointControl } from './endpoint-control';
import { type ClaimedDelivery, type DeliveryState, stateTopic } from './queue';

export interface Outcome {
  delivery: Pick<ClaimedDelivery, 'id' | 'endpoint_id' | 'attempt_count' | 'max_attempts'>;
  result: AttemptResult;
}

/** Acks buffered before a flush is forced without waiting for the next tick. */
const MAX_BATCH = 256;

export class Outcomes {
  private buffer: Outcome[] = [];
  private scheduled = false;
  private readonly q;

  constructor(
    private readonly ctx: EngineContext,
    private readonly store: EndpointStore,
    private readonly control: EndpointControl,
    /** called after each flush: deliveries may be due again (retries) or endpoint slots freed */
    private readonly onFlushed: () => void,
  ) {
    const db: Database.Database = ctx.db;
    this.q = {
      attempt: db.prepare(
        `INSERT INTO attempts (delivery_id, endpoint_id, number, started_at, duration_ms, succeeded, request, response, error)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      finish: db.prepare<
        [DeliveryStatus, number, number | null, number | null, number, string | null, number, string],
        DeliveryState
      >(
        `UPDATE deliveries SET status = ?, attempt_count = ?, next_attempt_at = ?, lease_until = NULL,
           last_status = ?, last_duration_ms = ?, last_error = ?, updated_at = ?
         WHERE id = ? AND status = 'sending'
         RETURNING id, event_id, endpoint_id, status, attempt_count, last_status`,
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

  /** Queues an outcome for the next batched flush. */
  add(o: Outcome): void {
    this.buffer.push(o);
    if (this.buffer.length >= MAX_BATCH) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes every buffered outcome in one transaction, then publishes. */
  flush(): void {
    this.scheduled = false;
    const batch = this.buffer;
    if (batch.length === 0) return;
    this.buffer = [];
    try {
      this.apply(batch);
    } catch (err) {
      // Nothing was written: the deliveries stay leased and return to pending when the lease expires,
      // so the attempts are made again (at-least-once) rather than lost.
      this.ctx.log.error('recording attempts failed; they will be retried after the lease', {
        count: batch.length,
        error: String(err),
      });
    }
    this.onFlushed();
  }

  /** Writes outcomes now (webhooks.test) and publishes; throws storage_full when the disk is full. */
  apply(batch: Outcome[]): void {
    const now = this.ctx.clock.now();
    const settings = this.ctx.settings();
    const changed: DeliveryState[] = [];
    const touched = new Set<string>();
    const disabled: Disabled[] = [];
    guardStorage(() =>
      this.ctx.db.transaction(() => {
        for (const { delivery: d, result: r } of batch) {
          const number = d.attempt_count + 1;
          this.q.attempt.run(
            d.id,
            d.endpoint_id,
            number,
            r.startedAt,
            r.durationMs,
            r.succeeded ? 1 : 0,
            JSON.stringify(r.request),
            r.response ? JSON.stringify(r.response) : null,
            r.error,
          );
          let status: DeliveryStatus;
          let nextAt: number | null = null;
          if (r.succeeded) {
            status = 'succeeded';
            if (this.q.reset.get(d.endpoint_id)) touched.add(d.endpoint_id);
          } else {
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
            }
          }
          const state = this.q.finish.get(
            status,
            number,
            nextAt,
            r.response?.status ?? null,
            r.durationMs,
            r.error,
            now,
            d.id,
          );
          if (state) changed.push(state);
        }
      })(),
    );
    // Only enabled/disabled is cached; the failure counter is read from the row.
    for (const d of disabled) this.store.invalidate(d.endpointId);
    for (const s of changed) this.ctx.emit('delivery.updated', stateTopic(s));
    for (const id of touched) this.ctx.emit('endpoint.updated', { id });
    for (const d of disabled) this.control.published(d, true);
  }
}
