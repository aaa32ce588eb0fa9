// One server-sent-events subscriber. Frames go into a byte-bounded ReadableStream that @hono/node-server pipes to
// the socket, reading only while the socket drains; so a stuck client shows up as a full queue here, and we drop
// frames for it (counting them) instead of buffering without bound.

import type { TopicPayload } from '../../../shared';

const encoder = new TextEncoder();

/** Formats one SSE frame: `event: <topic>` + `data: <json>`. JSON never contains a raw newline. */
export const sseFrame = (topic: string, payload: unknown) => `event: ${topic}\ndata: ${JSON.stringify(payload)}\n\n`;

export interface SseClientOptions {
  /** bytes queued for a client before its frames are dropped */
  maxBufferedBytes: number;
  /** called once when the client goes away (disconnect, cancel, server close) */
  onClose: (client: SseClient) => void;
}

export class SseClient {
  readonly stream: ReadableStream<Uint8Array>;
  /** frames dropped since the client last drained; reported to it as `stream.gap` once it catches up */
  dropped = 0;
  /** the heartbeat tick at which dropping started, or null while the client keeps up */
  laggingSince: number | null = null;
  private controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  private closed = false;

  constructor(private readonly opts: SseClientOptions) {
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        cancel: () => this.close(),
      },
      new ByteLengthQueuingStrategy({ highWaterMark: opts.maxBufferedBytes }),
    );
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Queues a frame; returns false when it was dropped because the client is not draining. */
  send(frame: string, tick = 0): boolean {
    const controller = this.controller;
    if (this.closed || !controller) return false;
    const room = controller.desiredSize ?? 0;
    if (room <= 0) {
      this.dropped++;
      this.laggingSince ??= tick;
      return false;
    }
    if (this.dropped > 0) {
      // Tell the client it missed frames, so it refetches instead of trusting a partial picture.
      const gap: TopicPayload<'stream.gap'> = { dropped: this.dropped };
      controller.enqueue(encoder.encode(sseFrame('stream.gap', gap)));
      this.dropped = 0;
      this.laggingSince = null;
    }
    controller.enqueue(encoder.encode(frame));
    return true;
  }

  /** A comment line that keeps proxies and the client's reader from timing out; skipped when the client lags. */
  heartbeat(): void {
    const controller = this.controller;
    if (this.closed || !controller || (controller.desiredSize ?? 0) <= 0) return;
    controller.enqueue(encoder.encode(': heartbeat\n\n'));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.controller?.close();
    } catch {
      // already errored or cancelled by the reader
    }
    this.opts.onClose(this);
  }
}
