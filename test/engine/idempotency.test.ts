import { describe, expect, it } from 'vitest';
import { FakeClock } from '../support/clock';
import { call, startEngine } from '../support/engine';

describe('idempotency keys', () => {
  it('same key + same body returns the first response and creates nothing', async () => {
    const engine = await startEngine({ dispatch: false });
    await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/' });
    const input = { type: 'invoice.paid', validate: false, data: { object: { id: 'inv_1' } }, idempotencyKey: 'k-1' };
    const first = await call(engine, 'events.create', input);
    const created: unknown[] = [];
    engine.on('event.created', (p) => created.push(p));
    const second = await call(engine, 'events.create', input);
    expect(second).toEqual(first);
    expect(created).toEqual([]);
    expect((await call(engine, 'events.list', {})).data).toHaveLength(1);
    expect((await call(engine, 'deliveries.list', {})).data).toHaveLength(1);
  });

  it('holds a key to the content: object keys and the chosen endpoints in any order are the same request', async () => {
    const engine = await startEngine({ dispatch: false });
    const a = await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/a' });
    const b = await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/b' });
    const first = await call(engine, 'events.create', {
      type: 'a.b',
      data: { x: 1, nested: { p: [1, { r: 2, q: 1 }], o: null } },
      endpointIds: [a.id, b.id],
      idempotencyKey: 'k',
    });
    const again = await call(engine, 'events.create', {
      type: 'a.b',
      data: { nested: { o: null, p: [1, { q: 1, r: 2 }] }, x: 1 },
      endpointIds: [b.id, a.id, b.id],
      idempotencyKey: 'k',
    });
    expect(again).toEqual(first);
    // an array's order is content
    await expect(
      call(engine, 'events.create', {
        type: 'a.b',
        data: { x: 1, nested: { p: [{ r: 2, q: 1 }, 1], o: null } },
        endpointIds: [a.id, b.id],
        idempotencyKey: 'k',
      }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect((await call(engine, 'events.list', {})).data).toHaveLength(1);
  });

  it('same key + different body is a conflict; other keys are independent', async () => {
    const engine = await startEngine({ dispatch: false });
    await call(engine, 'events.create', { type: 'a.b', data: { n: 1 }, idempotencyKey: 'k' });
    await expect(
      call(engine, 'events.create', { type: 'a.b', data: { n: 2 }, idempotencyKey: 'k' }),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(
      call(engine, 'events.create', { type: 'a.c', data: { n: 1 }, idempotencyKey: 'k' }),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    await call(engine, 'events.create', { type: 'a.b', data: { n: 2 }, idempotencyKey: 'other' });
    expect((await call(engine, 'events.list', {})).data).toHaveLength(2);
  });

  it('a key is forgotten after 24 hours', async () => {
    const clock = new FakeClock();
    const engine = await startEngine({ dispatch: false, clock });
    const a = await call(engine, 'events.create', { type: 'a.b', data: 1, idempotencyKey: 'day' });
    clock.advance(24 * 3600 * 1000 + 1);
    const b = await call(engine, 'events.create', { type: 'a.b', data: 2, idempotencyKey: 'day' });
    expect(b.id).not.toBe(a.id);
  });
});
