// Full-text search over events.data on PostgreSQL (migration 2 holds the matching rules): the events whose data
// holds the phrase of a search's words, the last one a prefix, as SQLite's EVENTS_MATCHING finds them.

/** Ids of the events matching the search text bound at `param` (e.g. '$3'); it uses the events_search index. */
export function eventsMatching(param: string): string {
  return `SELECT e.id FROM events e WHERE hookbench_search_text(e.data) @@ hookbench_search_query(${param})`;
}

/** Whether a search text has a word to look for (punctuation alone matches nothing), as ftsPhrase decides. */
export function hasSearchWords(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}
