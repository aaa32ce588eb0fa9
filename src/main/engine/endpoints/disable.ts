// Disabling an endpoint, by a person or by auto-disable, with what it does to its deliveries and who hears of it.
// Auto-disable runs inside the dispatcher's commit (the attempt that tripped it is in the same transaction); its
// operational event `endpoint.disabled` is written in that same transaction as a delivery to the system endpoint
// (settings.notificationUrl), so it is durable and retried like any other delivery.
import { redactUrl, redactUrlsIn } from '../../../shared';
import type { EngineContext } from '../context';
import type { EndpointStore } from '../db/endpoints';
import { type DeliveryState, stateTopic } from '../delivery/queue';
import { pausedReason } from '../delivery/retry';
import type { DeliveryStates } from '../delivery/state';
import type { CreateResult } from '../events/service';
import { publishCreated } from '../events/service';
import { disabledData, type OperationalEvents } from './operational';

export interface Disabled {
  endpointId: string;
  url: string;
  reason: string;
  by: 'manual' | 'auto';
  /** its waiting deliveries, paused by the disable (announced as delivery.updated) */
  paused: DeliveryState[];
  /**
   * how many of its deliveries the disable left paused: `paused`, and for an auto-disable the deliveries of the same
   * commit whose failed attempt was held (the one that tripped it among them; their own outcome announces them)
   */
  pausedCount: number;
  /** the operational event written for an auto-disable, when a notification URL is set */
  notice: CreateResult | null;
}

export class EndpointDisabler {
  constructor(
    private readonly ctx: EngineContext,
    private readonly store: EndpointStore,
    private readonly states: DeliveryStates,
    private readonly operational: OperationalEvents,
  ) {}

  /**
   * Inside a transaction: the endpoint is disabled, its waiting deliveries paused. An auto-disable's notice is
   * written by noticeInTx once the commit's outcomes are recorded (it counts the attempts they held).
   */
  disableInTx(endpointId: string, url: string, reason: string, by: 'manual' | 'auto', now: number): Disabled {
    this.store.markDisabled(endpointId, reason, by, now);
    const paused = this.states.pauseEndpoint(endpointId, pausedReason(by), now);
    return { endpointId, url, reason, by, paused, pausedCount: paused.length, notice: null };
  }

  /** Inside the same transaction: an auto-disable's `held` deliveries counted, its operational event written. */
  noticeInTx(d: Disabled, held: number, now: number): void {
    d.pausedCount = d.paused.length + held;
    d.notice = this.operational.writeInTx(
      'endpoint.disabled',
      disabledData(d.endpointId, d.url, d.reason, d.pausedCount),
      now,
    );
  }

  /** After the disabling transaction committed: the endpoint cache, then the announcement. */
  announce(d: Disabled): void {
    this.store.invalidate(d.endpointId);
    announceDisabled(this.ctx, d);
  }
}

/**
 * What a committed disable tells, on either store: topics (the paused deliveries, the endpoint, endpoint.disabled),
 * the operational event's own topics, and for an auto-disable the log line and the user's notification.
 */
export function announceDisabled(ctx: Pick<EngineContext, 'emit' | 'log' | 'notify'>, d: Disabled): void {
  for (const s of d.paused) ctx.emit('delivery.updated', stateTopic(s));
  ctx.emit('endpoint.updated', { id: d.endpointId });
  ctx.emit('endpoint.disabled', {
    id: d.endpointId,
    url: d.url,
    reason: d.reason,
    pausedDeliveries: d.pausedCount,
  });
  if (d.notice) publishCreated(ctx.emit, d.notice);
  if (d.by !== 'auto') return;
  ctx.log.warn('endpoint disabled', {
    endpointId: d.endpointId,
    url: redactUrl(d.url),
    reason: redactUrlsIn(d.reason),
    paused: d.pausedCount,
  });
  try {
    ctx.notify({
      topic: 'endpoint.disabled',
      title: 'Endpoint disabled',
      body: `${redactUrl(d.url)}: ${redactUrlsIn(d.reason)}`,
      endpointId: d.endpointId,
    });
  } catch (err) {
    ctx.log.warn('notify failed', { error: String(err) });
  }
}
