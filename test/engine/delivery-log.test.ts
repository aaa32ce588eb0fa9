// The delivery log and event list: filters, keyset pagination, newest first.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../support/clock';
import { call, startEngine } from '../support/engine';

async function seeded() {
  const clock = new FakeClock();
  const engine = await startEngine({ dispatch: false, clock });
  const a = await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/a' });
  const b = await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/b', eventTypes: ['order.*'] });
  const events = [];
  for (let i = 0; i < 12; i++) {
    clock.advance(1_000);
    events.push(
      await call(engine, 'events.create', {
        type: i % 3 === 0 ? 'order.shipped' : 'user.created',
        validate: false,
        data: { i },
      }),
    );
  }
  return { clock, engine, a, b, events };
}

describe('deliveries.list', () => {
  it('pages newest first with a cursor, without gaps or repeats', async () => {
    const { engine } = await seeded();
    const all = (await call(engine, 'deliveries.list', { limit: 500 })).data;
    expect(all).toHaveLength(16);
    const times = all.map((d) => Date.parse(d.createdAt));
    expect([...times].sort((x, y) => y - x)).toEqual(times);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call(engine, 'deliveries.list', { limit: 5, cursor });
      expect(page.data.length).toBeLessThanOrEqual(5);
      seen.push(...page.data.map((d) => d.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all.map((d) => d.id));
  });

  it('filters by endpoint, event, type (exact and prefix), status list, time and id prefix', async () => {
    const { engine, a, b, events } = await seeded();
    expect((await call(engine, 'deliveries.list', { endpointId: b.id })).data).toHaveLength(4);
    expect((await call(engine, 'deliveries.list', { endpointId: a.id })).data).toHaveLength(12);
    expect((await call(engine, 'deliveries.list', { eventId: events[0]!.id })).data).toHaveLength(2);
    expect((await call(engine, 'deliveries.list', { type: 'order.shipped' })).data).toHaveLength(8);
    expect((await call(engine, 'deliveries.list', { type: 'order.*' })).data).toHaveLength(8);
    expect((await call(engine, 'deliveries.list', { type: 'user' })).data).toHaveLength(0);

    const one = events[1]!.deliveries![0]!.id;
    await call(engine, 'deliveries.cancel', { id: one });
    expect((await call(engine, 'deliveries.list', { status: 'cancelled' })).data.map((d) => d.id)).toEqual([one]);
    expect((await call(engine, 'deliveries.list', { status: ['cancelled', 'pending'] })).data).toHaveLength(16);
    expect((await call(engine, 'deliveries.list', { status: ['failed'] })).data).toHaveLength(0);

    const since = events[10]!.createdAt;
    expect((await call(engine, 'deliveries.list', { since })).data).toHaveLength(2);
    expect((await call(engine, 'deliveries.list', { until: events[0]!.createdAt })).data).toHaveLength(2);

    expect((await call(engine, 'deliveries.list', { q: one.slice(0, 8) })).data.map((d) => d.id)).toContain(one);
    expect(
      (await call(engine, 'deliveries.list', { q: events[5]!.id })).data.every((d) => d.eventId === events[5]!.id),
    ).toBe(true);
    expect((await call(engine, 'deliveries.list', { q: '%' })).data).toHaveLength(0);
  });

  it('rejects a forged cursor', async () => {
    const engine = await startEngine({ dispatch: false });
    await expect(call(engine, 'deliveries.list', { cursor: 'garbage!!' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });
});

describe('events', () => {
  it('lists newest first with a cursor and a type filter; get has its deliveries', async () => {
    const { engine, events } = await seeded();
    const p1 = await call(engine, 'events.list', { limit: 7 });
    const p2 = await call(engine, 'events.list', { limit: 7, cursor: p1.nextCursor! });
    expect([...p1.data, ...p2.data].map((e) => e.id)).toEqual([...events].reverse().map((e) => e.id));
    expect(p2.nextCursor).toBeNull();
    expect((await call(engine, 'events.list', { type: 'order.shipped' })).data).toHaveLength(4);
    const got = await call(engine, 'events.get', { id: events[0]!.id });
    expect(got.deliveries).toHaveLength(2);
    expect(got.data).toEqual({ i: 0 });
    await expect(call(engine, 'events.get', { id: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('preview shows the signed requests without storing or sending anything', async () => {
    const engine = await startEngine({ dispatch: false });
    const a = await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/a', headers: { 'X-A': '1' } });
    await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/g', scheme: 'github', eventTypes: ['push'] });
    const p = await call(engine, 'events.preview', { type: 'invoice.paid', data: { x: 1 } });
    expect(p.envelope).toMatchObject({ type: 'invoice.paid', version: 'v1', data: { x: 1 } });
    expect(p.requests).toHaveLength(1);
    expect(p.requests[0]).toMatchObject({ endpointId: a.id, method: 'POST', url: 'http://127.0.0.1:9/a' });
    expect(p.requests[0]!.headers).toMatchObject({
      'x-a': '1',
      'webhook-id': p.envelope.id,
      'content-type': 'application/json',
    });
    expect(JSON.parse(p.requests[0]!.body)).toEqual(p.envelope);
    expect((await call(engine, 'events.list', {})).data).toHaveLength(0);
  });
});
