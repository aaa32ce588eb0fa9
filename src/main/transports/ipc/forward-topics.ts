// Push topics to every live window: `webContents.send(IPC_PUSH, topic, payload)`. A busy dispatcher emits
// `delivery.updated` for every state change of every delivery; a window only needs the latest state of each, so
// those are coalesced per delivery id (leading edge at once, then at most one per interval carrying the newest
// payload, so the last state is never lost).
import { IPC_PUSH, type TopicName } from '../../../shared';
import { type Clock, type Engine, systemClock } from '../../engine/types';
import type { WebContentsLike } from './types';

export interface ForwardTopicsOptions {
  /** minimum time between two `delivery.updated` pushes for the same delivery id (default 100 ms) */
  coalesceMs?: number;
  /** timers, injectable so coalescing is tested without sleeping */
  clock?: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
}

interface Window {
  timer: unknown;
  /** the newest payload that arrived while the window was open, sent when it closes */
  pending: unknown;
  hasPending: boolean;
}

/** Forwards every engine topic to the windows `getTargets` returns; the returned function stops forwarding. */
export function forwardTopics(
  engine: Pick<Engine, 'onAny'>,
  getTargets: () => readonly WebContentsLike[],
  opts: ForwardTopicsOptions = {},
): () => void {
  const coalesceMs = opts.coalesceMs ?? 100;
  const clock = opts.clock ?? systemClock;
  const windows = new Map<string, Window>();

  const send = (topic: TopicName, payload: unknown): void => {
    for (const wc of getTargets()) {
      if (wc.isDestroyed()) continue;
      try {
        wc.send(IPC_PUSH, topic, payload);
      } catch {
        // a window closing between isDestroyed() and send() must not stop the others from hearing the topic
      }
    }
  };

  const openWindow = (id: string): void => {
    const w: Window = { timer: null, pending: undefined, hasPending: false };
    w.timer = clock.setTimeout(() => {
      windows.delete(id);
      if (w.hasPending) {
        send('delivery.updated', w.pending);
        openWindow(id);
      }
    }, coalesceMs);
    windows.set(id, w);
  };

  const unsubscribe = engine.onAny((topic, payload) => {
    const id = topic === 'delivery.updated' ? deliveryId(payload) : null;
    if (id === null) {
      send(topic, payload);
      return;
    }
    const open = windows.get(id);
    if (open) {
      open.pending = payload;
      open.hasPending = true;
      return;
    }
    send(topic, payload);
    openWindow(id);
  });

  return () => {
    unsubscribe();
    for (const w of windows.values()) clock.clearTimeout(w.timer);
    windows.clear();
  };
}

function deliveryId(payload: unknown): string | null {
  const id = (payload as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}
