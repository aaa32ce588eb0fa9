// Both stores' endpoints and settings on real databases, for one conformance suite: SQLite's EndpointStore and
// SettingsStore on a temp file migrated by the engine, PostgreSQL's PgEndpointStore and PgSettingsStore on a fresh
// database of a private cluster migrated by migratePg. One SecretBox and one clock serve both, so times and sealed
// secrets compare across them. Plain SQL takes `?` placeholders in both.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { EndpointStore } from '../../src/main/engine/db/endpoints';
import { openDatabase } from '../../src/main/engine/db/open';
import { createAesSecretBox } from '../../src/main/engine/secrets/aes-box';
import { SettingsStore } from '../../src/main/engine/settings-store';
import type { EndpointStorePort, SettingsStorePort } from '../../src/main/engine/store/endpoint-ports';
import { PgEndpointStore } from '../../src/main/engine/store/pg/endpoints';
import { openPgPool } from '../../src/main/engine/store/pg/pool';
import { PgSettingsStore } from '../../src/main/engine/store/pg/settings';
import type { Clock, SecretBox } from '../../src/main/engine/types';
import { createMigratedDatabase } from './pg-cluster';
import { pgSql, type Row, sqliteSql } from './sql';
import { tempDbPath } from './temp';

export type { Row } from './sql';

export interface EndpointStoreUnderTest {
  name: 'sqlite' | 'postgres';
  // biome-ignore lint/suspicious/noExplicitAny: each store has its own transaction type; the suite passes none
  endpoints: EndpointStorePort<any>;
  settings: SettingsStorePort;
  /** plain SQL with `?` placeholders; the rows it returns */
  sql(text: string, params?: unknown[]): Promise<Row[]>;
  /** after invalidate(): the caches are current (PostgreSQL reloads in the background) */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export const testSecretBox = (): SecretBox => createAesSecretBox(randomBytes(32));

export function sqliteEndpoints(clock: Clock, box: SecretBox): EndpointStoreUnderTest {
  const db = openDatabase(tempDbPath());
  const settings = new SettingsStore(db, box);
  return {
    name: 'sqlite',
    endpoints: new EndpointStore(db, clock, box, () => settings.operationalSecret()),
    settings,
    sql: sqliteSql(db),
    settle: async () => {},
    close: async () => {
      db.close();
    },
  };
}

/** A PostgreSQL process's stores on `url` (already migrated), loaded. */
export async function pgStores(
  url: string,
  clock: Clock,
  box: SecretBox,
): Promise<{ pool: pg.Pool; endpoints: PgEndpointStore; settings: PgSettingsStore }> {
  const pool = openPgPool(url);
  const settings = new PgSettingsStore(pool, box);
  await settings.load();
  const endpoints = new PgEndpointStore(pool, clock, box, () => settings.operationalSecretNow());
  await endpoints.load();
  return { pool, endpoints, settings };
}

export async function pgEndpoints(
  clusterUrl: string,
  clock: Clock,
  box: SecretBox,
): Promise<EndpointStoreUnderTest & { url: string }> {
  const url = await createMigratedDatabase(clusterUrl);
  const { pool, endpoints, settings } = await pgStores(url, clock, box);
  return {
    name: 'postgres',
    url,
    endpoints,
    settings,
    sql: pgSql(pool),
    settle: () => endpoints.settled(),
    close: () => pool.end(),
  };
}
