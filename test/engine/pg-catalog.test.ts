// The PostgreSQL catalog's own duties, beyond answering as SQLite does (catalog-inbox-conformance.test.ts): names
// list by code point whatever the database's collation, and each committed write is told to other processes on
// CATALOG_CHANNEL, so their in-memory schemas (schemaOf) can load() again.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_CHANNEL, PgEventTypeStore } from '../../src/main/engine/store/pg/event-types';
import { migratePg } from '../../src/main/engine/store/pg/migrate';
import { openPgPool } from '../../src/main/engine/store/pg/pool';
import {
  type CatalogInboxUnderTest,
  catalogClock,
  createIcuDatabase,
  pgCatalogInbox,
} from '../support/catalog-inbox-stores';
import { type PgCluster, startPgCluster } from '../support/pg-cluster';

let cluster: PgCluster;
let postgres: CatalogInboxUnderTest & { url: string; pool: pg.Pool };

beforeAll(async () => {
  cluster = await startPgCluster();
  postgres = await pgCatalogInbox(
    cluster.url,
    catalogClock(() => 1_700_000_000_000),
  );
}, 120_000);
afterAll(async () => {
  await postgres?.close();
  await cluster?.stop();
});

describe('PgEventTypeStore', () => {
  it('orders names by code point on PostgreSQL whatever the database collation', async () => {
    const pool = openPgPool(await createIcuDatabase(cluster.url));
    try {
      await migratePg(pool);
      const store = new PgEventTypeStore(pool);
      const names = ['alpha.x', 'a.b', 'Zeta.x', '_under', 'a-b'];
      for (const name of names) await store.create({ name, description: '', schema: null, example: '{}' }, 0);
      // the database's own order differs, so the store's COLLATE "C" is what this checks
      const natural = await pool.query<{ name: string }>(
        'SELECT name FROM event_types WHERE built_in = 0 ORDER BY name',
      );
      expect(natural.rows.map((r) => r.name)).not.toEqual(['Zeta.x', '_under', 'a-b', 'a.b', 'alpha.x']);
      const listed = (await store.list()).filter((t) => t.built_in === 0).map((t) => t.name);
      expect(listed).toEqual(['Zeta.x', '_under', 'a-b', 'a.b', 'alpha.x']);
      expect(listed).toEqual([...names].sort());
    } finally {
      await pool.end();
    }
  });

  it('tells other processes of each catalog write on PostgreSQL (NOTIFY at commit, the type as payload)', async () => {
    const listener = new pg.Client({ connectionString: postgres.url });
    await listener.connect();
    try {
      const heard: string[] = [];
      listener.on('notification', (n) => {
        if (n.channel === CATALOG_CHANNEL) heard.push(n.payload ?? '');
      });
      await listener.query(`LISTEN ${CATALOG_CHANNEL}`);
      await postgres.call('eventTypes.create', { name: 'told.created', example: {} });
      await postgres.call('eventTypes.update', { name: 'told.created', description: 'now' });
      await postgres.call('eventTypes.delete', { name: 'told.created' });
      // a refused write commits nothing, so it tells nothing: the next one told is the write after it
      await postgres.call('eventTypes.delete', { name: 'invoice.paid' }).catch(() => {});
      await postgres.call('eventTypes.update', { name: 'user.created', description: 'last' });
      for (let i = 0; i < 250 && heard.length < 4; i++) await new Promise((r) => setTimeout(r, 20));
      expect(heard).toEqual(['told.created', 'told.created', 'told.created', 'user.created']);
    } finally {
      await listener.end();
    }
  });

  it('answers schemaOf from memory: refused before load(), another process seen after refresh', async () => {
    const mine = new PgEventTypeStore(postgres.pool);
    expect(() => mine.schemaOf('invoice.paid')).toThrow(/before load\(\)/);
    await mine.load();
    expect(mine.schemaOf('invoice.paid')).toContain('"object"');
    const schema = JSON.stringify({ type: 'object' });
    await postgres.eventTypes.create({ name: 'other.process', description: '', schema, example: '{}' }, 1);
    expect(mine.schemaOf('other.process')).toBeNull();
    await mine.refresh('other.process');
    expect(mine.schemaOf('other.process')).toBe(schema);
    await postgres.eventTypes.delete('other.process');
    await mine.refresh('some.other');
    expect(mine.schemaOf('other.process')).toBe(schema);
    await mine.refresh();
    expect(mine.schemaOf('other.process')).toBeNull();
  });

  it('keeps a write made while an older load() was reading', async () => {
    // the load's answer is held back until the write has committed and been remembered
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const pool = postgres.pool;
    const slow = new Proxy(pool, {
      get(target, key) {
        if (key === 'query') {
          return async (text: string, values?: unknown[]) => {
            const result = await target.query(text, values);
            if (text.startsWith('SELECT name, schema FROM event_types')) await held;
            return result;
          };
        }
        const value = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const store = new PgEventTypeStore(slow);
    const loading = store.load();
    const schema = JSON.stringify({ type: 'string' });
    await store.create({ name: 'raced.load', description: '', schema, example: '"x"' }, 1);
    release();
    await loading;
    expect(store.schemaOf('raced.load')).toBe(schema);
    await store.delete('raced.load');
  });
});
