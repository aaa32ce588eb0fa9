import type Database from 'better-sqlite3';

/** One schema step. Versions are consecutive from 1; `up` runs inside a transaction, exactly once per database. */
export interface Migration {
  /** becomes PRAGMA user_version once applied */
  version: number;
  /** short kebab-case name, for logs */
  name: string;
  up(db: Database.Database): void;
}
