// The endpoints, settings and system handler modules composed on PostgreSQL ports (as createPgEngine will): a
// PgCore's stores, PgEndpointControl, PgEndpointStats and PgStatus. Called through the contract (callRoute), they
// answer as on SQLite: CRUD and moves of endpoints with their topics, stats, settings applied live with the system
// endpoint following notificationUrl, and the status figures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointHandlers } from '../../src/main/engine/api/endpoints';
import type { HandlerContext } from '../../src/main/engine/api/handler-context';
import { settingsHandlers } from '../../src/main/engine/api/settings';
import { systemHandlers } from '../../src/main/engine/api/system';
import { SYSTEM_ENDPOINT_ID } from '../../src/main/engine/db/endpoints';
import { PgEndpointControl } from '../../src/main/engine/store/pg/endpoint-control';
import { PgEndpointStats } from '../../src/main/engine/store/pg/endpoint-stats';
import { type PgCore, startPgCore } from '../../src/main/engine/store/pg/engine-core';
import { PgStatus } from '../../src/main/engine/store/pg/status';
import { callRoute } from '../../src/main/transports/dispatch';
import type { Handlers } from '../../src/shared';
import { FakeClock } from '../support/clock';
import { createTestDatabase, type PgCluster, startPgCluster } from '../support/pg-cluster';

let cluster: PgCluster;
let core: PgCore;
let handlers: Handlers;
const clock = new FakeClock(Date.parse('2026-03-01T00:00:00.000Z'));
const topics: Array<[string, unknown]> = [];
const wakes: string[] = [];
const concurrency: number[] = [];

beforeAll(async () => {
  cluster = await startPgCluster();
  core = await startPgCore({ databaseUrl: await createTestDatabase(cluster.url), clock, dispatch: false });
  core.onAny((topic, payload) => topics.push([topic, payload]));
  const ctx: HandlerContext = {
    clock,
    log: { ...console, debug() {} },
    emit: core.emit,
    settings: () => core.settings.get(),
  };
  const control = new PgEndpointControl({
    pool: core.pool,
    store: core.endpoints,
    clock,
    emit: core.emit,
    wake: (id) => wakes.push(id),
    maxAttempts: () => core.settings.get().retry.maxAttempts,
  });
  handlers = {
    ...endpointHandlers(ctx, { store: core.endpoints, control, stats: new PgEndpointStats(core.pool) }),
    ...settingsHandlers(ctx, {
      settingsStore: core.settings,
      control,
      applySettings: (s) => concurrency.push(s.concurrency),
    }),
    ...systemHandlers(ctx, {
      status: new PgStatus(core.pool),
      inboxBaseUrl: () => null,
      startedAt: clock.now(),
      isRunning: () => true,
    }),
  } as Handlers;
}, 120_000);
afterAll(async () => {
  await core?.stop();
  await cluster?.stop();
});

// biome-ignore lint/suspicious/noExplicitAny: answers are checked against the contract by callRoute already
const call = (name: string, input: unknown = {}): Promise<any> => callRoute(handlers, name, input);

describe('endpoints, settings and system handlers on PostgreSQL', () => {
  it('creates, updates, disables, enables and deletes endpoints, with their topics and the status figures', async () => {
    const ep = await call('endpoints.create', { url: 'https://example.com/hook', eventTypes: ['order.*'] });
    expect(ep.secret).toMatch(/^whsec_/);
    clock.advance(1_000);
    expect((await call('endpoints.update', { id: ep.id, description: 'orders' })).description).toBe('orders');
    expect((await call('endpoints.list')).data.map((e: { id: string }) => e.id)).toEqual([ep.id]);

    await core.fire({ type: 'order.created', data: { n: 1 } }); // one pending delivery (nothing dispatches)
    topics.length = 0;
    const disabled = await call('endpoints.disable', { id: ep.id, reason: 'maintenance' });
    expect(disabled).toMatchObject({ enabled: false, disabledReason: 'maintenance' });
    expect(topics.map(([t]) => t)).toEqual(['delivery.updated', 'endpoint.updated', 'endpoint.disabled']);
    expect((await call('system.status')).queue).toEqual({ pending: 0, sending: 0, paused: 1, failed: 0 });
    expect((await call('system.status')).endpoints).toEqual({ total: 1, disabled: 1, failing: 0 });

    expect((await call('endpoints.enable', { id: ep.id })).enabled).toBe(true);
    expect(wakes).toEqual([ep.id]);
    expect((await call('system.status')).queue.pending).toBe(1);

    const stats = await call('endpoints.stats', { window: '1h', endpointId: ep.id });
    expect(stats.endpoints).toEqual([expect.objectContaining({ endpointId: ep.id, attempts: 0 })]);
    await expect(call('endpoints.stats', { endpointId: 'nope' })).rejects.toMatchObject({ code: 'not_found' });

    expect(await call('endpoints.delete', { id: ep.id })).toEqual({ id: ep.id, deleted: true });
    await expect(call('endpoints.get', { id: ep.id })).rejects.toMatchObject({ code: 'not_found' });
    expect((await call('system.status')).queue.pending).toBe(0);
    expect((await call('system.status')).endpoints.total).toBe(0);
  });

  it('applies settings live and points the system endpoint at notificationUrl; a bad patch changes nothing', async () => {
    const secret = (await call('settings.notificationSecret')).secret;
    expect(secret).toMatch(/^whsec_/);
    const next = await call('settings.update', { concurrency: 3, notificationUrl: 'https://ops.example.com/hook' });
    expect(next).toMatchObject({ concurrency: 3, notificationUrl: 'https://ops.example.com/hook' });
    expect(concurrency.at(-1)).toBe(3);
    expect(core.endpoints.target(SYSTEM_ENDPOINT_ID)?.url).toBe('https://ops.example.com/hook');
    const system = await core.pool.query('SELECT enabled FROM endpoints WHERE id = $1', [SYSTEM_ENDPOINT_ID]);
    expect(system.rows[0]).toEqual({ enabled: 1 });

    await call('settings.update', { notificationUrl: null });
    const cleared = await core.pool.query('SELECT enabled FROM endpoints WHERE id = $1', [SYSTEM_ENDPOINT_ID]);
    expect(cleared.rows[0]).toEqual({ enabled: 0 });

    await expect(call('settings.update', { concurrency: -1 })).rejects.toMatchObject({ code: 'invalid_input' });
    expect((await call('settings.get')).concurrency).toBe(3);
    const rotated = (await call('settings.rotateNotificationSecret')).secret;
    expect(rotated).not.toBe(secret);
    expect((await call('settings.notificationSecret')).secret).toBe(rotated);
  });
});
