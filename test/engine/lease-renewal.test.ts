// A delivery waiting in memory for a slot renews its lease before it starts. When that write is refused (a full
// disk), the delivery is let go from memory, not lost: lease recovery returns it to pending and it is delivered once.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeliveryStates } from '../../src/main/engine/delivery/state';
import { FakeClock } from '../support/clock';
import { call, startEngine } from '../support/engine';
import { recordingLog } from '../support/log';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

const receivers: TestReceiver[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

describe('lease renewal', () => {
  it('survives a refused renewal: the delivery returns through lease recovery and is sent once', async () => {
    const clock = new FakeClock(Date.now());
    const log = recordingLog();
    const r = await startTestReceiver({ respond: () => ({ status: 200, delayMs: 300 }) });
    receivers.push(r);
    const engine = await startEngine({ clock, log, perEndpointConcurrency: 1 });
    await call(engine, 'endpoints.create', { url: r.url });
    const renew = vi.spyOn(DeliveryStates.prototype, 'renew').mockImplementationOnce(() => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    });

    // one turn: the first goes at once, the second waits in memory for the endpoint's only slot
    const [first, second] = await Promise.all(
      [0, 1].map((i) => call(engine, 'events.create', { type: 'a.b', data: { i } })),
    );
    const firstId = first!.deliveries![0]!.id;
    const secondId = second!.deliveries![0]!.id;
    // while the first is in flight, time passes: the waiting one's lease no longer covers a full attempt
    clock.advance(6_000);
    await waitFor(async () => (await call(engine, 'deliveries.get', { id: firstId })).status === 'succeeded');
    expect(renew).toHaveBeenCalledTimes(1);
    expect(log.messages('error')).toContain('renewing a lease failed');
    expect(r.requests).toHaveLength(1);
    expect((await call(engine, 'deliveries.get', { id: secondId })).status).toBe('sending');

    // its lease runs out: recovery makes it pending, the dispatcher sends it
    clock.advance(30_000);
    const done = await waitFor(async () => {
      const d = await call(engine, 'deliveries.get', { id: secondId });
      return d.status === 'succeeded' ? d : null;
    });
    expect(done.attemptCount).toBe(1);
    expect(r.requests.map((q) => JSON.parse(q.body).data.i)).toEqual([0, 1]);
  });
});
