// Auto-disable: consecutive failures reach the threshold -> endpoint disabled, deliveries paused, user notified;
// enabling resumes them all.
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Notification } from '../../src/main/engine';
import { call, startEngine } from '../support/engine';
import { engineStores, stopEngineStores } from '../support/engine-stores';
import { flatHeaders, startTestReceiver, type TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

const receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});
afterAll(stopEngineStores);

describe.each(engineStores)('auto-disable on $store', ({ fresh, on }) => {
  it('disables at the threshold, pauses waiting deliveries, notifies, and resumes on enable', async () => {
    let healthy = false;
    const failing = await startTestReceiver({ respond: () => ({ status: healthy ? 200 : 500, body: 'down' }) });
    // the notification URL fails once: the operational event is a delivery like any other, retried
    const ops = await startTestReceiver({ respond: (_q, n) => ({ status: n === 1 ? 503 : 200 }) });
    receivers.push(failing, ops);
    const notes: Notification[] = [];
    const engine = await startEngine({ ...on(await fresh()), notify: (n) => notes.push(n) });
    const disabledTopics: unknown[] = [];
    engine.on('endpoint.disabled', (p) => disabledTopics.push(p));
    await call(engine, 'settings.update', {
      retry: { initialDelayMs: 0, maxDelayMs: 0, multiplier: 1, maxAttempts: 10, jitter: 0 },
      autoDisable: { threshold: 4 },
      notificationUrl: `${ops.url}/ops`,
    });
    const ep = await call(engine, 'endpoints.create', { url: failing.url });
    const events = [];
    for (let i = 0; i < 3; i++)
      events.push(await call(engine, 'events.create', { type: 'user.created', validate: false, data: { i } }));

    const disabled = await waitFor(async () => {
      const e = await call(engine, 'endpoints.get', { id: ep.id });
      return e.enabled ? null : e;
    });
    expect(disabled.disabledReason).toMatch(/^4 consecutive failed attempts; last: HTTP 500$/);
    const deliveries = await waitFor(async () => {
      const list = await call(engine, 'deliveries.list', { endpointId: ep.id });
      return list.data.every((d) => d.status === 'paused') ? list.data : null;
    });
    expect(deliveries).toHaveLength(3);
    // attempts already in flight when the 4th failure landed still complete (and fail): at most 2 more
    const failedAttempts = failing.requests.length;
    expect(failedAttempts).toBeGreaterThanOrEqual(4);
    expect(failedAttempts).toBeLessThanOrEqual(6);
    expect((await call(engine, 'endpoints.get', { id: ep.id })).stats.consecutiveFailures).toBe(failedAttempts);

    expect(notes).toEqual([
      {
        topic: 'endpoint.disabled',
        title: 'Endpoint disabled',
        body: expect.stringContaining(failing.url),
        endpointId: ep.id,
      },
    ]);
    expect(disabledTopics).toEqual([
      { id: ep.id, url: failing.url, reason: disabled.disabledReason, pausedDeliveries: expect.any(Number) },
    ]);

    // the operational event, signed with the operational secret (Standard Webhooks), retried after the 503
    await waitFor(() => ops.requests.length === 2);
    const { secret: opsSecret } = await call(engine, 'settings.notificationSecret', {});
    const opsReq = ops.requests[1]!;
    expect(ops.requests[0]!.headers['webhook-id']).toBe(opsReq.headers['webhook-id']);
    const payload = new Webhook(opsSecret).verify(opsReq.body, flatHeaders(opsReq.headers));
    expect(payload).toMatchObject({
      type: 'endpoint.disabled',
      data: { endpoint: { id: ep.id, url: failing.url }, reason: disabled.disabledReason },
    });

    // nothing is attempted while disabled; a new event is kept for it, paused, and says why
    const later = await call(engine, 'events.create', { type: 'user.created', validate: false, data: {} });
    expect(later.deliveries).toEqual([
      { id: expect.any(String), endpointId: ep.id, status: 'paused', maxAttempts: 10 },
    ]);
    const kept = await call(engine, 'deliveries.get', { id: later.deliveries![0]!.id });
    expect(kept).toMatchObject({ status: 'paused', pausedReason: 'endpoint_auto_disabled', attemptCount: 0 });
    expect(deliveries.every((d) => d.pausedReason === 'endpoint_auto_disabled')).toBe(true);
    expect((await call(engine, 'endpoints.get', { id: ep.id })).disabledBy).toBe('auto');
    await expect(call(engine, 'deliveries.retry', { id: deliveries[0]!.id })).rejects.toMatchObject({
      code: 'conflict',
    });

    healthy = true;
    const enabled = await call(engine, 'endpoints.enable', { id: ep.id });
    expect(enabled).toMatchObject({ enabled: true, disabledReason: null });
    expect(enabled.stats.consecutiveFailures).toBe(0);
    await waitFor(async () => {
      const list = await call(engine, 'deliveries.list', { endpointId: ep.id });
      return list.data.every((d) => d.status === 'succeeded');
    });
    const bodies = failing.requests.slice(failedAttempts).map((q) => JSON.parse(q.body).id);
    expect(new Set(bodies)).toEqual(new Set([...events.map((e) => e.id), later.id]));
  });

  it('threshold 0 never disables; a success resets the counter', async () => {
    let n = 0;
    const r = await startTestReceiver({ respond: () => ({ status: ++n % 3 === 0 ? 200 : 500 }) });
    receivers.push(r);
    const engine = await startEngine(on(await fresh()));
    await call(engine, 'settings.update', {
      retry: { initialDelayMs: 0, maxDelayMs: 0, multiplier: 1, maxAttempts: 3, jitter: 0 },
      autoDisable: { threshold: 3 },
    });
    const ep = await call(engine, 'endpoints.create', { url: r.url });
    const ev = await call(engine, 'events.create', { type: 'a.b', data: {} });
    await waitFor(
      async () => (await call(engine, 'deliveries.get', { id: ev.deliveries![0]!.id })).status === 'succeeded',
    );
    const after = await call(engine, 'endpoints.get', { id: ep.id });
    expect(after.enabled).toBe(true);
    expect(after.stats.consecutiveFailures).toBe(0);
    expect(after.stats).toMatchObject({ recentAttempts: 3, successRate: 1 / 3 });
  });

  it('counts every delivery it pauses, the one whose failure disabled it among them; a person’s disable after it takes them over', async () => {
    const down = await startTestReceiver({ respond: () => ({ status: 503 }) });
    const ops = await startTestReceiver({ respond: () => ({ status: 200 }) });
    receivers.push(down, ops);
    const engine = await startEngine(on(await fresh()));
    await call(engine, 'settings.update', { notificationUrl: `${ops.url}/ops` });
    // each failure waits a minute for its retry (pending); the third disables the endpoint
    const ep = await call(engine, 'endpoints.create', {
      url: down.url,
      retry: { initialDelayMs: 60_000, multiplier: 1, maxDelayMs: 60_000, maxAttempts: 5, jitter: 0 },
      autoDisableThreshold: 3,
    });
    const pushed: { id: string; pausedDeliveries: number; reason: string }[] = [];
    engine.on('endpoint.disabled', (p) => pushed.push(p));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const ev = await call(engine, 'events.create', { type: 'user.created', validate: false, data: { i } });
      const id = ev.deliveries?.[0]?.id as string;
      ids.push(id);
      await waitFor(async () => (await call(engine, 'deliveries.get', { id })).attemptCount === 1);
    }
    await waitFor(() => pushed.length === 1);
    const paused = async () => (await call(engine, 'deliveries.list', { endpointId: ep.id, status: ['paused'] })).data;
    await waitFor(async () => (await paused()).length === 3);
    expect(pushed[0]).toMatchObject({ id: ep.id, pausedDeliveries: 3 });
    // the operational event says the same
    await waitFor(() => ops.requests.length === 1);
    expect(JSON.parse(ops.requests[0]!.body).data).toMatchObject({ endpoint: { id: ep.id }, pausedDeliveries: 3 });
    expect((await paused()).map((d) => d.pausedReason)).toEqual(Array(3).fill('endpoint_auto_disabled'));

    // a person disables it now: what was kept for the auto-disable is paused by that person's disable, and said so
    const off = await call(engine, 'endpoints.disable', { id: ep.id, reason: 'maintenance' });
    expect(off).toMatchObject({ disabledBy: 'manual', stats: { pausedDeliveries: 3 } });
    expect(pushed[1]).toMatchObject({ id: ep.id, reason: 'maintenance', pausedDeliveries: 3 });
    expect((await paused()).map((d) => d.pausedReason)).toEqual(Array(3).fill('endpoint_disabled'));
    // enabling sends them, each once
    await call(engine, 'endpoints.enable', { id: ep.id });
    await waitFor(() => down.requests.length === 6);
    expect(new Set(down.requests.slice(3).map((q) => q.headers['webhook-id'])).size).toBe(3);
  });

  it('manual disable pauses and does not notify; delete cancels waiting deliveries and keeps history', async () => {
    const notes: Notification[] = [];
    const engine = await startEngine({ ...on(await fresh()), dispatch: false, notify: (n) => notes.push(n) });
    const ep = await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/' });
    const ev = await call(engine, 'events.create', { type: 'a.b', data: {} });
    const off = await call(engine, 'endpoints.disable', { id: ep.id, reason: 'maintenance' });
    expect(off).toMatchObject({ enabled: false, disabledReason: 'maintenance', disabledBy: 'manual' });
    expect(off.stats.pausedDeliveries).toBe(1);
    expect(notes).toEqual([]);
    expect((await call(engine, 'deliveries.get', { id: ev.deliveries![0]!.id })).pausedReason).toBe(
      'endpoint_disabled',
    );
    // an endpoint a person disabled gets nothing of what is fired meanwhile
    expect((await call(engine, 'events.create', { type: 'a.b', data: {} })).deliveries).toEqual([]);
    await call(engine, 'endpoints.delete', { id: ep.id });
    await expect(call(engine, 'endpoints.get', { id: ep.id })).rejects.toMatchObject({ code: 'not_found' });
    expect((await call(engine, 'endpoints.list', {})).data).toEqual([]);
    const d = await call(engine, 'deliveries.get', { id: ev.deliveries![0]!.id });
    expect(d.status).toBe('cancelled');
  });
});
