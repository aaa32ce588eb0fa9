// Fans the engine's push topics out to SSE clients. `delivery.updated` fires on every state change of every
// delivery, so bursts for the same delivery are coalesced to the latest state before they reach any client.
import { isTopicName, type TopicName, topics } from '../../../shared';
import type { Logger } from '../../engine/types';
import { SseClient, sseFrame } from './sse-client';

export interface EventHubOptions {
  /** interval between heartbeat comments (default 15 s) */
  heartbeatMs: number;
  /** window in which `delivery.updated` for one delivery collapses to the last one (default 100 ms) */
  coalesceMs: number;
  /** bytes queued per client before frames are dropped for it (default 1 MiB) */
  maxBufferedBytes: number;
  /** heartbeats a client may keep lagging before it is disconnected (it reconnects and refetches) */
  maxLagHeartbeats: number;
}

export const defaultEventHubOptions: EventHubOptions = {
  heartbeatMs: 15_000,
  coalesceMs: 100,
  maxBufferedBytes: 1024 * 1024,
  maxLagHeartbeats: 2,
};

type Subscribe = (fn: (topic: TopicName, payload: unknown) => void) => () => void;

export class EventHub {
  private readonly clients = new Set<SseClient>();
  private readonly pendingDeliveries = new Map<string, unknown>();
  private flushTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private tick = 0;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly subscribe: Subscribe,
    private readonly opts: EventHubOptions = defaultEventHubOptions,
    private readonly log?: Logger,
  ) {}

  get clientCount(): number {
    return this.clients.size;
  }

  /** A new subscriber; the engine is listened to only while someone is connected. */
  connect(): SseClient {
    const client = new SseClient({
      maxBufferedBytes: this.opts.maxBufferedBytes,
      onClose: (c) => this.remove(c),
    });
    this.clients.add(client);
    // `retry` tells EventSource-style readers how soon to reconnect; it also puts bytes on the wire at once.
    client.send('retry: 2000\n: connected\n\n');
    if (!this.unsubscribe) this.unsubscribe = this.subscribe((topic, payload) => this.publish(topic, payload));
    if (!this.heartbeatTimer) {
      this.heartbeatTimer = setInterval(() => this.heartbeat(), this.opts.heartbeatMs);
      this.heartbeatTimer.unref();
    }
    return client;
  }

  publish(topic: TopicName, payload: unknown): void {
    if (this.clients.size === 0 || !isTopicName(topic)) return;
    // Strip to the contract, as dispatch does for route outputs.
    const parsed = topics[topic].safeParse(payload);
    if (!parsed.success) {
      this.log?.warn('push payload outside its topic schema', { topic });
      return;
    }
    if (topic === 'delivery.updated' && this.opts.coalesceMs > 0) {
      const id = (parsed.data as { id: string }).id;
      this.pendingDeliveries.set(id, parsed.data);
      this.flushTimer ??= setTimeout(() => this.flush(), this.opts.coalesceMs);
      return;
    }
    this.broadcast(sseFrame(topic, parsed.data));
  }

  /** Ends every stream (server shutdown): open SSE connections would otherwise keep the server from closing. */
  close(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.pendingDeliveries.clear();
    for (const client of [...this.clients]) client.close();
    this.stopListening();
  }

  private flush(): void {
    this.flushTimer = null;
    const pending = [...this.pendingDeliveries.values()];
    this.pendingDeliveries.clear();
    for (const payload of pending) this.broadcast(sseFrame('delivery.updated', payload));
  }

  private broadcast(frame: string): void {
    for (const client of this.clients) client.send(frame, this.tick);
  }

  private heartbeat(): void {
    this.tick++;
    for (const client of [...this.clients]) {
      if (client.laggingSince !== null && this.tick - client.laggingSince >= this.opts.maxLagHeartbeats) {
        this.log?.info('dropping an SSE client that stopped reading', { dropped: client.dropped });
        client.close();
      } else {
        client.heartbeat();
      }
    }
  }

  private remove(client: SseClient): void {
    this.clients.delete(client);
    if (this.clients.size === 0) this.stopListening();
  }

  private stopListening(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }
}
