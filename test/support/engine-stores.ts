// The two stores a whole engine runs on, for suites that tell the same story on each (`describe.each`): a fresh
// place for its data (a temp SQLite file; a database on this file's private PostgreSQL cluster, started on first
// use), and the engine options that open it. Call `stopEngineStores()` in afterAll.
import type { EngineOptions } from '../../src/main/engine/types';
import { createTestDatabase, type PgCluster, startPgCluster } from './pg-cluster';
import { tempDbPath } from './temp';

let cluster: PgCluster | null = null;

export interface EngineStore {
  store: 'SQLite' | 'PostgreSQL';
  /** a new, empty place for an engine's data */
  fresh(): Promise<string>;
  /** the engine options that open it (the same place twice: the same data) */
  on(db: string): Partial<EngineOptions>;
}

export const engineStores: EngineStore[] = [
  { store: 'SQLite', fresh: async () => tempDbPath(), on: (db) => ({ dbPath: db }) },
  {
    store: 'PostgreSQL',
    fresh: async () => {
      cluster ??= await startPgCluster();
      return createTestDatabase(cluster.url);
    },
    on: (db) => ({ databaseUrl: db }),
  },
];

export async function stopEngineStores(): Promise<void> {
  await cluster?.stop();
  cluster = null;
}
