// The SQLite dispatcher pass (SqliteDispatchStore) writes its new events without a savepoint each, and when one of
// them fails runs the whole pass again with each event isolated. Running it again must not write anything twice:
// the outcomes and claims of the pass land once, the good events land, the bad one is its own error.
import { describe, expect, it } from 'vitest';
import type { AttemptResult } from '../../src/main/engine/delivery/attempt';
import type { PassInput } from '../../src/main/engine/delivery/dispatch-store';
import { EndpointCreateInput, EventInput } from '../../src/shared';
import { sqlitePass } from '../support/sqlite-pass';

function ok(now: number): AttemptResult {
  return {
    startedAt: now,
    durationMs: 2,
    request: { url: 'http://127.0.0.1:9/hook', method: 'POST', headers: { 'webhook-id': 'x' }, body: '{}' },
    response: { status: 200, headers: {}, body: 'ok', truncated: false },
    error: null,
    succeeded: true,
    retryAfterMs: null,
    renderedAs: null,
  };
}

function setup() {
  const { db, clock, endpoints, events, storage } = sqlitePass();
  const endpointId = endpoints.create(EndpointCreateInput.parse({ url: 'http://127.0.0.1:9/a' })).id;
  const accept = (input: unknown) => events.accept(EventInput.parse(input));
  const pass = (p: Partial<PassInput>) =>
    storage.pass({ events: [], outcomes: [], claims: [], now: clock.now(), leaseFor: () => () => null, ...p });
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return { db, clock, endpointId, accept, pass, count };
}

describe('SQLite dispatcher pass', () => {
  it('runs again with each event isolated when one fails, writing its outcomes and claims once', () => {
    const { db, clock, endpointId, accept, pass, count } = setup();
    // a delivery to claim and one to finish in the same pass as the failing event
    const first = pass({ events: [accept({ type: 'a.b', data: { n: 0 }, idempotencyKey: 'k1' })] });
    pass({ events: [accept({ type: 'a.b', data: { n: 1 } })] });
    expect(first.created[0]).not.toBeInstanceOf(Error);
    const claim = { endpointId, limit: 1, leaseUntil: clock.now() + 60_000, timeoutMs: 15_000 };
    const [claimed] = pass({ claims: [claim] }).claimed;
    if (!claimed) throw new Error('nothing claimed');

    const out = pass({
      events: [
        accept({ type: 'a.b', data: { n: 2 } }),
        accept({ type: 'a.b', data: { other: true }, idempotencyKey: 'k1' }), // same key, another body: conflict
        accept({ type: 'a.b', data: { n: 3 } }),
      ],
      outcomes: [{ delivery: claimed, result: ok(clock.now()) }],
      claims: [claim],
    });

    expect(out.created.map((r) => (r instanceof Error ? (r as { code?: string }).code : 'written'))).toEqual([
      'written',
      'conflict',
      'written',
    ]);
    expect(out.claimed).toHaveLength(1);
    expect(out.claimed[0]?.id).not.toBe(claimed.id);
    out.publish();
    expect(count('SELECT COUNT(*) AS n FROM attempts')).toBe(1);
    expect(db.prepare('SELECT status, attempt_count FROM deliveries WHERE id = ?').get(claimed.id)).toEqual({
      status: 'succeeded',
      attempt_count: 1,
    });
    expect(count("SELECT COUNT(*) AS n FROM deliveries WHERE status = 'sending'")).toBe(1);
    expect(count('SELECT COUNT(*) AS n FROM events')).toBe(4);
    expect(count('SELECT COUNT(*) AS n FROM deliveries')).toBe(4);
    // each claim took a new lease once: the rolled-back first run left no trace on the row
    expect(db.prepare('SELECT lease_seq FROM deliveries WHERE id = ?').get(out.claimed[0]?.id)).toEqual({
      lease_seq: 1,
    });
    db.close();
  });

  it('writes a group that fails nowhere in one run, every event written', () => {
    const { db, accept, pass, count } = setup();
    const out = pass({ events: Array.from({ length: 50 }, (_, i) => accept({ type: 'a.b', data: { i } })) });
    expect(out.created.filter((r) => r instanceof Error)).toEqual([]);
    expect(count('SELECT COUNT(*) AS n FROM events')).toBe(50);
    expect(count("SELECT COUNT(*) AS n FROM deliveries WHERE status = 'pending'")).toBe(50);
    db.close();
  });
});
