// Listing one endpoint's deliveries across statuses: newest first, paged by cursor, nothing skipped or repeated
// (the list merges one ordered read per status).
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../support/clock';
import { call, startEngine } from '../support/engine';

describe('deliveries.list by endpoint', () => {
  it('pages every status of an endpoint in time order, the same rows as the unfiltered log', async () => {
    const clock = new FakeClock();
    const engine = await startEngine({ dispatch: false, clock });
    const a = await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/a' });
    const b = await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/b' });
    for (let i = 0; i < 24; i++) {
      // some in the same millisecond (ties broken by id), some apart
      if (i % 3 === 0) clock.advance(5);
      const ev = await call(engine, 'events.create', { type: i % 2 ? 'x.one' : 'x.two', data: { i } });
      const forA = ev.deliveries!.find((d) => d.endpointId === a.id)!;
      if (i % 4 === 1) await call(engine, 'deliveries.cancel', { id: forA.id });
    }
    await call(engine, 'endpoints.disable', { id: b.id }); // b's pending ones become paused
    const all = (await call(engine, 'deliveries.list', { limit: 500 })).data;
    for (const ep of [a, b]) {
      const expected = all.filter((d) => d.endpointId === ep.id).map((d) => d.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof call<'deliveries.list'>>> = await call(engine, 'deliveries.list', {
          endpointId: ep.id,
          limit: 5,
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...page.data.map((d) => d.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(expected);
      const twoStatuses = await call(engine, 'deliveries.list', {
        endpointId: ep.id,
        status: ['cancelled', 'paused'],
        limit: 500,
      });
      expect(twoStatuses.data.map((d) => d.id)).toEqual(
        all.filter((d) => d.endpointId === ep.id && ['cancelled', 'paused'].includes(d.status)).map((d) => d.id),
      );
    }
    expect(new Set(all.map((d) => d.status))).toEqual(new Set(['pending', 'cancelled', 'paused']));
  });
});
