// Retention prunes finished history older than retentionDays and never waiting deliveries.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../support/clock';
import { call, startEngine } from '../support/engine';
import { closedPort, startTestReceiver, type TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

const receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

describe('retention', () => {
  it('prunes succeeded, failed and cancelled deliveries with their attempts and orphan events', async () => {
    const clock = new FakeClock(Date.now());
    const ok = await startTestReceiver();
    receivers.push(ok);
    const engine = await startEngine({ clock });
    await call(engine, 'settings.update', {
      retentionDays: 1,
      retry: { initialDelayMs: 86_400_000, maxDelayMs: 86_400_000, multiplier: 1, maxAttempts: 1 },
      autoDisable: { threshold: 0 },
    });
    await call(engine, 'endpoints.create', { url: ok.url, eventTypes: ['good'] });
    const downUrl = `http://127.0.0.1:${await closedPort()}/`;
    await call(engine, 'endpoints.create', { url: downUrl, eventTypes: ['down'] });
    const paused = await call(engine, 'endpoints.create', { url: downUrl, eventTypes: ['paused'] });
    const okEv = await call(engine, 'events.create', { type: 'good', data: {} });
    const failEv = await call(engine, 'events.create', { type: 'down', data: { f: 1 } });
    await waitFor(
      async () => (await call(engine, 'deliveries.get', { id: failEv.deliveries![0]!.id })).status === 'failed',
    );
    await call(engine, 'settings.update', { retry: { maxAttempts: 100 } });
    // its endpoint disabled while the delivery waits for a retry: the delivery is paused
    const pausedEv = await call(engine, 'events.create', { type: 'paused', data: {} });
    const pausedId = pausedEv.deliveries![0]!.id;
    await waitFor(async () => (await call(engine, 'deliveries.get', { id: pausedId })).attemptCount === 1);
    await call(engine, 'endpoints.disable', { id: paused.id });
    const downEv = await call(engine, 'events.create', { type: 'down', data: {} });
    const cancelEv = await call(engine, 'events.create', { type: 'down', data: { c: 1 } });
    // cancelled while it waits for its retry (a day away)
    const cancelId = cancelEv.deliveries![0]!.id;
    await waitFor(async () => (await call(engine, 'deliveries.get', { id: cancelId })).attemptCount === 1);
    await call(engine, 'deliveries.cancel', { id: cancelId });
    const lonely = await call(engine, 'events.create', { type: 'nobody.listens', data: {} });

    await waitFor(
      async () => (await call(engine, 'deliveries.get', { id: okEv.deliveries![0]!.id })).status === 'succeeded',
    );
    await waitFor(
      async () => (await call(engine, 'deliveries.get', { id: downEv.deliveries![0]!.id })).attemptCount === 1,
    );
    expect((await call(engine, 'deliveries.get', { id: pausedEv.deliveries![0]!.id })).status).toBe('paused');

    clock.advance(2 * 86_400_000);
    await waitFor(async () => (await call(engine, 'events.list', {})).data.length === 2);

    const left = (await call(engine, 'deliveries.list', { limit: 500 })).data;
    const byId = new Map(left.map((d) => [d.id, d.status]));
    expect(byId.has(okEv.deliveries![0]!.id)).toBe(false);
    expect(byId.has(cancelEv.deliveries![0]!.id)).toBe(false);
    expect(byId.has(failEv.deliveries![0]!.id)).toBe(false);
    expect(['pending', 'sending']).toContain(byId.get(downEv.deliveries![0]!.id));
    expect(byId.get(pausedEv.deliveries![0]!.id)).toBe('paused');
    const events = (await call(engine, 'events.list', {})).data.map((e) => e.id);
    expect(events.sort()).toEqual([downEv.id, pausedEv.id].sort());
    expect(events).not.toContain(lonely.id); // no deliveries at all, and old
    await expect(call(engine, 'deliveries.get', { id: okEv.deliveries![0]!.id })).rejects.toMatchObject({
      code: 'not_found',
    });

    await engine.stop();
    const db = new Database(engine.dbPath, { readonly: true });
    const orphans = db
      .prepare('SELECT COUNT(*) AS n FROM attempts WHERE delivery_id NOT IN (SELECT id FROM deliveries)')
      .get();
    db.close();
    expect(orphans).toEqual({ n: 0 });
  });
});
