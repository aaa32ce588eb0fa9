// Push topics inside the engine: handlers emit, transports subscribe (IPC windows, SSE streams).
import type { TopicName, TopicPayload } from '../../shared';
import type { Logger, TopicListener } from './types';

type AnyListener = (topic: TopicName, payload: unknown) => void;

export class TopicBus {
  private readonly byTopic = new Map<TopicName, Set<(payload: unknown) => void>>();
  private readonly any = new Set<AnyListener>();

  constructor(private readonly log: Logger) {}

  on<T extends TopicName>(topic: T, fn: TopicListener<T>): () => void {
    let set = this.byTopic.get(topic);
    if (!set) {
      set = new Set();
      this.byTopic.set(topic, set);
    }
    const listener = fn as (payload: unknown) => void;
    set.add(listener);
    return () => set.delete(listener);
  }

  onAny(fn: AnyListener): () => void {
    this.any.add(fn);
    return () => this.any.delete(fn);
  }

  /** A throwing subscriber is logged and skipped: it must never break the write that emitted. */
  emit<T extends TopicName>(topic: T, payload: TopicPayload<T>): void {
    for (const fn of this.byTopic.get(topic) ?? []) {
      try {
        fn(payload);
      } catch (err) {
        this.log.warn('topic listener failed', { topic, error: String(err) });
      }
    }
    for (const fn of this.any) {
      try {
        fn(topic, payload);
      } catch (err) {
        this.log.warn('topic listener failed', { topic, error: String(err) });
      }
    }
  }
}
