// The PostgreSQL schema history, numbered on its own (SQLite's 001..006 became this store's 001 and 002). Append only.
import { pgMigration001 } from './001-core';
import { pgMigration002 } from './002-event-search';
import { pgMigration003 } from './003-endpoint-rate';
import { pgMigration004 } from './004-endpoint-epoch';
import { pgMigration005 } from './005-endpoint-policy';
import { pgMigration006 } from './006-test-sends';
import { pgMigration007 } from './007-inbox-answers';
import type { PgMigration } from './types';

export type { PgMigration } from './types';

export const pgMigrations: readonly PgMigration[] = [
  pgMigration001,
  pgMigration002,
  pgMigration003,
  pgMigration004,
  pgMigration005,
  pgMigration006,
  pgMigration007,
];
