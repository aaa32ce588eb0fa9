/** One PostgreSQL schema step. Versions are consecutive from 1; `up` runs in its own transaction, once per database. */
export interface PgMigration {
  /** recorded in schema_migrations once applied */
  version: number;
  /** short kebab-case name, for logs */
  name: string;
  /** SQL statements (no parameters), run as one simple query */
  up: string;
}
