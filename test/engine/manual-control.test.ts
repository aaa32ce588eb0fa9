// Manual retry, cancel and retry-every-failed, from each delivery state.
import { afterEach, describe, expect, it } from 'vitest';
import { call, startEngine } from '../support/engine';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

const receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

async function failingSetup() {
  let status = 500;
  const r = await startTestReceiver({ respond: () => ({ status }) });
  receivers.push(r);
  const engine = await startEngine();
  await call(engine, 'settings.update', { retry: { maxAttempts: 1 }, autoDisable: { threshold: 0 } });
  const ep = await call(engine, 'endpoints.create', { url: r.url });
  const final = (id: string, want: string) =>
    waitFor(async () => {
      const d = await call(engine, 'deliveries.get', { id });
      return d.status === want ? d : null;
    });
  return { r, engine, ep, final, setStatus: (s: number) => (status = s) };
}

describe('manual control', () => {
  it('retry of a failed delivery allows exactly one more attempt, now', async () => {
    const { engine, final, setStatus, r } = await failingSetup();
    const ev = await call(engine, 'events.create', { type: 'a.b', data: {} });
    const id = ev.deliveries![0]!.id;
    await final(id, 'failed');
    setStatus(200);
    const retried = await call(engine, 'deliveries.retry', { id });
    expect(['pending', 'sending', 'succeeded']).toContain(retried.status);
    const d = await final(id, 'succeeded');
    expect(d.attempts.map((a) => a.response?.status)).toEqual([500, 200]);
    expect(r.requests).toHaveLength(2);
    // a replay of a succeeded delivery
    await call(engine, 'deliveries.retry', { id });
    await waitFor(async () => (await call(engine, 'deliveries.get', { id })).attemptCount === 3);
    expect((await final(id, 'succeeded')).attempts).toHaveLength(3);
  });

  it('a retried delivery that fails again is failed again (one attempt granted)', async () => {
    const { engine, final } = await failingSetup();
    const ev = await call(engine, 'events.create', { type: 'a.b', data: {} });
    const id = ev.deliveries![0]!.id;
    await final(id, 'failed');
    await call(engine, 'deliveries.retry', { id });
    await waitFor(async () => (await call(engine, 'deliveries.get', { id })).attemptCount === 2);
    expect((await final(id, 'failed')).attempts).toHaveLength(2);
  });

  it('cancel works on pending and paused only; retry of a cancelled one sends it', async () => {
    const engine = await startEngine({ dispatch: false });
    const ep = await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/' });
    const e1 = await call(engine, 'events.create', { type: 'a.b', data: {} });
    const e2 = await call(engine, 'events.create', { type: 'a.b', data: {} });
    const d1 = e1.deliveries![0]!.id;
    const d2 = e2.deliveries![0]!.id;
    expect(await call(engine, 'deliveries.cancel', { id: d1 })).toMatchObject({ status: 'cancelled' });
    await expect(call(engine, 'deliveries.cancel', { id: d1 })).rejects.toMatchObject({ code: 'conflict' });
    await call(engine, 'endpoints.disable', { id: ep.id });
    expect((await call(engine, 'deliveries.get', { id: d2 })).status).toBe('paused');
    await expect(call(engine, 'deliveries.retry', { id: d2 })).rejects.toMatchObject({ code: 'conflict' });
    expect(await call(engine, 'deliveries.cancel', { id: d2 })).toMatchObject({ status: 'cancelled' });
    await call(engine, 'endpoints.enable', { id: ep.id });
    const again = await call(engine, 'deliveries.retry', { id: d1 });
    expect(again).toMatchObject({ status: 'pending', attemptCount: 0 });
    await expect(call(engine, 'deliveries.retry', { id: 'missing' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(call(engine, 'deliveries.cancel', { id: 'missing' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('retryMatching retries every failed delivery matching the filter, and only those', async () => {
    const { engine, ep, final, setStatus } = await failingSetup();
    const ids: string[] = [];
    for (const type of ['order.shipped', 'order.shipped', 'user.created']) {
      const ev = await call(engine, 'events.create', { type, validate: false, data: {} });
      ids.push(ev.deliveries![0]!.id);
    }
    for (const id of ids) await final(id, 'failed');
    setStatus(200);
    const res = await call(engine, 'deliveries.retryMatching', { endpointId: ep.id, type: 'order.shipped' });
    expect(res).toEqual({ retried: 2, dryRun: false });
    await final(ids[0]!, 'succeeded');
    await final(ids[1]!, 'succeeded');
    expect((await call(engine, 'deliveries.get', { id: ids[2]! })).status).toBe('failed');
    expect(await call(engine, 'deliveries.retryMatching', {})).toEqual({ retried: 1, dryRun: false });
    await final(ids[2]!, 'succeeded');
    expect(await call(engine, 'deliveries.retryMatching', {})).toEqual({ retried: 0, dryRun: false });
  });

  it('replayMissing sends an endpoint made later the events it missed, oldest first, as they were first sent', async () => {
    const r = await startTestReceiver({});
    receivers.push(r);
    const engine = await startEngine();
    const first = await call(engine, 'endpoints.create', { url: `${r.url}/first`, eventTypes: ['order.*'] });
    const fired: Array<{ id: string }> = [];
    for (const [type, n] of [
      ['order.created', 1],
      ['user.created', 2],
      ['order.shipped', 3],
    ] as const) {
      fired.push(await call(engine, 'events.create', { type, validate: false, data: { n } }));
    }
    await waitFor(() => r.requests.length === 2);
    const late = await call(engine, 'endpoints.create', { url: `${r.url}/late`, eventTypes: ['order.*'] });
    const since = new Date(Date.now() - 60_000).toISOString();
    expect(await call(engine, 'endpoints.replayMissing', { id: late.id, since, dryRun: true })).toEqual({
      events: 2,
      truncated: false,
      dryRun: true,
    });
    expect(await call(engine, 'endpoints.replayMissing', { id: late.id, since })).toEqual({
      events: 2,
      truncated: false,
      dryRun: false,
    });
    await waitFor(() => r.requests.filter((q) => q.path === '/late').length === 2);
    const toLate = r.requests.filter((q) => q.path === '/late');
    const toFirst = r.requests.filter((q) => q.path === '/first');
    // the same messages: ids and bodies as the first endpoint got them, in the order they were fired
    expect(toLate.map((q) => q.headers['webhook-id'])).toEqual(toFirst.map((q) => q.headers['webhook-id']));
    expect(toLate.map((q) => JSON.parse(q.body).data.n)).toEqual([1, 3]);
    expect(toLate.map((q) => JSON.parse(q.body).id)).toEqual([fired[0]!.id, fired[2]!.id]);
    // nothing is missing now; the first endpoint had them all already
    expect(await call(engine, 'endpoints.replayMissing', { id: late.id, since })).toMatchObject({ events: 0 });
    expect(await call(engine, 'endpoints.replayMissing', { id: first.id, since })).toMatchObject({ events: 0 });
    // the event lists both deliveries, the replayed one succeeded once its answer is recorded (just after it arrived)
    const detail = await waitFor(async () => {
      const d = await call(engine, 'events.get', { id: fired[0]!.id });
      return d.deliveries.every((x) => x.status === 'succeeded') ? d : null;
    });
    expect(detail.deliveries.map((d) => d.endpointId)).toEqual([first.id, late.id]);
    await expect(call(engine, 'endpoints.replayMissing', { id: late.id, since, until: since })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(call(engine, 'endpoints.replayMissing', { id: late.id, since: 'yesterday' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    expect(r.requests).toHaveLength(4);
  });
});
