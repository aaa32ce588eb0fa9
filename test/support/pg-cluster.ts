// A private PostgreSQL cluster for the PostgreSQL store's tests (scripts/pg-cluster.mjs, shared with the bench; fsync
// and the like off: a test cluster never outlives a crash), and a fresh database on it per test file or test.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { type PgCluster, startPgCluster } from '../../scripts/pg-cluster.mjs';
import { migratePg } from '../../src/main/engine/store/pg/migrate';
import { openPgPool } from '../../src/main/engine/store/pg/pool';

export { type PgCluster, type PgClusterOptions, startPgCluster } from '../../scripts/pg-cluster.mjs';

/** A new, empty database on the cluster (a random name); its URL. Tests in one file isolate with one each. */
export async function createTestDatabase(url: string): Promise<string> {
  const name = `hookbench_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A new database on the cluster with the engine's PostgreSQL schema (its migrations run); its URL. */
export async function createMigratedDatabase(url: string): Promise<string> {
  const db = await createTestDatabase(url);
  const migrator = openPgPool(db);
  try {
    await migratePg(migrator);
  } finally {
    await migrator.end();
  }
  return db;
}

/**
 * One private cluster for the calling test file, started before its tests and stopped after them (call it at the
 * file's top level); its url and pid are read once it runs.
 */
export function pgClusterPerFile(): Pick<PgCluster, 'url' | 'pid'> {
  let cluster: PgCluster | undefined;
  beforeAll(async () => {
    cluster = await startPgCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  const running = () => {
    if (!cluster) throw new Error('the PostgreSQL cluster is not started yet (use it inside a test or hook)');
    return cluster;
  };
  return {
    get url() {
      return running().url;
    },
    get pid() {
      return running().pid;
    },
  };
}
