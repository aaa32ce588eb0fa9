// Migration 2 (PostgreSQL): full-text search over events.data, the twin of SQLite's FTS5 table (its migration 006),
// for the `q` of deliveries.list and events.list. Matching follows SQLite's: the text is split into words at
// punctuation and spaces (`{"email":"ada@example.com"}` holds `email`, `ada`, `example`, `com`; PostgreSQL's own
// parser would keep `ada@example.com` as one token), and a search is the phrase of its words, the last one a prefix
// (`ada@exa` finds it). Two functions hold those rules once, for the index and for every query:
//   WHERE hookbench_search_text(e.data) @@ hookbench_search_query($1)
// uses the GIN expression index (no second copy of the text; kept by the row's own insert and delete).
// Differences from SQLite, by design: a tsvector holds at most 1 MB, and event data may be 1 MB of JSON, so only
// the first 256 KB of an event's data is indexed (an insert never fails for its size); positions stop at 16383, so
// a phrase far into a long payload may not match; accents are kept (FTS5's unicode61 folds them).
import type { PgMigration } from './types';

export const pgMigration002: PgMigration = {
  version: 2,
  name: 'event-search',
  up: `
  CREATE FUNCTION hookbench_search_text(data text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT to_tsvector('simple'::regconfig, regexp_replace(left(data, 262144), '[[:punct:][:space:]]+', ' ', 'g'))
    $$;

  CREATE FUNCTION hookbench_search_query(q text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT CASE WHEN p::text = '' THEN p ELSE (p::text || ':*')::tsquery END
      FROM phraseto_tsquery('simple'::regconfig, regexp_replace(q, '[[:punct:][:space:]]+', ' ', 'g')) AS p
    $$;

  CREATE INDEX events_search ON events USING gin (hookbench_search_text(data));
  `,
};
