// An endpoint's own retry policy and auto-disable threshold (null: the settings'), on both stores: its failures are
// retried and counted by its own rules while every other endpoint keeps the settings', a change applies to the next
// delivery and the next failure, and a bad policy is refused without changing anything.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { RetryPolicy } from '../../src/shared';
import { call, startEngine } from '../support/engine';
import { engineStores, stopEngineStores } from '../support/engine-stores';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

const receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});
afterAll(stopEngineStores);

/** The settings' policy in these tests: one retry, an hour away (a delivery that follows it stays pending). */
const SLOW: RetryPolicy = {
  initialDelayMs: 3_600_000,
  multiplier: 2,
  maxDelayMs: 3_600_000,
  maxAttempts: 2,
  jitter: 0,
};
/** An endpoint's own: four attempts, 20 ms apart. */
const QUICK: RetryPolicy = { initialDelayMs: 20, multiplier: 1, maxDelayMs: 20, maxAttempts: 4, jitter: 0 };

async function failingReceiver(): Promise<TestReceiver> {
  const r = await startTestReceiver({ respond: () => ({ status: 500, body: 'down' }) });
  receivers.push(r);
  return r;
}

describe.each(engineStores)('an endpoint’s own policy on $store', ({ fresh, on }) => {
  it('retries by its own policy while another endpoint keeps the settings’', async () => {
    const [own, shared] = [await failingReceiver(), await failingReceiver()];
    const engine = await startEngine(on(await fresh()));
    await call(engine, 'settings.update', { retry: SLOW, autoDisable: { threshold: 0 } });
    const quick = await call(engine, 'endpoints.create', { url: own.url, retry: QUICK });
    const plain = await call(engine, 'endpoints.create', { url: shared.url });
    expect(quick.retry).toEqual(QUICK);
    expect(plain.retry).toBeNull();
    expect((await call(engine, 'endpoints.get', { id: quick.id })).retry).toEqual(QUICK);

    const topics: { id: string; status: string; attemptCount: number; maxAttempts: number }[] = [];
    engine.on('delivery.updated', (u) => topics.push(u));
    const event = await call(engine, 'events.create', { type: 'user.created', validate: false, data: {} });
    const ofEndpoint = (id: string) => event.deliveries?.find((d) => d.endpointId === id)?.id as string;
    // each delivery says from the start how many attempts it may take: in the answer, and in every update pushed
    const allowed = { [quick.id]: 4, [plain.id]: 2 };
    expect(event.deliveries?.map((d) => d.maxAttempts)).toEqual(event.deliveries?.map((d) => allowed[d.endpointId]));
    const done = await waitFor(async () => {
      const d = await call(engine, 'deliveries.get', { id: ofEndpoint(quick.id) });
      return d.status === 'failed' ? d : null;
    });
    // four attempts (its maxAttempts, not the settings' two), 20 ms apart rather than an hour
    expect(done.attempts.map((a) => a.response?.status)).toEqual([500, 500, 500, 500]);
    expect(done.maxAttempts).toBe(4);
    expect(own.requests).toHaveLength(4);

    const other = await waitFor(async () => {
      const d = await call(engine, 'deliveries.get', { id: ofEndpoint(plain.id) });
      return d.attempts.length === 1 && d.status === 'pending' ? d : null;
    });
    const waitMs = Date.parse(other.nextAttemptAt as string) - Date.parse(other.attempts[0]?.startedAt as string);
    expect(waitMs).toBeGreaterThan(3_500_000);
    expect(other.maxAttempts).toBe(2);
    expect(shared.requests).toHaveLength(1);
    const quickSteps = topics.filter((u) => u.id === ofEndpoint(quick.id));
    expect(quickSteps.at(-1)).toMatchObject({ status: 'failed', attemptCount: 4, maxAttempts: 4 });
    expect(quickSteps.length).toBeGreaterThanOrEqual(8); // sending and its outcome, four times
    expect(new Set(quickSteps.map((u) => u.maxAttempts))).toEqual(new Set([4]));
    expect(topics.find((u) => u.id === ofEndpoint(plain.id) && u.status === 'pending')?.maxAttempts).toBe(2);
    // and the event's reads: its deliveries (events.get) and its refs in the list
    const detail = await call(engine, 'events.get', { id: event.id });
    expect(detail.deliveries.map((d) => [d.endpointId, d.maxAttempts])).toEqual(
      expect.arrayContaining([
        [quick.id, 4],
        [plain.id, 2],
      ]),
    );
    const listed = (await call(engine, 'events.list', {})).data.find((e) => e.id === event.id);
    expect(listed?.deliveries?.map((d) => d.maxAttempts).sort()).toEqual([2, 4]);
    // the settings were never touched
    expect((await call(engine, 'settings.get', {})).retry).toEqual(SLOW);
    await engine.stop();
  });

  it('auto-disables at its own threshold, or never with 0, whatever the settings say', async () => {
    const [early, never] = [await failingReceiver(), await failingReceiver()];
    const engine = await startEngine(on(await fresh()));
    await call(engine, 'settings.update', { retry: SLOW, autoDisable: { threshold: 3 } });
    const policy = { ...QUICK, maxAttempts: 5 };
    const a = await call(engine, 'endpoints.create', { url: early.url, retry: policy, autoDisableThreshold: 2 });
    const b = await call(engine, 'endpoints.create', { url: never.url, retry: policy, autoDisableThreshold: 0 });
    expect([a.autoDisableThreshold, b.autoDisableThreshold]).toEqual([2, 0]);
    await call(engine, 'events.create', { type: 'user.created', validate: false, data: {} });

    const off = await waitFor(async () => {
      const e = await call(engine, 'endpoints.get', { id: a.id });
      return e.enabled ? null : e;
    });
    expect(off.disabledBy).toBe('auto');
    expect(off.disabledReason).toMatch(/^2 consecutive failed attempts/);
    // b fails all five attempts (past the settings' threshold of 3) and stays enabled
    await waitFor(async () => {
      const list = await call(engine, 'deliveries.list', { endpointId: b.id });
      return list.data[0]?.status === 'failed' ? true : null;
    });
    const kept = await call(engine, 'endpoints.get', { id: b.id });
    expect(kept.enabled).toBe(true);
    expect(kept.stats.consecutiveFailures).toBe(5);
    await engine.stop();
  });

  it('changes by update (null: back to the settings’) and refuses a bad policy without changing anything', async () => {
    const receiver = await failingReceiver();
    const engine = await startEngine(on(await fresh()));
    await call(engine, 'settings.update', { retry: SLOW, autoDisable: { threshold: 0 } });
    const ep = await call(engine, 'endpoints.create', { url: receiver.url, retry: QUICK, autoDisableThreshold: 7 });

    const bad = { ...QUICK, initialDelayMs: 100, maxDelayMs: 10 };
    await expect(call(engine, 'endpoints.update', { id: ep.id, retry: bad })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(call(engine, 'endpoints.update', { id: ep.id, autoDisableThreshold: -1 })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    // a policy is given whole: a part of one is refused too
    const part = { maxAttempts: 3 } as unknown as RetryPolicy;
    await expect(call(engine, 'endpoints.update', { id: ep.id, retry: part })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    const same = await call(engine, 'endpoints.get', { id: ep.id });
    expect([same.retry, same.autoDisableThreshold, same.updatedAt]).toEqual([QUICK, 7, ep.updatedAt]);

    const back = await call(engine, 'endpoints.update', { id: ep.id, retry: null, autoDisableThreshold: null });
    expect([back.retry, back.autoDisableThreshold]).toEqual([null, null]);
    // the next delivery follows the settings again: one attempt, the retry an hour away
    const event = await call(engine, 'events.create', { type: 'user.created', validate: false, data: {} });
    const id = event.deliveries?.[0]?.id as string;
    const d = await waitFor(async () => {
      const x = await call(engine, 'deliveries.get', { id });
      return x.attempts.length === 1 && x.status === 'pending' ? x : null;
    });
    expect(Date.parse(d.nextAttemptAt as string) - Date.parse(d.attempts[0]?.startedAt as string)).toBeGreaterThan(
      3_500_000,
    );

    await engine.stop();
  });

  it('is given to an endpoint made with its inbox, in the same call; a bad one makes neither', async () => {
    const engine = await startEngine({ ...on(await fresh()), inbox: {} });
    const bad = { ...QUICK, maxDelayMs: 1 };
    await expect(call(engine, 'inboxes.create', { name: 'x', createEndpoint: { retry: bad } })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    expect((await call(engine, 'inboxes.list', {})).data).toEqual([]);
    expect((await call(engine, 'endpoints.list', {})).data).toEqual([]);
    const made = await call(engine, 'inboxes.create', {
      name: 'quick',
      createEndpoint: { retry: QUICK, autoDisableThreshold: 0 },
    });
    const ep = await call(engine, 'endpoints.get', { id: made.endpointId as string });
    expect([ep.retry, ep.autoDisableThreshold]).toEqual([QUICK, 0]);
    await engine.stop();
  });

  it('gives replayed events its own attempts', async () => {
    const receiver = await failingReceiver();
    const engine = await startEngine(on(await fresh()));
    await call(engine, 'settings.update', { retry: SLOW, autoDisable: { threshold: 0 } });
    const since = new Date(Date.now() - 1_000).toISOString();
    await call(engine, 'events.create', { type: 'user.created', validate: false, data: {} });
    const ep = await call(engine, 'endpoints.create', { url: receiver.url, retry: { ...QUICK, maxAttempts: 3 } });
    const queued: { endpointId: string; status: string; maxAttempts: number }[] = [];
    engine.on('delivery.updated', (u) => queued.push(u));
    expect((await call(engine, 'endpoints.replayMissing', { id: ep.id, since })).events).toBe(1);
    expect(queued[0]).toMatchObject({ endpointId: ep.id, status: 'pending', maxAttempts: 3 });
    const d = await waitFor(async () => {
      const list = await call(engine, 'deliveries.list', { endpointId: ep.id });
      return list.data[0]?.status === 'failed' ? list.data[0] : null;
    });
    expect([d.attemptCount, d.maxAttempts]).toEqual([3, 3]);
    await engine.stop();
  });
});
