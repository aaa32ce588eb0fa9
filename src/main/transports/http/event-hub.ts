// Fans the engine's push topics out to SSE clients. Payloads are checked against their topic's schema and
// `delivery.updated` is coalesced by the same modules IPC forwarding uses (../topic-payload, ../topic-coalescer).
import type { TopicName } from '../../../shared';
import type { Clock, Logger } from '../../engine/types';
import { createTopicCoalescer, DEFAULT_COALESCE_MS, type TopicCoalescer } from '../topic-coalescer';
import { checkTopicPayload } from '../topic-payload';
import { SseClient, sseFrame } from './sse-client';

export interface EventHubOptions {
  /** interval between heartbeat comments (default 15 s) */
  heartbeatMs: number;
  /** minimum time between two `delivery.updated` frames for one delivery (default 100 ms; see topic-coalescer) */
  coalesceMs: number;
  /** bytes queued per client before frames are dropped for it (default 1 MiB) */
  maxBufferedBytes: number;
  /** heartbeats a client may keep lagging before it is disconnected (it reconnects and refetches) */
  maxLagHeartbeats: number;
  /** timers of the coalescer, injectable for tests */
  clock?: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
}

export const defaultEventHubOptions: EventHubOptions = {
  heartbeatMs: 15_000,
  coalesceMs: DEFAULT_COALESCE_MS,
  maxBufferedBytes: 1024 * 1024,
  maxLagHeartbeats: 2,
};

type Subscribe = (fn: (topic: TopicName, payload: unknown) => void) => () => void;

export class EventHub {
  private readonly clients = new Set<SseClient>();
  private readonly coalescer: TopicCoalescer;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private tick = 0;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly subscribe: Subscribe,
    private readonly opts: EventHubOptions = defaultEventHubOptions,
    private readonly log?: Logger,
  ) {
    this.coalescer = createTopicCoalescer((topic, payload) => this.broadcast(sseFrame(topic, payload)), {
      coalesceMs: opts.coalesceMs,
      clock: opts.clock,
    });
  }

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
    if (this.clients.size === 0) return;
    const checked = checkTopicPayload(topic, payload, this.log);
    if (checked.ok) this.coalescer.push(checked.topic, checked.payload);
  }

  /** Ends every stream (server shutdown): open SSE connections would otherwise keep the server from closing. */
  close(): void {
    this.coalescer.dispose();
    for (const client of [...this.clients]) client.close();
    this.stopListening();
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
