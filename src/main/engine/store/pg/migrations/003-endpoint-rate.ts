// Migration 3 (PostgreSQL): a token bucket per rate-limited endpoint, shared by every process (SQLite keeps it in
// memory: delivery/rate-limiter.ts). Taken in the claim's transaction (store/pg/claims.ts), so processes together
// never exceed endpoints.rate_limit_per_sec. No row yet means a full bucket.
import type { PgMigration } from './types';

export const pgMigration003: PgMigration = {
  version: 3,
  name: 'endpoint-rate',
  up: `
  CREATE TABLE endpoint_rate (
    endpoint_id TEXT PRIMARY KEY REFERENCES endpoints(id) ON DELETE CASCADE,
    tokens      DOUBLE PRECISION NOT NULL,
    refilled_at BIGINT NOT NULL
  );
  `,
};
