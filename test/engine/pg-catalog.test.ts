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
let postgres: CatalogInboxUnderTest & { url: string };

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
      // a refused write commits nothing, so it tells nothing
      await postgres.call('eventTypes.delete', { name: 'invoice.paid' }).catch(() => {});
      await listener.query('SELECT 1');
      for (let i = 0; i < 50 && heard.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
      expect(heard).toEqual(['told.created', 'told.created', 'told.created']);
    } finally {
      await listener.end();
    }
  });
});
