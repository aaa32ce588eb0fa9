// The WHERE clause of a delivery filter on PostgreSQL: the twin of db/delivery-filter-sql.ts (filterSql, withStatus)
// with `$n` placeholders, for the log (list, count) and retry-every-failed. Same conditions, with one difference
// by necessity: SQLite's LIKE ignores the case of ASCII letters, PostgreSQL's does not, so every LIKE that relied on
// that (id prefixes, a type family `invoice.*`, the response body substring, the error kinds) is ILIKE here.
// ILIKE also folds non-ASCII letters where the database's locale knows their case; SQLite's LIKE leaves them as
// they are, so `É` finds `é` only here.
import type { DeliveryFilter } from '../../../../shared';
import { ERROR_KIND_PATTERNS, HELD, HELD_SQL, likeContains } from '../../db/delivery-filter-sql';
import { likePrefix, typeFilter } from '../../db/util';
import { eventsMatching, hasSearchWords } from './event-search';

/** Numbers a statement's parameters as its conditions are written: `add(v)` binds v and returns its `$n`. */
export class PgParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** the error kinds' patterns are our own constants (no quote in them): inlined, as SQLite's statements have them */
const ERROR_KIND_SQL = Object.fromEntries(
  Object.entries(ERROR_KIND_PATTERNS).map(([kind, patterns]) => [
    kind,
    patterns.map((p) => `last_error ILIKE '${p}'`).join(' OR '),
  ]),
) as Record<keyof typeof ERROR_KIND_PATTERNS, string>;

/**
 * The last attempt's response body as text, as SQLite's LIKE reads it: up to its first NUL. A body may hold NUL (a
 * receiver's bytes are kept as sent); the stored JSON escapes it as `\u0000`, which jsonb refuses ("unsupported
 * Unicode escape sequence"), so one such answer failed every search. A response holding one has each escaped NUL
 * (not an escaped backslash followed by `u0000`) made U+FFFF first, and the body is cut there.
 */
const RESPONSE_BODY = `(CASE WHEN strpos(a.response, '\\u0000') = 0 THEN a.response::jsonb ->> 'body'
  ELSE split_part(regexp_replace(a.response, '(?<!\\\\)((?:\\\\\\\\)*)\\\\u0000', '\\1\\\\uffff', 'g')::jsonb ->> 'body',
    U&'\\FFFF', 1) END)`;

/** Conditions over deliveries' columns for a filter (status excluded: callers add their own), bound into `p`. */
export function pgFilterSql(f: Omit<DeliveryFilter, 'status'>, p: PgParams): string[] {
  const where: string[] = [];
  if (f.endpointId) where.push(`endpoint_id = ${p.add(f.endpointId)}`);
  if (f.eventId) where.push(`event_id = ${p.add(f.eventId)}`);
  // `invoice.*` filters by prefix, like a subscription; anything else is exact
  const t = typeFilter(f.type);
  if (t?.like) where.push(`event_type ILIKE ${p.add(t.like)} ESCAPE '\\'`);
  if (t?.exact) where.push(`event_type = ${p.add(t.exact)}`);
  if (f.since) where.push(`created_at >= ${p.add(Date.parse(f.since))}`);
  if (f.until) where.push(`created_at <= ${p.add(Date.parse(f.until))}`);
  if (f.q?.trim()) {
    const q = f.q.trim();
    // ids by prefix; the event's data by its words (migration 2's index); the last attempt's response body by
    // substring (each candidate row looks up one attempt by attempts_by_delivery)
    const prefix = p.add(likePrefix(q));
    const terms = [`id ILIKE ${prefix} ESCAPE '\\'`, `event_id ILIKE ${prefix} ESCAPE '\\'`];
    if (hasSearchWords(q)) terms.push(`event_id IN (${eventsMatching(p.add(q))})`);
    terms.push(`EXISTS (SELECT 1 FROM attempts a WHERE a.delivery_id = deliveries.id
      AND a.number = deliveries.attempt_count AND a.response IS NOT NULL
      AND ${RESPONSE_BODY} ILIKE ${p.add(likeContains(q))} ESCAPE '\\')`);
    where.push(`(${terms.join(' OR ')})`);
  }
  if (f.statusClass) {
    const base = Number(f.statusClass[0]) * 100;
    where.push(`last_status BETWEEN ${p.add(base)} AND ${p.add(base + 99)}`);
  }
  if (f.errorKind) {
    // the words describeError (http-client.ts) gives each transport failure; an HTTP answer is never one of them
    where.push(`last_status IS NULL AND (${ERROR_KIND_SQL[f.errorKind]})`);
  }
  return where;
}

/** pgFilterSql with the status condition; null when the filter names an empty set of statuses (nothing matches). */
export function pgWithStatus(f: DeliveryFilter, p: PgParams): string[] | null {
  const where = pgFilterSql(f, p);
  if (f.status === undefined) return where;
  const statuses = [...new Set(Array.isArray(f.status) ? f.status : [f.status])];
  if (statuses.length === 0) return null;
  where.push(`status = ANY(${p.add(statuses)}::text[])`);
  // one endpoint's deliveries in rare states: deliveries_endpoint_held holds just those (its condition, word for word)
  if (f.endpointId && statuses.every((s) => HELD.includes(s))) where.push(HELD_SQL);
  return where;
}
