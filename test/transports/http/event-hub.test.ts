// The SSE fan-out on its own: coalescing, topic filtering, backpressure and cleanup. No sockets needed: the
// client's ReadableStream is what @hono/node-server pipes to the socket.
import { describe, expect, it } from 'vitest';
import { EventHub } from '../../../src/main/transports/http/event-hub';
import { fakeTopicSource as fakeSource, deliveryUpdate as update } from '../../support/topics';

async function readFrames(stream: ReadableStream<Uint8Array>, until: (text: string) => boolean): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!until(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  reader.releaseLock();
  return text;
}

const frames = (text: string, topic: string) =>
  text
    .split('\n\n')
    .filter((f) => f.startsWith(`event: ${topic}\n`))
    .map((f) => JSON.parse(f.slice(f.indexOf('data: ') + 6)));

describe('EventHub', () => {
  it('subscribes only while clients are connected', () => {
    const src = fakeSource();
    const hub = new EventHub(src.subscribe, {
      heartbeatMs: 60_000,
      coalesceMs: 10,
      maxBufferedBytes: 1 << 20,
      maxLagHeartbeats: 2,
    });
    expect(src.listeners.size).toBe(0);
    const a = hub.connect();
    const b = hub.connect();
    expect(src.listeners.size).toBe(1);
    a.close();
    expect(src.listeners.size).toBe(1);
    b.close();
    expect(src.listeners.size).toBe(0);
    expect(hub.clientCount).toBe(0);
  });

  it('coalesces delivery.updated per delivery and passes other topics at once', async () => {
    const src = fakeSource();
    const hub = new EventHub(src.subscribe, {
      heartbeatMs: 60_000,
      coalesceMs: 30,
      maxBufferedBytes: 1 << 20,
      maxLagHeartbeats: 2,
    });
    const client = hub.connect();
    src.emit('event.created', { id: 'evt_1', type: 'invoice.paid', deliveryCount: 2 });
    src.emit('delivery.updated', update('d1', 'pending'));
    src.emit('delivery.updated', update('d1', 'sending'));
    src.emit('delivery.updated', update('d2', 'sending'));
    src.emit('delivery.updated', update('d1', 'succeeded', 1));
    src.emit('delivery.updated', { id: 'bad id!' }); // outside the topic schema: never reaches a client
    // the first state of each delivery at once, then d1's newest when its interval closes (topic-coalescer)
    const text = await readFrames(client.stream, (t) => frames(t, 'delivery.updated').length >= 3);
    expect(frames(text, 'event.created')).toEqual([{ id: 'evt_1', type: 'invoice.paid', deliveryCount: 2 }]);
    expect(frames(text, 'delivery.updated')).toEqual([
      update('d1', 'pending'),
      update('d2', 'sending'),
      update('d1', 'succeeded', 1),
    ]);
    hub.close();
  });

  it('drops frames for a client that does not drain, marks the gap, and keeps the others flowing', async () => {
    const src = fakeSource();
    const hub = new EventHub(src.subscribe, {
      heartbeatMs: 60_000,
      coalesceMs: 0,
      maxBufferedBytes: 4096,
      maxLagHeartbeats: 2,
    });
    const stuck = hub.connect();
    const healthy = hub.connect();
    const healthyText = readFrames(healthy.stream, (t) => frames(t, 'event.created').length >= 200);
    for (let i = 0; i < 200; i++) {
      src.emit('event.created', { id: `evt_${i}`, type: 'x.y', deliveryCount: 1 });
      // let the healthy reader drain between small bursts, as a socket would
      if (i % 10 === 9) await new Promise((r) => setImmediate(r));
    }
    expect(frames(await healthyText, 'event.created')).toHaveLength(200);
    // The stuck client's queue is bounded: most frames were dropped and counted, not buffered.
    expect(stuck.dropped).toBeGreaterThan(100);
    const dropped = stuck.dropped;
    // Once it reads again it learns how much it missed, then gets live frames.
    const reader = stuck.stream.getReader();
    let text = '';
    const decoder = new TextDecoder();
    for (;;) {
      const { value } = await reader.read();
      text += decoder.decode(value, { stream: true });
      if (text.length > 3000) break;
    }
    src.emit('event.created', { id: 'evt_live', type: 'x.y', deliveryCount: 1 });
    while (!text.includes('evt_live')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(frames(text, 'stream.gap')).toEqual([{ dropped }]);
    expect(text).toContain('evt_live');
    hub.close();
  });

  it('closes every stream on close()', async () => {
    const src = fakeSource();
    const hub = new EventHub(src.subscribe);
    const client = hub.connect();
    hub.close();
    const text = await readFrames(client.stream, () => false);
    expect(text).toContain(': connected');
    expect(src.listeners.size).toBe(0);
  });
});
