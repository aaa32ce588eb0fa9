// events.create commits events fired in the same turn together: each caller's promise resolves only once its
// event is committed, and one event's error is that event's alone.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { routes } from '../../src/shared';
import { call, startEngine } from '../support/engine';

const parse = (input: unknown) => routes['events.create'].input.parse(input);

describe('events.create group commit', () => {
  it('resolves each of many concurrent fires once its event is committed and visible to other connections', async () => {
    const engine = await startEngine({ dispatch: false });
    await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/' });
    const reader = new Database(engine.dbPath, { readonly: true });
    const seen = reader.prepare('SELECT COUNT(*) AS n FROM deliveries WHERE event_id = ?');
    const visibleAtResolve: boolean[] = [];
    const fires = Array.from({ length: 200 }, (_, i) =>
      (engine.handlers['events.create'](parse({ type: 'a.b', data: { i } })) as Promise<{ id: string }>).then((ev) => {
        visibleAtResolve.push((seen.get(ev.id) as { n: number }).n === 1);
        return ev;
      }),
    );
    const events = await Promise.all(fires);
    reader.close();
    expect(new Set(events.map((e) => e.id)).size).toBe(200);
    expect(visibleAtResolve).toEqual(Array(200).fill(true));
  });

  it('rejects only the event that fails; the others of its group are written', async () => {
    const engine = await startEngine({ dispatch: false });
    await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/' });
    await call(engine, 'events.create', { type: 'a.b', data: { first: true }, idempotencyKey: 'k1' });
    const fire = (input: unknown) => engine.handlers['events.create'](parse(input)) as Promise<{ id: string }>;
    const results = await Promise.allSettled([
      fire({ type: 'a.b', data: { n: 1 } }),
      fire({ type: 'a.b', data: { other: true }, idempotencyKey: 'k1' }), // same key, different body: conflict
      fire({ type: 'a.b', data: { n: 2 }, endpointIds: ['no-such-endpoint'] }), // not found
      fire({ type: 'a.b', data: { n: 3 } }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' });
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'not_found' });
    const list = await call(engine, 'events.list', { limit: 10 });
    expect(list.data.map((e) => e.data)).toEqual([{ n: 3 }, { n: 1 }, { first: true }]);
  });

  it('writes what was accepted before stop() returns', async () => {
    const engine = await startEngine({ dispatch: false });
    await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/' });
    const pending = Array.from({ length: 5 }, (_, i) =>
      engine.handlers['events.create'](parse({ type: 'a.b', data: { i } })),
    );
    await engine.stop();
    expect((await Promise.all(pending)).length).toBe(5);
    const db = new Database(engine.dbPath, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 5 });
    db.close();
  });
});
