// A full disk (simulated with a tiny max_page_count) is a storage_full error to the caller; what was accepted
// before stays intact and nothing half-written remains.
import { describe, expect, it } from 'vitest';
import { buildContext } from '../../src/main/engine/build-context';
import { openDatabase } from '../../src/main/engine/db/open';
import { DeliveryStates } from '../../src/main/engine/delivery/state';
import { EventService } from '../../src/main/engine/events/service';
import { EndpointCreateInput, EventInput } from '../../src/shared';
import { tempDbPath } from '../support/temp';

describe('storage full', () => {
  it('refuses the write with storage_full and keeps earlier events', () => {
    const db = openDatabase(tempDbPath());
    const { ctx, store } = buildContext(db, { dbPath: ':unused:' });
    const events = new EventService(ctx, store, new DeliveryStates(db));
    store.create(EndpointCreateInput.parse({ url: 'http://127.0.0.1:9/' }));
    const fire = (data: unknown) => {
      const [result] = events.writeEach([events.accept(EventInput.parse({ type: 'a.b', data }))]);
      if (result instanceof Error) throw result;
      return result?.event as { id: string };
    };
    const first = fire({ small: true });

    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 2}`);
    const big = { blob: 'z'.repeat(600_000) };
    let error: unknown;
    try {
      fire(big);
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: 'storage_full' });
    expect(db.prepare('SELECT id FROM events').all()).toEqual([{ id: first.id }]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM deliveries').get()).toEqual({ n: 1 });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
