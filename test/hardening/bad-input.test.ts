// Bad input: every contract route fuzzed over real HTTP (REST and RPC) with wrong types, huge strings, deep JSON,
// odd unicode and prototype-pollution keys. Never a 5xx, never a crash, and a rejected call writes nothing
// (the database's data_version, seen from another connection, does not move).
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { type RouteDef, RPC_PATH, routes } from '../../src/shared';
import { type ApiUnderTest, type RawRequest, type RawResponse, startApiUnderTest } from './api';
import {
  type GoodValues,
  nestedTypos,
  rawBodies,
  rawQueries,
  restRequest,
  routeInput,
  serialize,
  typoKeys,
} from './fuzz-inputs';

const RUNS_PER_TRANSPORT = 25; // REST + RPC: ~50 per route

/** The fields of a route's input (every input is a zod object, refinements included). */
const objectShape = (schema: z.ZodType): Record<string, z.ZodType> | null =>
  (schema as unknown as { shape?: Record<string, z.ZodType> }).shape ?? null;

interface Seeded {
  api: ApiUnderTest;
  /** valid values by field name, `id` being a real one of the route's kind */
  good: GoodValues;
  /** PRAGMA data_version from a second connection: it moves when anyone else commits */
  version(): number;
  /**
   * Indexes what accepted calls queued for search (a search catches the index up), so that SearchIndex's background
   * commit never lands during a later, rejected call and reads as its write.
   */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** A fresh server per route with one of everything, so ids in the fuzz can be real. */
async function seeded(routeName: string): Promise<Seeded> {
  // No dispatcher: the only writes are the ones the calls under test make.
  const api = await startApiUnderTest({ dispatch: false });
  const ep = (await api.json('POST', '/endpoints', { url: 'http://127.0.0.1:9/fuzz' })).body as { id: string };
  await api.json('POST', '/event-types', { name: 'fuzz.type' });
  const ev = (await api.json('POST', '/events', { type: 'fuzz.event', data: { n: 1 } })).body as {
    id: string;
    deliveries: { id: string }[];
  };
  // A search indexes what the seed wrote (SearchIndex would otherwise do it in the background, mid-fuzz, and its
  // commit would read as a write by a rejected call).
  await api.json('GET', '/events?q=seed');
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
    source: '{"openapi":"3.1.0","info":{"title":"fuzz","version":"1"},"webhooks":{}}',
  };
  const ids: Record<string, string | undefined> = { endpoints: ep.id, events: ev.id, deliveries: ev.deliveries[0]?.id };
  good.id = ids[routeName.split('.')[0] as string] ?? 'no-such-id';
  const reader = new Database(api.dbPath, { readonly: true });
  return {
    api,
    good,
    version: () => reader.pragma('data_version', { simple: true }) as number,
    async settle() {
      await api.json('GET', '/events?q=seed');
    },
    async close() {
      reader.close();
      await api.close();
    },
  };
}

function judge(route: string, what: string, req: RawRequest, res: RawResponse, before: number, after: number) {
  const where = `${route} ${what}: ${req.method} ${req.path.slice(0, 120)} -> ${res.status} ${res.text.slice(0, 160)}`;
  // HOOKBENCH_FUZZ_DUMP=1 keeps each 5xx request whole (reports truncate it) for a replay.
  if (res.status >= 500 && process.env.HOOKBENCH_FUZZ_DUMP) {
    writeFileSync(
      join(tmpdir(), `hookbench-fuzz-${route}-${Date.now()}.txt`),
      `${req.method} ${req.path}\n${String(req.body ?? '')}`,
    );
  }
  expect(res.status, where).toBeLessThan(500);
  // 431 (headers or URL too large) comes from Node's HTTP parser before any route runs: no JSON body there.
  if (res.status >= 400 && res.status !== 431) {
    expect(res.body, where).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  }
  if (res.status >= 400) expect(after, `${where} (a rejected call wrote to the database)`).toBe(before);
}

/** fc.assert without shrinking and with a short report: counterexamples can be megabytes of JSON. */
async function check(prop: fc.IAsyncProperty<[Record<string, unknown>]>) {
  const out = await fc.check(prop, { numRuns: RUNS_PER_TRANSPORT, endOnFailure: true });
  if (out.failed) {
    const err = out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance);
    throw new Error(`${err.slice(0, 600)}\n(seed ${out.seed}, path ${out.counterexamplePath})`);
  }
}

const polluted = () => ({}) as Record<string, unknown>;

describe('bad input over HTTP', () => {
  afterAll(() => {
    expect(polluted().polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  for (const def of Object.values(routes) as RouteDef[]) {
    it(`${def.name}: fuzzed inputs are refused cleanly`, async () => {
      const s = await seeded(def.name);
      const good = s.good;
      const shape = objectShape(def.input);
      try {
        const send = async (what: string, req: RawRequest) => {
          const before = s.version();
          const res = await s.api.call(req);
          judge(def.name, what, req, res, before, s.version());
          if (res.status < 400) await s.settle();
        };
        await check(
          fc.asyncProperty(routeInput(shape, good), async (input) => {
            await send('REST', restRequest(def, input));
          }),
        );
        await check(
          fc.asyncProperty(routeInput(shape, good), async (input) => {
            await send('RPC', {
              method: 'POST',
              path: `${RPC_PATH.slice('/api/v1'.length)}/${def.name}`,
              body: serialize(input),
            });
          }),
        );
        // Bodies and queries no parser should choke on.
        const restPath = restRequest(def, { id: good.id, name: good.name }).path.split('?')[0] as string;
        if (def.http.method === 'GET') {
          for (const q of rawQueries)
            await send(`query ${q.slice(0, 40)}`, { method: 'GET', path: `${restPath}?${q}` });
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

describe('unknown keys over HTTP', () => {
  // Inputs are strict: a misspelt key is a 400 naming it (PATCH /settings {"retry":{"maxAttemps":5}} used to
  // answer 200 and change nothing), over REST and RPC, and nothing is written.
  it('every route refuses an unknown key by name and writes nothing', async () => {
    const s = await seeded('endpoints.get');
    try {
      for (const def of Object.values(routes) as RouteDef[]) {
        const shape = objectShape(def.input) ?? {};
        const base: Record<string, unknown> = {};
        for (const key of Object.keys(shape)) if (key in s.good && key !== 'data') base[key] = s.good[key];
        if ('data' in shape) base.data = s.good.data;
        for (const typo of typoKeys) {
          const input = { ...base, [typo]: 1 };
          for (const [how, req] of [
            ['REST', restRequest(def, input)],
            ['RPC', { method: 'POST', path: `/rpc/${def.name}`, body: serialize(input) }],
          ] as const) {
            const before = s.version();
            const res = await s.api.call(req);
            const where = `${def.name} ${how} ${typo}: ${res.status} ${res.text.slice(0, 200)}`;
            expect(res.status, where).toBe(400);
            const issues = (res.body as { error: { issues?: Array<{ path: unknown[]; message: string }> } }).error
              .issues;
            expect(issues, where).toContainEqual(
              expect.objectContaining({ path: [typo], message: `unknown key "${typo}"` }),
            );
            expect(s.version(), `${where} (wrote to the database)`).toBe(before);
          }
        }
      }
      for (const t of nestedTypos) {
        const def = routes[t.route as keyof typeof routes] as RouteDef;
        const before = s.version();
        const res = await s.api.call(restRequest(def, t.input));
        expect(res.status, t.route).toBe(400);
        expect((res.body as { error: { issues: Array<{ path: unknown[] }> } }).error.issues).toContainEqual(
          expect.objectContaining({ path: t.path }),
        );
        expect(s.version()).toBe(before);
      }
      // and the settings are as they were
      expect((await s.api.json('GET', '/settings')).body).toMatchObject({ retry: { maxAttempts: 8 } });
    } finally {
      await s.close();
    }
  }, 120_000);
});
