// Full-text search over event data on PostgreSQL finds what SQLite's FTS5 finds: words split at punctuation, the
// search a phrase whose last word is a prefix. Same events in both stores, same queries, same answers.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_MATCHING, ftsPhrase } from '../../src/main/engine/db/delivery-filter-sql';
import { SearchIndex } from '../../src/main/engine/db/search-index';
import { eventsMatching, hasSearchWords } from '../../src/main/engine/store/pg/event-search';
import { silentLogger } from '../../src/main/engine/types';
import { type PgCluster, startPgCluster } from '../support/pg-cluster';
import { pgStore, type StateStoreUnderTest, sqliteStore } from '../support/state-stores';

let cluster: PgCluster;
let sqlite: ReturnType<typeof sqliteStore>;
let postgres: Awaited<ReturnType<typeof pgStore>>;

const EVENTS: Record<string, unknown> = {
  e1: { email: 'ada@example.com', name: 'Ada Lovelace' },
  e2: { invoice: { id: 'in_123', amount: 1250, currency: 'usd' }, note: 'paid in full' },
  e3: { customer: 'Grace Hopper', email: 'grace@navy.mil' },
  e4: { text: 'example of a phrase: quick brown fox' },
  e5: { text: 'fox brown quick' },
  e6: { n: '12.50', tags: ['alpha-beta', 'gamma_delta'] },
  e7: { text: 'Straße café 東京' },
};

beforeAll(async () => {
  cluster = await startPgCluster();
  sqlite = sqliteStore();
  postgres = await pgStore(cluster.url);
  for (const store of [sqlite, postgres]) {
    for (const [id, data] of Object.entries(EVENTS)) {
      await store.sql("INSERT INTO events (id, type, version, created_at, data) VALUES (?, 'a.b', 'v1', 0, ?)", [
        id,
        JSON.stringify(data),
      ]);
    }
  }
  // SQLite indexes event data off the write (db/search-index.ts, migration 7); a search catches up first, as here
  new SearchIndex(sqlite.db, silentLogger).catchUp();
});
afterAll(async () => {
  await sqlite?.close();
  await postgres?.close();
  await cluster?.stop();
});

async function found(store: StateStoreUnderTest, sql: string, q: string): Promise<string[]> {
  return (await store.sql(sql, [q])).map((r) => r.id as string).sort();
}

describe('event search on PostgreSQL', () => {
  const queries = [
    'ada@example.com',
    'ada@exa',
    'ADA',
    'lovelace',
    'example',
    'exam',
    'in_123',
    'in_12',
    'quick brown',
    'brown quick',
    'quick brown fox',
    'paid in',
    '12.50',
    '12.5',
    'alpha-beta',
    'gamma delta',
    'Grace Hopper',
    'navy',
    '"ada"',
    'café',
    'nothing-here',
  ];

  it.each(queries)('%s: the same events as SQLite', async (q) => {
    expect(hasSearchWords(q)).toBe(ftsPhrase(q) !== null);
    const want = await found(sqlite, EVENTS_MATCHING, ftsPhrase(q)!);
    expect(await found(postgres, eventsMatching('?'), q)).toEqual(want);
  });

  it('the answers are not trivially empty', async () => {
    expect(await found(postgres, eventsMatching('?'), 'example')).toEqual(['e1', 'e4']);
    expect(await found(postgres, eventsMatching('?'), 'ada@exa')).toEqual(['e1']);
  });

  it('punctuation alone has no words to look for', () => {
    expect(hasSearchWords('@.-_"')).toBe(false);
  });

  it('uses the events_search index', async () => {
    const client = await postgres.pool.connect();
    try {
      await client.query('SET enable_seqscan = off');
      const plan = await client.query(`EXPLAIN ${eventsMatching('$1')}`, ['ada']);
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('events_search');
    } finally {
      client.release();
    }
  });

  it('stores an event of 1 MB of distinct words (a tsvector is capped at 1 MB), its beginning searchable', async () => {
    const words = Array.from({ length: 110_000 }, () => randomBytes(4).toString('hex'));
    const data = JSON.stringify({ text: `needle ${words.join(' ')}` });
    expect(data.length).toBeGreaterThan(900_000);
    await postgres.sql("INSERT INTO events (id, type, version, created_at, data) VALUES ('big', 'a.b', 'v1', 0, ?)", [
      data,
    ]);
    expect(await found(postgres, eventsMatching('?'), 'needle')).toEqual(['big']);
  });
});
