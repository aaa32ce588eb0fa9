// Both delivery state stores on real databases, for one conformance suite: SQLite on a temp file migrated by the
// engine's migrations, PostgreSQL on a fresh database of a private cluster migrated by migratePg. Assertions read
// rows back through plain SQL (`?` placeholders in both: PostgreSQL's are numbered here).
import type pg from 'pg';
import { openDatabase } from '../../src/main/engine/db/open';
import { DeliveryStates } from '../../src/main/engine/delivery/state';
import type { DeliveryStateStore } from '../../src/main/engine/delivery/state-store';
import { PgDeliveryStates } from '../../src/main/engine/store/pg/delivery-states';
import { migratePg } from '../../src/main/engine/store/pg/migrate';
import { openPgPool } from '../../src/main/engine/store/pg/pool';
import { createTestDatabase } from './pg-cluster';
import { pgSql, type Row, sqliteSql } from './sql';
import { tempDbPath } from './temp';

export type { Row } from './sql';

export interface StateStoreUnderTest {
  states: DeliveryStateStore;
  /** plain SQL with `?` placeholders; the rows it returns */
  sql(text: string, params?: unknown[]): Promise<Row[]>;
  /** an endpoint and events for deliveries to reference */
  seed(endpointIds: readonly string[], eventIds: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

async function seedWith(sql: StateStoreUnderTest['sql'], endpointIds: readonly string[], eventIds: readonly string[]) {
  for (const id of endpointIds) {
    await sql('INSERT INTO endpoints (id, url, event_types, created_at, updated_at) VALUES (?, ?, \'["*"]\', 0, 0)', [
      id,
      `http://127.0.0.1:9/${id}`,
    ]);
  }
  for (const id of eventIds) {
    await sql("INSERT INTO events (id, type, version, created_at, data) VALUES (?, 'a.b', 'v1', 0, '{}')", [id]);
  }
}

export function sqliteStore(): StateStoreUnderTest & { db: ReturnType<typeof openDatabase> } {
  const db = openDatabase(tempDbPath());
  const sql = sqliteSql(db);
  return {
    states: new DeliveryStates(db),
    db,
    sql,
    seed: (endpoints, events) => seedWith(sql, endpoints, events),
    close: async () => {
      db.close();
    },
  };
}

/** A fresh database on the cluster at `clusterUrl`, migrated. */
export async function pgStore(clusterUrl: string): Promise<StateStoreUnderTest & { pool: pg.Pool; url: string }> {
  const url = await createTestDatabase(clusterUrl);
  const pool = openPgPool(url);
  await migratePg(pool);
  const sql = pgSql(pool);
  return {
    states: new PgDeliveryStates(pool),
    sql,
    seed: (endpoints, events) => seedWith(sql, endpoints, events),
    close: () => pool.end(),
    pool,
    url,
  };
}
