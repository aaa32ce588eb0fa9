// One rule for how push topics leave the process, shared by IPC forwarding and SSE. A busy dispatcher emits
// `delivery.updated` for every state change of every delivery, and a reader only needs the latest state of each:
// per delivery id, the first update goes out at once (the UI reacts without delay), later ones within the
// interval collapse into the newest, which goes out when the interval closes (the last state is never lost), and
// that send opens the next interval. Other topics pass straight through, in order.
import type { TopicName } from '../../shared';
import { SlotMap } from '../engine/slot-map';
import { type Clock, systemClock } from '../engine/types';

export interface TopicCoalescerOptions {
  /** minimum time between two `delivery.updated` sends for the same delivery id; 0 sends every one (default 100 ms) */
  coalesceMs?: number;
  /** timers, injectable so coalescing is tested without sleeping */
  clock?: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
}

export const DEFAULT_COALESCE_MS = 100;

interface Interval {
  timer: unknown;
  /** the newest payload that arrived while the interval was open, sent when it closes */
  pending: unknown;
  hasPending: boolean;
}

export interface TopicCoalescer {
  /** a checked payload to send now or later */
  push(topic: TopicName, payload: unknown): void;
  /** drops what is held back and clears the timers (shutdown) */
  dispose(): void;
}

export function createTopicCoalescer(
  send: (topic: TopicName, payload: unknown) => void,
  opts: TopicCoalescerOptions = {},
): TopicCoalescer {
  const coalesceMs = opts.coalesceMs ?? DEFAULT_COALESCE_MS;
  const clock = opts.clock ?? systemClock;
  // per delivery id, set and deleted for every delivery while a reader is connected: a SlotMap, not a Map, so that
  // dead entries are not kept alive through V8's scavenges (see engine/slot-map.ts)
  const open = new SlotMap<string, Interval>();

  const openInterval = (id: string): void => {
    const interval: Interval = { timer: null, pending: undefined, hasPending: false };
    interval.timer = clock.setTimeout(() => {
      open.delete(id);
      if (interval.hasPending) {
        send('delivery.updated', interval.pending);
        openInterval(id);
      }
    }, coalesceMs);
    open.set(id, interval);
  };

  return {
    push(topic, payload) {
      const id = topic === 'delivery.updated' && coalesceMs > 0 ? deliveryId(payload) : null;
      if (id === null) {
        send(topic, payload);
        return;
      }
      const interval = open.get(id);
      if (interval) {
        interval.pending = payload;
        interval.hasPending = true;
        return;
      }
      send(topic, payload);
      openInterval(id);
    },
    dispose() {
      open.forEach((interval) => {
        clock.clearTimeout(interval.timer);
      });
      open.clear();
    },
  };
}

function deliveryId(payload: unknown): string | null {
  const id = (payload as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}
