// endpoints.stats on both stores: SQLite's createEndpointStats and PostgreSQL's PgEndpointStats read the same
// attempts (a week of history, out-of-order overlaps, responses of both layouts, refused connections) and give the
// same answer for every window, for all endpoints and for one; the key figures are also checked absolutely.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEndpointStats } from '../../src/main/engine/db/endpoint-stats';
import type { EndpointStatsPort } from '../../src/main/engine/store/control-ports';
import { PgEndpointStats } from '../../src/main/engine/store/pg/endpoint-stats';
import type { EndpointStatsOutput } from '../../src/shared';
import { type PgCluster, startPgCluster } from '../support/pg-cluster';
import { pgStore, type StateStoreUnderTest, sqliteStore } from '../support/state-stores';

const NOW = Date.parse('2026-03-01T12:34:56.000Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** [endpoint, age (ms before NOW), duration, succeeded, response]: appended in this order (ids follow it) */
const ATTEMPTS: Array<[string, number, number, number, string | null]> = [
  ['ep1', 8 * DAY, 10, 1, '{"status":200,"headers":{},"body":"","truncated":false}'], // before every window
  ['ep1', 6 * DAY, 20, 1, '{"status":200,"headers":{},"body":"","truncated":false}'],
  ['ep2', 2 * DAY, 30, 0, null], // refused: no response
  ['ep1', 3 * HOUR, 40, 0, '{"status":503,"headers":{},"body":"down","truncated":false}'],
  ['ep2', 50 * MIN, 50.25, 1, '{"headers":{"x":"1"},"status":202,"body":""}'], // another layout: parsed whole
  // started before the previous row (it overlapped a slower attempt): still counted in its bucket
  ['ep1', 55 * MIN, 60, 1, '{"status":204,"headers":{},"body":"","truncated":false}'],
  ['ep1', 5 * MIN, 70, 1, '{"status":204,"headers":{},"body":"","truncated":false}'],
  ['ep1', 1 * MIN, 80, 0, '{"status":500,"headers":{},"body":"","truncated":false}'],
];

async function seed(s: StateStoreUnderTest): Promise<void> {
  await s.seed(['ep1', 'ep2'], ['e1']);
  await s.sql(`INSERT INTO deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, max_attempts,
      next_attempt_at, lease_until, lease_seq, created_at, updated_at)
    VALUES ('d1', 'e1', 'ep1', 'a.b', 'failed', 8, 8, NULL, NULL, 1, 0, 0)`);
  for (const [i, [endpointId, age, duration, succeeded, response]] of ATTEMPTS.entries()) {
    await s.sql(
      `INSERT INTO attempts (delivery_id, endpoint_id, number, started_at, duration_ms, succeeded, request, response,
        error) VALUES ('d1', ?, ?, ?, ?, ?, '{}', ?, ?)`,
      [endpointId, i + 1, NOW - age, duration, succeeded, response, response ? null : 'ECONNREFUSED'],
    );
  }
}

let cluster: PgCluster;
const lite = sqliteStore();
let pg: Awaited<ReturnType<typeof pgStore>>;
let stats: { sqlite: EndpointStatsPort; postgres: EndpointStatsPort };

beforeAll(async () => {
  cluster = await startPgCluster();
  pg = await pgStore(cluster.url);
  await seed(lite);
  await seed(pg);
  stats = { sqlite: createEndpointStats(lite.db), postgres: new PgEndpointStats(pg.pool) };
}, 120_000);
afterAll(async () => {
  await lite.close();
  await pg?.close();
  await cluster?.stop();
});

const CASES = [
  ['1h', undefined],
  ['24h', undefined],
  ['7d', undefined],
  ['1h', 'ep1'],
  ['7d', 'ep2'],
  ['24h', 'no-attempts'],
] as const;

describe('endpoints.stats on SQLite and PostgreSQL', () => {
  it.each(CASES)('window %s, endpoint %s: the same answer', async (window, endpointId) => {
    const expected = await stats.sqlite.query(window, NOW, endpointId);
    expect(await stats.postgres.query(window, NOW, endpointId)).toEqual(expected);
  });

  it('counts the attempts of each window, with codes, rates and percentiles', async () => {
    const of = (out: EndpointStatsOutput, id: string) => out.endpoints.find((e) => e.endpointId === id);
    for (const store of [stats.sqlite, stats.postgres]) {
      const hour = await store.query('1h', NOW);
      expect(hour.bucketMs).toBe(MIN);
      expect(of(hour, 'ep1')).toMatchObject({ attempts: 3, succeeded: 2, p50Ms: 70, p95Ms: 80 });
      expect(of(hour, 'ep1')?.codes).toEqual([
        { code: '204', count: 2 },
        { code: '500', count: 1 },
      ]);
      expect(of(hour, 'ep2')).toMatchObject({ attempts: 1, successRate: 1, p50Ms: 50.3 });
      expect(of(hour, 'ep2')?.codes).toEqual([{ code: '202', count: 1 }]);
      const week = await store.query('7d', NOW);
      expect(of(week, 'ep1')?.attempts).toBe(5);
      // ties keep the newest attempt's code first
      expect(of(week, 'ep2')?.codes).toEqual([
        { code: '202', count: 1 },
        { code: 'error', count: 1 },
      ]);
      const none = await store.query('24h', NOW, 'no-attempts');
      expect(none.endpoints).toEqual([expect.objectContaining({ endpointId: 'no-attempts', attempts: 0 })]);
    }
  });
});
