import { describe, expect, it } from 'vitest';
import { forwardTopics } from '../../../src/main/transports/ipc';
import { IPC_PUSH } from '../../../src/shared';
import { FakeClock } from '../../support/clock';
import { recordingLog } from '../../support/log';
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

  it('coalesces delivery.updated with the shared rule (see topic-coalescer.test.ts) and checks payloads', () => {
    const engine = fakeEngine();
    const clock = new FakeClock(0);
    const wc = new FakeWebContents();
    const log = recordingLog();
    forwardTopics(engine, () => [wc], { clock, coalesceMs: 100, log });
    engine.emit('delivery.updated', update('dlv_1', 'pending'));
    engine.emit('delivery.updated', update('dlv_1', 'sending'));
    engine.emit('delivery.updated', { id: 'dlv_2', status: 'exploded' });
    clock.advance(100);
    expect(pushed(wc).map((p) => p.payload)).toEqual([update('dlv_1', 'pending'), update('dlv_1', 'sending')]);
    expect(log.messages('warn')).toEqual(['push payload outside its topic schema']);
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
