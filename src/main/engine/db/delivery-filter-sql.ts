// The WHERE clause of a delivery filter, shared by the log (list, count) and retry-every-failed: ids, type, time,
// status, the full-text search over event data (migration 7), the last response body, HTTP status class and the
// kind of transport error.
import type { DeliveryErrorKind, DeliveryFilter, DeliveryStatus } from '../../../shared';
import { likePrefix, typeFilter } from './util';

/** the states of deliveries_endpoint_held (migration 4), and its condition exactly as the index states it */
export const HELD: readonly DeliveryStatus[] = ['failed', 'paused', 'cancelled'];
export const HELD_SQL = "(status = 'failed' OR status = 'paused' OR status = 'cancelled')";

/** last_error LIKE patterns per error kind, from the texts of describeError in http-client.ts (both stores use them) */
export const ERROR_KIND_PATTERNS: Record<DeliveryErrorKind, readonly string[]> = {
  timeout: ['%timeout%', '%timed out%'],
  refused: ['%ECONNREFUSED%'],
  tls: ['TLS error%'],
  // undici's parser error for bytes that are not HTTP at all comes without a code, as its bare message
  invalid_response: ['invalid HTTP response%', '%HTTP/1.1 protocol%', '%CONTENT_LENGTH_MISMATCH%'],
};

const ERROR_KIND_SQL = Object.fromEntries(
  Object.entries(ERROR_KIND_PATTERNS).map(([kind, patterns]) => [
    kind,
    patterns.map((p) => `last_error LIKE '${p}'`).join(' OR '),
  ]),
) as Record<DeliveryErrorKind, string>;

/** ids of the events whose data matches an FTS5 query (one bound parameter) */
export const EVENTS_MATCHING =
  'SELECT e.id FROM events e WHERE e.rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)';

/**
 * A user's search text as one FTS5 phrase, its last word a prefix (`ada@exa` finds `ada@example.com`): quoted, so
 * no FTS5 syntax in it ever applies. Null when it has no word to look for (punctuation only).
 */
export function ftsPhrase(text: string): string | null {
  if (!/[\p{L}\p{N}]/u.test(text)) return null;
  return `"${text.replaceAll('"', '""')}"*`;
}

/** `LIKE` pattern for a substring search, with the wildcards of user text escaped (ESCAPE '\'). */
export const likeContains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** SQL conditions for a filter (status excluded: callers add their own). */
export function filterSql(f: Omit<DeliveryFilter, 'status'>): { where: string[]; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.endpointId) {
    where.push('endpoint_id = ?');
    args.push(f.endpointId);
  }
  if (f.eventId) {
    where.push('event_id = ?');
    args.push(f.eventId);
  }
  // `invoice.*` filters by prefix, like a subscription; anything else is exact
  const t = typeFilter(f.type);
  if (t?.like) {
    where.push("event_type LIKE ? ESCAPE '\\'");
    args.push(t.like);
  }
  if (t?.exact) {
    where.push('event_type = ?');
    args.push(t.exact);
  }
  if (f.since) {
    where.push('created_at >= ?');
    args.push(Date.parse(f.since));
  }
  if (f.until) {
    where.push('created_at <= ?');
    args.push(Date.parse(f.until));
  }
  if (f.q?.trim()) {
    const q = f.q.trim();
    const match = ftsPhrase(q);
    // ids by prefix; the event's data by its words (events_fts, migration 7: the IN list is built once per query);
    // the last attempt's response body by substring (each candidate row looks up one attempt by its index).
    const terms = ["id LIKE ? ESCAPE '\\'", "event_id LIKE ? ESCAPE '\\'"];
    args.push(likePrefix(q), likePrefix(q));
    if (match) {
      terms.push(`event_id IN (${EVENTS_MATCHING})`);
      args.push(match);
    }
    terms.push(`EXISTS (SELECT 1 FROM attempts a WHERE a.delivery_id = deliveries.id
      AND a.number = deliveries.attempt_count AND a.response IS NOT NULL
      AND json_extract(a.response, '$.body') LIKE ? ESCAPE '\\')`);
    args.push(likeContains(q));
    where.push(`(${terms.join(' OR ')})`);
  }
  if (f.statusClass) {
    const base = Number(f.statusClass[0]) * 100;
    where.push('last_status BETWEEN ? AND ?');
    args.push(base, base + 99);
  }
  if (f.errorKind) {
    // the words describeError (http-client.ts) gives each transport failure; an HTTP answer is never one of them
    where.push(`last_status IS NULL AND (${ERROR_KIND_SQL[f.errorKind]})`);
  }
  return { where, args };
}

/** filterSql with the status condition; null when the filter names an empty set of statuses (nothing matches). */
export function withStatus(f: DeliveryFilter): { where: string[]; args: unknown[] } | null {
  const { where, args } = filterSql(f);
  if (f.status === undefined) return { where, args };
  const statuses = [...new Set(Array.isArray(f.status) ? f.status : [f.status])];
  if (statuses.length === 0) return null;
  where.push(`status IN (${statuses.map(() => '?').join(', ')})`);
  args.push(...statuses);
  // One endpoint's deliveries in rare states: the partial index holds just those, in time order per status.
  // SQLite uses a partial index only when the query states its condition, word for word.
  if (f.endpointId && statuses.every((s) => HELD.includes(s))) where.push(HELD_SQL);
  return { where, args };
}
