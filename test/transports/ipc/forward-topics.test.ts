import { describe, expect, it } from 'vitest';
import { forwardTopics } from '../../../src/main/transports/ipc';
import { IPC_PUSH } from '../../../src/shared';
import { FakeClock } from '../../support/clock';
import { fakeTopicSource as fakeEngine, deliveryUpdate as update } from '../../support/topics';
import { FakeWebContents } from './fakes';

const pushed = (wc: FakeWebContents) =>
  wc.sent.map((s) => ({ channel: s.channel, topic: s.args[0], payload: s.args[1] }));

describe('forwardTopics', () => {
  it('sends every topic to every live window on the push channel', () => {
    const engine = fakeEngine();
    const a = new FakeWebContents();
    const b = new FakeWebContents();
    forwardTopics(engine, () => [a, b], { clock: new FakeClock(0) });
    engine.emit('endpoint.disabled', { id: 'ep_1', url: 'http://x', reason: 'failing', pausedDeliveries: 3 });
    engine.emit('event.created', { id: 'evt_1', type: 'invoice.paid', deliveryCount: 1 });
    for (const wc of [a, b]) {
      expect(pushed(wc)).toEqual([
        {
          channel: IPC_PUSH,
          topic: 'endpoint.disabled',
          payload: { id: 'ep_1', url: 'http://x', reason: 'failing', pausedDeliveries: 3 },
        },
        { channel: IPC_PUSH, topic: 'event.created', payload: { id: 'evt_1', type: 'invoice.paid', deliveryCount: 1 } },
      ]);
    }
  });

  it('skips destroyed windows and keeps going when one throws', () => {
    const engine = fakeEngine();
    const gone = new FakeWebContents();
    gone.destroyed = true;
    const broken = new FakeWebContents();
    broken.failing = true;
    const fine = new FakeWebContents();
    forwardTopics(engine, () => [gone, broken, fine], { clock: new FakeClock(0) });
    engine.emit('settings.updated', {});
    expect(gone.sent).toEqual([]);
    expect(pushed(fine)).toEqual([{ channel: IPC_PUSH, topic: 'settings.updated', payload: {} }]);
  });

  it('coalesces a burst of delivery.updated per id: the first at once, then the newest after the interval', () => {
    const engine = fakeEngine();
    const clock = new FakeClock(0);
    const wc = new FakeWebContents();
    forwardTopics(engine, () => [wc], { clock, coalesceMs: 100 });

    engine.emit('delivery.updated', update('dlv_1', 'pending'));
    engine.emit('delivery.updated', update('dlv_1', 'sending'));
    engine.emit('delivery.updated', update('dlv_2', 'pending'));
    engine.emit('delivery.updated', update('dlv_1', 'pending', 1));
    engine.emit('delivery.updated', update('dlv_1', 'succeeded', 2));
    // other topics are never held back
    engine.emit('event.created', { id: 'evt_2', type: 'x', deliveryCount: 0 });

    expect(
      pushed(wc).map((p) => [p.topic, (p.payload as { id: string }).id, (p.payload as { status?: string }).status]),
    ).toEqual([
      ['delivery.updated', 'dlv_1', 'pending'],
      ['delivery.updated', 'dlv_2', 'pending'],
      ['event.created', 'evt_2', undefined],
    ]);

    clock.advance(99);
    expect(wc.sent).toHaveLength(3);
    clock.advance(1);
    // dlv_1's newest state arrives; dlv_2 had nothing new, so nothing more is sent for it
    expect(pushed(wc).slice(3)).toEqual([
      { channel: IPC_PUSH, topic: 'delivery.updated', payload: update('dlv_1', 'succeeded', 2) },
    ]);

    // the trailing send opened a new window: another update within it waits for it to close
    engine.emit('delivery.updated', update('dlv_1', 'succeeded', 3));
    expect(wc.sent).toHaveLength(4);
    clock.advance(100);
    expect(pushed(wc)[4]?.payload).toEqual(update('dlv_1', 'succeeded', 3));
    // and after a quiet interval the next update goes out at once again
    clock.advance(100);
    expect(clock.pendingTimers().length).toBe(0);
    engine.emit('delivery.updated', update('dlv_1', 'pending', 4));
    expect(pushed(wc)[5]?.payload).toEqual(update('dlv_1', 'pending', 4));
  });

  it('sends at most one delivery.updated per id per interval under a sustained stream', () => {
    const engine = fakeEngine();
    const clock = new FakeClock(0);
    const wc = new FakeWebContents();
    forwardTopics(engine, () => [wc], { clock, coalesceMs: 100 });
    for (let i = 0; i < 100; i++) {
      engine.emit('delivery.updated', update('dlv_1', 'sending', i));
      clock.advance(10);
    }
    clock.advance(1000);
    const counts = pushed(wc).map((p) => (p.payload as { attemptCount: number }).attemptCount);
    expect(counts.length).toBeLessThanOrEqual(11);
    expect(counts.at(-1)).toBe(99);
  });

  it('stops forwarding and clears its timers when stopped', () => {
    const engine = fakeEngine();
    const clock = new FakeClock(0);
    const wc = new FakeWebContents();
    const stop = forwardTopics(engine, () => [wc], { clock });
    engine.emit('delivery.updated', update('dlv_1', 'pending'));
    engine.emit('delivery.updated', update('dlv_1', 'sending'));
    stop();
    expect(engine.listeners.size).toBe(0);
    expect(clock.pendingTimers().length).toBe(0);
    clock.advance(1000);
    engine.emit('settings.updated', {});
    expect(wc.sent).toHaveLength(1);
  });
});
