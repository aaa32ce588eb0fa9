// Bad input: every contract route fuzzed over real HTTP (REST and RPC) with wrong types, huge strings, deep JSON,
// odd unicode and prototype-pollution keys. Never a 5xx, never a crash, and a rejected call writes nothing
// (the database's data_version, seen from another connection, does not move); reads never write at all.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { objectShape } from '../../src/main/transports/http/input';
import { type RouteDef, RPC_PATH, routes } from '../../src/shared';
import { type ApiUnderTest, type RawRequest, type RawResponse, startApiUnderTest } from './api';
import { type GoodValues, rawBodies, rawQueries, restRequest, routeInput, serialize } from './fuzz-inputs';

const RUNS_PER_TRANSPORT = 25; // REST + RPC: ~50 per route

/** A fresh server per route with one of everything, so ids in the fuzz can be real. */
async function seeded(): Promise<{ api: ApiUnderTest; good: GoodValues; version: () => number; close(): Promise<void> }> {
  // No dispatcher: the only writes are the ones the calls under test make.
  const api = await startApiUnderTest({ dispatch: false });
  const ep = (await api.json('POST', '/endpoints', { url: 'http://127.0.0.1:9/fuzz' })).body as { id: string };
  await api.json('POST', '/event-types', { name: 'fuzz.type' });
  const ev = (await api.json('POST', '/events', { type: 'fuzz.event', data: { n: 1 } })).body as {
    id: string;
    deliveries: { id: string }[];
  };
  const good: GoodValues = {
    endpointId: ep.id,
    eventId: ev.id,
    url: 'http://127.0.0.1:9/fuzz',
    type: 'fuzz.event',
    version: 'v1',
    data: { n: 1 },
    scheme: 'standard',
    eventTypes: ['*'],
    limit: 10,
    status: 'pending',
    name: 'fuzz.type',
  };
  const ids = { endpoints: ep.id, events: ev.id, deliveries: ev.deliveries[0]?.id };
  const reader = new Database(api.dbPath, { readonly: true });
  return {
    api,
    good: (route?: string) => ({ ...good, id: ids[route?.split('.')[0] as keyof typeof ids] ?? 'no-such-id' }),
    version: () => reader.pragma('data_version', { simple: true }) as number,
    async close() {
      reader.close();
      await api.close();
    },
  } as never;
}

function judge(route: string, what: string, req: RawRequest, res: RawResponse, before: number, after: number) {
  const where = `${route} ${what}: ${req.method} ${req.path.slice(0, 120)} -> ${res.status} ${res.text.slice(0, 160)}`;
  expect(res.status, where).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.body, where).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    expect(after, `${where} (a rejected call wrote to the database)`).toBe(before);
  }
  if (req.method === 'GET') expect(after, `${where} (a read wrote to the database)`).toBe(before);
}

const polluted = () => ({}) as Record<string, unknown>;

describe('bad input over HTTP', () => {
  afterAll(() => {
    expect(polluted().polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  for (const def of Object.values(routes) as RouteDef[]) {
    it(`${def.name}: fuzzed inputs are refused cleanly`, async () => {
      const s = await seeded();
      const good = (s.good as unknown as (r: string) => GoodValues)(def.name);
      const shape = objectShape(def.input);
      try {
        const send = async (what: string, req: RawRequest) => {
          const before = s.version();
          const res = await s.api.call(req);
          judge(def.name, what, req, res, before, s.version());
        };
        await fc.assert(
          fc.asyncProperty(routeInput(shape, good), async (input) => {
            await send('REST', restRequest(def, input));
          }),
          { numRuns: RUNS_PER_TRANSPORT },
        );
        await fc.assert(
          fc.asyncProperty(routeInput(shape, good), async (input) => {
            await send('RPC', { method: 'POST', path: `${RPC_PATH.slice('/api/v1'.length)}/${def.name}`, body: serialize(input) });
          }),
          { numRuns: RUNS_PER_TRANSPORT },
        );
        // Bodies and queries no parser should choke on.
        const restPath = restRequest(def, { id: good.id, name: good.name }).path.split('?')[0] as string;
        if (def.http.method === 'GET') {
          for (const q of rawQueries) await send(`query ${q.slice(0, 40)}`, { method: 'GET', path: `${restPath}?${q}` });
        } else {
          for (const b of rawBodies) {
            const headers = b.contentType ? { 'content-type': b.contentType } : undefined;
            await send(b.why, { method: def.http.method, path: restPath, body: b.body, headers });
            await send(`RPC ${b.why}`, { method: 'POST', path: `/rpc/${def.name}`, body: b.body, headers });
          }
        }
        // Still alive and serving.
        const health = await s.api.json('GET', '/health');
        expect(health.status).toBe(200);
        expect(polluted().polluted).toBeUndefined();
      } finally {
        await s.close();
      }
    }, 60_000);
  }
});
