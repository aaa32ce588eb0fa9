// Push topics inside the engine: handlers emit, transports subscribe (IPC windows, SSE streams).
import type { TopicName, TopicPayload } from '../../shared';
import type { Logger, TopicListener } from './types';

type AnyListener = (topic: TopicName, payload: unknown) => void;

/**
 * Listeners are kept in arrays replaced on (un)subscribe, never changed in place: an emit walks the array it started
 * with (the listeners as of its start, as Node's EventEmitter does) by index, allocating nothing. Emits are per
 * delivery and per state change; subscriptions are rare.
 */
export class TopicBus {
  private readonly byTopic = new Map<TopicName, ReadonlyArray<(payload: unknown) => void>>();
  private any: readonly AnyListener[] = [];

  constructor(private readonly log: Logger) {}

  on<T extends TopicName>(topic: T, fn: TopicListener<T>): () => void {
    const listener = fn as (payload: unknown) => void;
    const now = this.byTopic.get(topic) ?? [];
    // one subscription per function, as a set keeps it
    if (!now.includes(listener)) this.byTopic.set(topic, [...now, listener]);
    return () => {
      const left = (this.byTopic.get(topic) ?? []).filter((l) => l !== listener);
      if (left.length > 0) this.byTopic.set(topic, left);
      else this.byTopic.delete(topic);
    };
  }

  onAny(fn: AnyListener): () => void {
    if (!this.any.includes(fn)) this.any = [...this.any, fn];
    return () => {
      this.any = this.any.filter((l) => l !== fn);
    };
  }

  /** A throwing subscriber is logged and skipped: it must never break the write that emitted. */
  emit<T extends TopicName>(topic: T, payload: TopicPayload<T>): void {
    const listeners = this.byTopic.get(topic);
    if (listeners !== undefined) {
      for (let i = 0; i < listeners.length; i++) {
        try {
          (listeners[i] as (payload: unknown) => void)(payload);
        } catch (err) {
          this.log.warn('topic listener failed', { topic, error: String(err) });
        }
      }
    }
    const any = this.any;
    for (let i = 0; i < any.length; i++) {
      try {
        (any[i] as AnyListener)(topic, payload);
      } catch (err) {
        this.log.warn('topic listener failed', { topic, error: String(err) });
      }
    }
  }
}
