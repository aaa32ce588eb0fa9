// The one coalescing rule both transports use, on its own, and then both transports fed the same burst.
import { describe, expect, it } from 'vitest';
import { EventHub } from '../../src/main/transports/http/event-hub';
import { forwardTopics } from '../../src/main/transports/ipc';
import { createTopicCoalescer } from '../../src/main/transports/topic-coalescer';
import type { TopicName } from '../../src/shared';
import { FakeClock } from '../support/clock';
import { fakeTopicSource, deliveryUpdate as update } from '../support/topics';
import { FakeWebContents } from './ipc/fakes';

function recorder() {
  const sent: Array<[TopicName, unknown]> = [];
  return { sent, send: (topic: TopicName, payload: unknown) => void sent.push([topic, payload]) };
}
const summary = (sent: Array<[TopicName, unknown]>) =>
  sent.map(([topic, p]) => [topic, (p as { id: string }).id, (p as { status?: string }).status]);

describe('createTopicCoalescer', () => {
  it('sends the first delivery.updated of an id at once and the newest of a burst when the interval closes', () => {
    const clock = new FakeClock(0);
    const out = recorder();
    const c = createTopicCoalescer(out.send, { clock, coalesceMs: 100 });
    c.push('delivery.updated', update('dlv_1', 'pending'));
    c.push('delivery.updated', update('dlv_1', 'sending'));
    c.push('delivery.updated', update('dlv_2', 'pending'));
    c.push('delivery.updated', update('dlv_1', 'succeeded', 1));
    // other topics are never held back
    c.push('event.created', { id: 'evt_2', type: 'x', deliveryCount: 0 });
    expect(summary(out.sent)).toEqual([
      ['delivery.updated', 'dlv_1', 'pending'],
      ['delivery.updated', 'dlv_2', 'pending'],
      ['event.created', 'evt_2', undefined],
    ]);
    clock.advance(99);
    expect(out.sent).toHaveLength(3);
    clock.advance(1);
    // dlv_1's newest state; dlv_2 had nothing new, so nothing more for it
    expect(out.sent.slice(3)).toEqual([['delivery.updated', update('dlv_1', 'succeeded', 1)]]);
    // the trailing send opened a new interval: an update within it waits for it to close
    c.push('delivery.updated', update('dlv_1', 'succeeded', 2));
    expect(out.sent).toHaveLength(4);
    clock.advance(100);
    expect(out.sent[4]).toEqual(['delivery.updated', update('dlv_1', 'succeeded', 2)]);
    // after a quiet interval the next update goes out at once again
    clock.advance(100);
    expect(clock.pendingTimers()).toEqual([]);
    c.push('delivery.updated', update('dlv_1', 'pending', 3));
    expect(out.sent[5]).toEqual(['delivery.updated', update('dlv_1', 'pending', 3)]);
  });

  it('sends at most one delivery.updated per id per interval under a sustained stream, ending on the last', () => {
    const clock = new FakeClock(0);
    const out = recorder();
    const c = createTopicCoalescer(out.send, { clock, coalesceMs: 100 });
    for (let i = 0; i < 100; i++) {
      c.push('delivery.updated', update('dlv_1', 'sending', i));
      clock.advance(10);
    }
    clock.advance(1000);
    const counts = out.sent.map(([, p]) => (p as { attemptCount: number }).attemptCount);
    expect(counts.length).toBeGreaterThanOrEqual(10);
    expect(counts.length).toBeLessThanOrEqual(11);
    expect(counts.at(-1)).toBe(99);
  });

  it('passes every update through when coalescing is off (coalesceMs 0)', () => {
    const clock = new FakeClock(0);
    const out = recorder();
    const c = createTopicCoalescer(out.send, { clock, coalesceMs: 0 });
    c.push('delivery.updated', update('dlv_1', 'pending'));
    c.push('delivery.updated', update('dlv_1', 'sending'));
    expect(summary(out.sent)).toEqual([
      ['delivery.updated', 'dlv_1', 'pending'],
      ['delivery.updated', 'dlv_1', 'sending'],
    ]);
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('drops what it holds and clears its timers when disposed', () => {
    const clock = new FakeClock(0);
    const out = recorder();
    const c = createTopicCoalescer(out.send, { clock, coalesceMs: 100 });
    c.push('delivery.updated', update('dlv_1', 'pending'));
    c.push('delivery.updated', update('dlv_1', 'sending'));
    c.dispose();
    expect(clock.pendingTimers()).toEqual([]);
    clock.advance(1000);
    expect(out.sent).toHaveLength(1);
  });
});

describe('IPC forwarding and SSE', () => {
  it('send the same topics for the same burst, both checked against the contract', async () => {
    const clock = new FakeClock(0);
    const src = fakeTopicSource();
    const wc = new FakeWebContents();
    forwardTopics(src, () => [wc], { clock, coalesceMs: 100 });
    const hub = new EventHub(src.subscribe, {
      heartbeatMs: 60_000,
      coalesceMs: 100,
      maxBufferedBytes: 1 << 20,
      maxLagHeartbeats: 2,
      clock,
    });
    const client = hub.connect();

    src.emit('delivery.updated', update('dlv_1', 'pending'));
    src.emit('delivery.updated', { ...update('dlv_1', 'sending'), secret: 'whsec_never_leaves' });
    src.emit('delivery.updated', { id: 'bad id!' });
    src.emit('event.created', { id: 'evt_1', type: 'invoice.paid', deliveryCount: 1 });
    src.emit('delivery.updated', update('dlv_1', 'succeeded', 1));
    clock.advance(100);
    hub.close();

    const overIpc = wc.sent.map((s) => [s.args[0], s.args[1]]);
    const reader = client.stream.getReader();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    const overSse = text
      .split('\n\n')
      .filter((f) => f.startsWith('event: '))
      .map((f) => [f.slice(7, f.indexOf('\n')), JSON.parse(f.slice(f.indexOf('data: ') + 6))]);
    expect(overIpc).toEqual([
      ['delivery.updated', update('dlv_1', 'pending')],
      ['event.created', { id: 'evt_1', type: 'invoice.paid', deliveryCount: 1 }],
      ['delivery.updated', update('dlv_1', 'succeeded', 1)],
    ]);
    expect(overSse).toEqual(overIpc);
  });
});
