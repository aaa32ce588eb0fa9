// Storage shape: the queue's statements walk the small partial indexes (flat from 10k to 1M stored deliveries),
// and the log's list pages walk an index in order, seeking to the cursor.
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DeliveryStore } from '../../src/main/engine/db/deliveries';
import { EventReads } from '../../src/main/engine/db/event-reads';
import { openDatabase } from '../../src/main/engine/db/open';
import { encodeCursor } from '../../src/main/engine/db/util';
import { DeliveryQueue } from '../../src/main/engine/delivery/queue';
import { DeliveryStates } from '../../src/main/engine/delivery/state';
import { tempDbPath } from '../support/temp';

function planOf(db: Database.Database, sql: string, ...args: unknown[]): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[])
    .map((r) => r.detail)
    .join(' | ');
}

describe('query plans', () => {
  const db = openDatabase(tempDbPath());
  // the statements as the state machine and the queue prepared them (private by design; read here to explain them)
  const stmts = (o: object) => (o as unknown as { q: Record<string, Database.Statement> }).q;
  const q = { ...stmts(new DeliveryStates(db)), ...stmts(new DeliveryQueue(db)) };
  const explain = (name: string, ...args: unknown[]) => planOf(db, q[name]!.source, ...args);

  it('claims, recovers and schedules from the partial indexes only', () => {
    // one endpoint's due deliveries, in due order, straight from the per-endpoint pending index
    expect(explain('claim', 1, 1, 'e', 1, 32)).toMatch(
      /SEARCH deliveries USING (COVERING )?INDEX deliveries_pending \(endpoint_id=\? AND next_attempt_at<\?\)/,
    );
    expect(explain('expire', 1, 1, '[]')).toMatch(/INDEX deliveries_leased/);
    expect(explain('earliestLease')).toMatch(/INDEX deliveries_leased/);
    expect(explain('nextDue', 'e')).toMatch(/INDEX deliveries_pending/);
    expect(explain('dueEndpoints')).toMatch(/INDEX deliveries_pending/);
    // the events of a claimed batch that were not in memory: looked up by key, never scanned
    expect(explain('events', '[]')).toMatch(/SEARCH e USING INDEX sqlite_autoindex_events_1 \(id=\?\)/);
    const args: Record<string, unknown[]> = { claim: [1, 1, 'e', 1, 32], expire: [1, 1, '[]'], nextDue: ['e'] };
    for (const name of ['claim', 'expire', 'earliestLease', 'nextDue'])
      expect(explain(name, ...(args[name] ?? []))).not.toMatch(/SCAN deliveries(?! USING)/);
  });

  it('pages the delivery and event logs along an index, seeking to the cursor, without sorting', () => {
    // the SQL the log really runs: captured from its prepare calls, explained with its own arguments
    const seen: string[] = [];
    const prepare = db.prepare.bind(db);
    const spy = Object.assign(Object.create(db) as Database.Database, {
      prepare: (sql: string) => {
        seen.push(sql);
        return prepare(sql);
      },
    });
    const store = new DeliveryStore(spy, new DeliveryStates(db));
    const cursor = encodeCursor(1_700_000_000_000, 'x');
    const plans: Record<string, string> = {};
    const shapes = {
      first: {},
      deep: { cursor },
      endpointFailed: { endpointId: 'e', status: 'failed' as const, cursor },
      type: { type: 't', cursor },
      endpoint: { endpointId: 'e', cursor },
    };
    for (const [name, filter] of Object.entries(shapes)) {
      store.list({ limit: 50, ...filter });
      const sql = seen.at(-1) as string;
      plans[name] = planOf(db, sql, ...Array((sql.match(/\?/g) ?? []).length).fill(1));
    }
    expect(plans.first).toMatch(/INDEX deliveries_by_time/);
    expect(plans.deep).toMatch(/SEARCH deliveries USING INDEX deliveries_by_time \(\(created_at,id\)<\(\?,\?\)\)/);
    expect(plans.endpointFailed).toMatch(
      /SEARCH deliveries USING INDEX deliveries_endpoint_held \(endpoint_id=\? AND status=\? AND \(created_at,id\)<\(\?,\?\)\)/,
    );
    expect(plans.type).toMatch(/SEARCH deliveries USING INDEX deliveries_by_type/);
    expect(plans.endpoint).toMatch(
      /SEARCH deliveries USING INDEX deliveries_by_endpoint \(endpoint_id=\? AND \(created_at,id\)<\(\?,\?\)\)/,
    );
    for (const p of Object.values(plans)) expect(p).not.toMatch(/TEMP B-TREE/);
  });

  it('reads the fired types by one seek of events_by_type per type, never scanning the events', () => {
    const types = stmts(new EventReads(db)).types as Database.Statement;
    const plan = planOf(db, types.source, 10);
    expect(plan).toMatch(/SEARCH e USING COVERING INDEX events_by_type \(type>\?\)/);
    expect(plan).not.toMatch(/SCAN (e|events)\b/);
  });
});
