// Both stores' read sides on real databases with the same rows (read-seed.ts), for one conformance suite: SQLite's
// DeliveryStore and EventReads on a temp file migrated by the engine, PostgreSQL's PgDeliveryReads and PgEventReads
// on a fresh database of a private cluster migrated by migratePg. Plain SQL takes `?` placeholders in both
// (PostgreSQL's are numbered here).
import type pg from 'pg';
import { DeliveryStore } from '../../src/main/engine/db/deliveries';
import { EventReads } from '../../src/main/engine/db/event-reads';
import { openDatabase } from '../../src/main/engine/db/open';
import { SearchIndex } from '../../src/main/engine/db/search-index';
import { DeliveryStates } from '../../src/main/engine/delivery/state';
import { PgDeliveryReads } from '../../src/main/engine/store/pg/delivery-reads';
import { PgEventReads } from '../../src/main/engine/store/pg/event-reads';
import { migratePg } from '../../src/main/engine/store/pg/migrate';
import { openPgPool } from '../../src/main/engine/store/pg/pool';
import type { DeliveryReadStore, EventReadStore } from '../../src/main/engine/store/read-ports';
import { silentLogger } from '../../src/main/engine/types';
import { createTestDatabase } from './pg-cluster';
import { seedReadLog } from './read-seed';
import { pgSql, type Row, sqliteSql } from './sql';
import { tempDbPath } from './temp';

export type { Row } from './sql';

export interface ReadStoreUnderTest {
  deliveries: DeliveryReadStore;
  events: EventReadStore;
  /** plain SQL with `?` placeholders; the rows it returns */
  sql(text: string, params?: unknown[]): Promise<Row[]>;
  /** before a search, as the API does: SQLite's payload index takes in every event (PostgreSQL's needs nothing) */
  catchUp(): void;
  close(): Promise<void>;
}

export async function sqliteReads(): Promise<ReadStoreUnderTest> {
  const db = openDatabase(tempDbPath());
  const index = new SearchIndex(db, silentLogger);
  const sql = sqliteSql(db);
  await seedReadLog(sql);
  return {
    deliveries: new DeliveryStore(db, new DeliveryStates(db)),
    events: new EventReads(db),
    sql,
    catchUp: () => index.catchUp(),
    close: async () => {
      db.close();
    },
  };
}

export async function pgReads(clusterUrl: string): Promise<ReadStoreUnderTest & { pool: pg.Pool }> {
  const pool = openPgPool(await createTestDatabase(clusterUrl));
  await migratePg(pool);
  const sql = pgSql(pool);
  await seedReadLog(sql);
  return {
    deliveries: new PgDeliveryReads(pool),
    events: new PgEventReads(pool),
    sql,
    catchUp: () => {},
    close: () => pool.end(),
    pool,
  };
}

export { SEED_DELIVERIES, SEED_EVENTS, T0 } from './read-seed';
