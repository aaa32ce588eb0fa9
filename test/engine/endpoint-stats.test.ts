// endpoints.stats through a real engine: attempts against real receivers, aggregated per endpoint and bucket.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { percentile } from '../../src/main/engine/db/endpoint-stats';
import { call, startEngine } from '../support/engine';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

const receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

describe('percentile', () => {
  it('is the nearest rank of sorted values, null for none', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([7], 95)).toBe(7);
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 95)).toBe(95);
  });
});

describe('endpoints.stats', () => {
  it('aggregates success rate, latency and response codes per endpoint over every bucket of the window', async () => {
    let n = 0;
    const flaky = await startTestReceiver({ respond: () => ({ status: ++n % 3 === 0 ? 503 : 200 }) });
    const gone = await startTestReceiver();
    receivers.push(flaky, gone);
    const engine = await startEngine();
    await call(engine, 'settings.update', {
      retry: { initialDelayMs: 0, maxDelayMs: 0, multiplier: 1, maxAttempts: 1, jitter: 0 },
    });
    const good = await call(engine, 'endpoints.create', { url: flaky.url, eventTypes: ['order.*'] });
    const refused = await call(engine, 'endpoints.create', { url: gone.url, eventTypes: ['user.*'] });
    await gone.stop();
    for (let i = 0; i < 6; i++) await call(engine, 'events.create', { type: 'order.created', data: { i } });
    await call(engine, 'events.create', { type: 'user.created', validate: false, data: {} });
    await waitFor(async () => {
      const list = await call(engine, 'deliveries.list', {});
      return list.data.length === 7 && list.data.every((d) => d.status === 'succeeded' || d.status === 'failed')
        ? true
        : null;
    });

    const hour = await call(engine, 'endpoints.stats', { window: '1h' });
    expect(hour.bucketMs).toBe(60_000);
    expect(Date.parse(hour.to) - Date.parse(hour.from)).toBe(3_600_000);
    const g = hour.endpoints.find((e) => e.endpointId === good.id);
    expect(g).toMatchObject({ attempts: 6, succeeded: 4 });
    expect(g?.successRate).toBeCloseTo(4 / 6);
    expect(g?.codes).toEqual([
      { code: '200', count: 4 },
      { code: '503', count: 2 },
    ]);
    expect(g?.buckets).toHaveLength(60);
    expect(g?.buckets.reduce((s, b) => s + b.attempts, 0)).toBe(6);
    // the newest bucket or two (a minute may turn during the test) hold them all, with their percentiles
    const filled = g?.buckets.filter((b) => b.attempts > 0) ?? [];
    expect(filled.length).toBeGreaterThanOrEqual(1);
    expect(filled.reduce((s, b) => s + b.succeeded, 0)).toBe(4);
    for (const b of filled) expect(b.p95Ms).toBeGreaterThanOrEqual(b.p50Ms ?? Number.POSITIVE_INFINITY);
    expect(g?.buckets.at(-1)?.attempts).toBeGreaterThan(0);
    expect(g?.buckets[0]).toEqual({ t: Date.parse(hour.from), attempts: 0, succeeded: 0, p50Ms: null, p95Ms: null });
    const r = hour.endpoints.find((e) => e.endpointId === refused.id);
    expect(r).toMatchObject({ attempts: 1, succeeded: 0, successRate: 0, codes: [{ code: 'error', count: 1 }] });

    // one endpoint, another window
    const week = await call(engine, 'endpoints.stats', { window: '7d', endpointId: good.id });
    expect(week.endpoints.map((e) => e.endpointId)).toEqual([good.id]);
    expect(week.endpoints[0]?.buckets).toHaveLength(84);
    expect(week.endpoints[0]?.attempts).toBe(6);
    await expect(call(engine, 'endpoints.stats', { endpointId: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(call(engine, 'endpoints.stats', { window: '2d' as '1h' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it('counts exactly the attempts inside each window, out of a log that spans a week', async () => {
    const engine = await startEngine();
    await call(engine, 'settings.update', {
      retry: { initialDelayMs: 0, maxDelayMs: 0, multiplier: 1, maxAttempts: 1, jitter: 0 },
    });
    const ep = await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/hook' });
    const ev = await call(engine, 'events.create', { type: 'order.created', data: {} });
    const deliveryId = ev.deliveries?.[0]?.id as string;
    await waitFor(async () => ((await call(engine, 'deliveries.get', { id: deliveryId })).attempts.length ? 1 : null));
    // A week of history appended in time order (as the attempt log writes it), through a second connection,
    // in place of the one real attempt (which would come first while being the newest).
    const db = new Database(engine.dbPath);
    db.prepare('DELETE FROM attempts').run();
    const insert = db.prepare(
      `INSERT INTO attempts (delivery_id, endpoint_id, number, started_at, duration_ms, succeeded, request, response,
        error) VALUES (?, ?, ?, ?, 10, 1, '{}', '{"status":204,"headers":{},"body":"","truncated":false}', NULL)`,
    );
    const now = Date.now();
    const ages = [8 * 86_400_000, 6 * 86_400_000, 2 * 86_400_000, 3 * 3_600_000, 30 * 60_000, 5 * 60_000];
    db.transaction(() => {
      // (attempt numbers are unique per delivery)
      for (const [i, age] of ages.entries()) insert.run(deliveryId, ep.id, i + 1, now - age);
    })();
    db.close();
    const count = async (window: '1h' | '24h' | '7d') => {
      const s = await call(engine, 'endpoints.stats', { window, endpointId: ep.id });
      const e = s.endpoints[0];
      return { attempts: e?.attempts, codes: e?.codes.find((c) => c.code === '204')?.count ?? 0 };
    };
    expect(await count('1h')).toEqual({ attempts: 2, codes: 2 });
    expect(await count('24h')).toEqual({ attempts: 3, codes: 3 });
    expect(await count('7d')).toEqual({ attempts: 5, codes: 5 });
  });
});
