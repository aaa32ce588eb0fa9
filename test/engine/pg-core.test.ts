// The engine core on PostgreSQL (store/pg/engine-core.ts), two of them on one database standing for two processes:
// an endpoint created in one is known to the other (the relay refreshes its cache), events fired in either are each
// delivered once, and each process's topic bus hears the deliveries the other one made.
import { afterEach, describe, expect, it } from 'vitest';
import { PgEndpointControl } from '../../src/main/engine/store/pg/endpoint-control';
import { type PgCore, type PgCoreOptions, startPgCore } from '../../src/main/engine/store/pg/engine-core';
import { EndpointCreateInput, EndpointUpdateInput, ReplayMissingInput, SettingsPatch } from '../../src/shared';
import { createTestDatabase, pgClusterPerFile } from '../support/pg-cluster';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

const cluster = pgClusterPerFile();

const cores: PgCore[] = [];
const receivers: TestReceiver[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.stop();
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

/** Two engine cores ("processes" A and B) on one fresh database, each with its own options; stopped after the test. */
async function twoProcesses(
  optsA: Partial<PgCoreOptions> = {},
  optsB: Partial<PgCoreOptions> = {},
): Promise<{ a: PgCore; b: PgCore }> {
  const url = await createTestDatabase(cluster.url);
  const a = await startPgCore({ ...optsA, databaseUrl: url });
  cores.push(a);
  const b = await startPgCore({ ...optsB, databaseUrl: url });
  cores.push(b);
  return { a, b };
}

/** A receiver on 127.0.0.1, stopped after the test. */
async function receiverFor(opts?: Parameters<typeof startTestReceiver>[0]): Promise<TestReceiver> {
  const r = await startTestReceiver(opts);
  receivers.push(r);
  return r;
}

describe('the engine core on PostgreSQL, two processes on one database', () => {
  it('shares endpoints, delivers every event once, and each hears the other’s deliveries', async () => {
    const receiver = await receiverFor();
    const { a, b } = await twoProcesses({ perEndpointConcurrency: 4 }, { perEndpointConcurrency: 4 });

    const ep = await a.endpoints.create(EndpointCreateInput.parse({ url: `${receiver.url}/hook` }));
    a.emit('endpoint.updated', { id: ep.id });
    await waitFor(() => b.endpoints.target(ep.id) !== null, { message: 'B learns of the endpoint from A' });

    const heardByB = new Set<string>();
    b.on('delivery.updated', (d) => {
      if (d.status === 'succeeded') heardByB.add(d.id);
    });
    const fired = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).fire({ type: 'order.created', data: { n: i } })),
    );
    await waitFor(() => receiver.requests.length >= 40, { timeoutMs: 20_000 });
    const ids = receiver.requests.map((r) => JSON.parse(r.body).id as string);
    expect(new Set(ids).size).toBe(40);
    expect(new Set(ids)).toEqual(new Set(fired.map((e) => e.id)));
    // B's bus hears every success, its own and those relayed from A
    const deliveryIds = fired.flatMap((e) => e.deliveries?.map((d) => d.id) ?? []);
    await waitFor(() => deliveryIds.every((id) => heardByB.has(id)), { message: 'B hears all 40 deliveries' });
    const { rows } = await a.pool.query(
      "SELECT count(*)::int AS n FROM deliveries WHERE status = 'succeeded' AND endpoint_id = $1",
      [ep.id],
    );
    expect(rows[0]).toEqual({ n: 40 });
  });

  it('refuses an event for an unknown endpoint, alone in its batch', async () => {
    const url = await createTestDatabase(cluster.url);
    const core = await startPgCore({ databaseUrl: url });
    cores.push(core);
    const [bad, good] = await Promise.allSettled([
      core.fire({ type: 'order.created', data: {}, endpointIds: ['ep_missing'] }),
      core.fire({ type: 'order.created', data: {} }),
    ]);
    expect(bad).toMatchObject({ status: 'rejected', reason: { code: 'not_found' } });
    expect(good).toMatchObject({ status: 'fulfilled', value: { type: 'order.created', deliveries: [] } });
  });

  it('matches and sends as another process just made or changed an endpoint, before any notice of it arrives', async () => {
    const receiver = await receiverFor();
    const { a, b } = await twoProcesses();
    // made through A's store, with no endpoint.updated emitted: B hears nothing of it but the database
    const ep = await a.endpoints.create(
      EndpointCreateInput.parse({ url: `${receiver.url}/hook`, eventTypes: ['order.*'] }),
    );
    const first = await b.fire({ type: 'order.created', data: {} });
    expect(first.deliveries?.map((d) => d.endpointId)).toEqual([ep.id]);
    const named = await b.fire({ type: 'order.created', data: {}, endpointIds: [ep.id] });
    expect(named.deliveries?.map((d) => d.endpointId)).toEqual([ep.id]);
    // a change of its filters and a manual disable reach B's very next event as well
    await a.endpoints.update(EndpointUpdateInput.parse({ id: ep.id, eventTypes: ['invoice.*'] }));
    expect((await b.fire({ type: 'order.created', data: {} })).deliveries).toEqual([]);
    expect((await b.fire({ type: 'invoice.paid', data: {} })).deliveries?.map((d) => d.endpointId)).toEqual([ep.id]);
    // (the three sent before it is disabled, so that none of them is held back by the disable)
    await waitFor(() => receiver.requests.filter((r) => r.path === '/hook').length === 3);
    await a.endpoints.markDisabled(ep.id, 'by hand', 'manual', Date.now());
    expect((await b.fire({ type: 'invoice.paid', data: {} })).deliveries).toEqual([]);
    // enabled again with a new URL: B's next event is sent there, not to the old one
    await a.pool.query('UPDATE endpoints SET enabled = 1, disabled_by = NULL, disabled_reason = NULL WHERE id = $1', [
      ep.id,
    ]);
    await a.endpoints.update(EndpointUpdateInput.parse({ id: ep.id, url: `${receiver.url}/v2` }));
    await b.fire({ type: 'invoice.paid', data: {} });
    await waitFor(() => receiver.requests.some((r) => r.path === '/v2'), {
      message: 'the attempt goes to the new URL',
    });
    expect(receiver.requests.map((r) => r.path).sort()).toEqual(['/hook', '/hook', '/hook', '/v2']);
    // what the engine does not act on (the failure counter, timestamps) leaves the counter alone: no reload for it
    const epoch = async () => (await a.pool.query('SELECT n::int AS n FROM endpoint_epoch')).rows[0].n as number;
    const before = await epoch();
    await a.pool.query('UPDATE endpoints SET consecutive_failures = 3, updated_at = updated_at + 1 WHERE id = $1', [
      ep.id,
    ]);
    expect(await epoch()).toBe(before);
    // an endpoint's own retry policy is acted on (a new delivery's attempts): its change reaches B's next event too
    const retry = { initialDelayMs: 10, multiplier: 1, maxDelayMs: 10, maxAttempts: 5, jitter: 0 };
    await a.endpoints.update(EndpointUpdateInput.parse({ id: ep.id, retry }));
    expect(await epoch()).toBeGreaterThan(before);
    const own = await b.fire({ type: 'invoice.paid', data: {} });
    const stored = await a.pool.query('SELECT max_attempts FROM deliveries WHERE id = $1', [own.deliveries?.[0]?.id]);
    expect(stored.rows[0]?.max_attempts).toBe(5);
  });

  it('sends a replay for an endpoint another process made a moment ago, before any notice of it', async () => {
    const receiver = await receiverFor();
    const { a, b } = await twoProcesses();
    // fired before the endpoint exists: nothing to send it to
    expect((await a.fire({ type: 'order.created', data: { n: 1 } })).deliveries).toEqual([]);
    // made through B's store, no endpoint.updated emitted: A hears nothing of it but the database
    const ep = await b.endpoints.create(
      EndpointCreateInput.parse({ url: `${receiver.url}/late`, eventTypes: ['order.*'] }),
    );
    // A's own control replays it, as A's API would, and wakes A's dispatcher for it
    const control = new PgEndpointControl({
      pool: a.pool,
      store: a.endpoints,
      clock: a.clock,
      emit: a.emit,
      wake: (id) => a.dispatcher.wake(id),
      maxAttempts: () => a.settings.get().retry.maxAttempts,
    });
    const since = new Date(Date.now() - 60_000).toISOString();
    expect(await control.replayMissing(ReplayMissingInput.parse({ id: ep.id, since }))).toMatchObject({ events: 1 });
    await waitFor(() => receiver.requests.some((r) => r.path === '/late'), {
      message: "A's dispatcher sends the replayed delivery (it knew the endpoint when woken)",
    });
  });

  it('claims for an endpoint another process made a moment ago when woken for it, before any notice of it', async () => {
    const receiver = await receiverFor();
    // B writes but never sends (its dispatcher is not started) and announces nothing: A hears only the database
    const { a, b } = await twoProcesses({}, { dispatch: false });
    const ep = await b.endpoints.create(EndpointCreateInput.parse({ url: `${receiver.url}/made-by-b` }));
    const fired = await b.fire({ type: 'order.created', data: {} });
    expect(fired.deliveries?.map((d) => d.endpointId)).toEqual([ep.id]);
    // what a person's retry through A does once its move is committed; A's view does not know the endpoint yet
    a.dispatcher.wake(ep.id);
    // A's next look at storage on its own is a full idle sleep away (30 s): well within 5 s, only the wake-up sends
    await waitFor(() => receiver.requests.some((r) => r.path === '/made-by-b'), {
      timeoutMs: 5_000,
      message: "A's dispatcher claims for the endpoint once its view has loaded it",
    });
  });

  it('keeps a settings change another process made a moment ago when this one changes another setting', async () => {
    const { a, b } = await twoProcesses({ dispatch: false }, { dispatch: false });
    // B's cache has not heard of A's change yet when B writes its own
    await a.settings.update(SettingsPatch.parse({ retry: { maxAttempts: 3 } }));
    expect(b.settings.get().retry.maxAttempts).toBe(8);
    const merged = await b.settings.update(SettingsPatch.parse({ retentionDays: 7 }));
    expect(merged).toMatchObject({ retentionDays: 7, retry: { maxAttempts: 3 } });
    // two at once, one through each: both kept
    await Promise.all([
      a.settings.update(SettingsPatch.parse({ concurrency: 12 })),
      b.settings.update(SettingsPatch.parse({ retry: { maxAttempts: 5 } })),
    ]);
    const { rows } = await a.pool.query("SELECT value FROM settings WHERE key = 'settings'");
    expect(JSON.parse(rows[0].value)).toMatchObject({ concurrency: 12, retentionDays: 7, retry: { maxAttempts: 5 } });
  });

  it('applies a concurrency another process set once its notice arrives: at most that many attempts in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const receiver = await receiverFor({
      respond: () => {
        inFlight++;
        most = Math.max(most, inFlight);
        setTimeout(() => inFlight--, 150);
        return { status: 200, delayMs: 150 };
      },
    });
    const { a, b } = await twoProcesses({ dispatch: false }, { perEndpointConcurrency: 8 });
    await b.endpoints.create(EndpointCreateInput.parse({ url: receiver.url }));
    // set through A, as A's settings.update handler does, and announced to the other processes
    await a.settings.update(SettingsPatch.parse({ concurrency: 2 }));
    a.emit('settings.updated', {});
    await waitFor(() => b.settings.get().concurrency === 2, { message: 'B hears of the new settings' });
    await Promise.all(Array.from({ length: 12 }, (_, i) => b.fire({ type: 'order.created', data: { i } })));
    await waitFor(() => receiver.requests.length === 12, { timeoutMs: 20_000 });
    // without it, B would keep its start-up concurrency (32) and send 8 at once, the endpoint's own limit
    expect(most).toBeLessThanOrEqual(2);
  });
});
