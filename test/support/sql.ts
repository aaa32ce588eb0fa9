// The conformance suites' one way to read and seed either store: SQL written with SQLite's `?` placeholders, run on
// a better-sqlite3 connection or on a PostgreSQL pool (`?` becomes $1, $2, …), rows as plain objects.
import type Database from 'better-sqlite3';
import type pg from 'pg';

export type Row = Record<string, unknown>;
export type Sql = (text: string, params?: unknown[]) => Promise<Row[]>;

export function sqliteSql(db: Database.Database): Sql {
  return async (text, params = []) => {
    const stmt = db.prepare(text);
    if (stmt.reader) return stmt.all(...params) as Row[];
    stmt.run(...params);
    return [];
  };
}

export function pgSql(pool: pg.Pool): Sql {
  return async (text, params = []) => {
    let n = 0;
    return (
      await pool.query(
        text.replace(/\?/g, () => `$${++n}`),
        params,
      )
    ).rows as Row[];
  };
}
