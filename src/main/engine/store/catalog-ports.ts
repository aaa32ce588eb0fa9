// The catalog's event types as an interface, so the API can answer from either store: SQLite's EventTypeStore
// answers synchronously, PostgreSQL's PgEventTypeStore with promises. events.create checks data against its type's
// schema on the hot path, so schemaOf() answers synchronously on both: SQLite reads the row, PostgreSQL answers from
// memory (load() fills it, every write through the store keeps it current, refresh() catches up with other
// processes' writes). Both give the same answers (test/engine/catalog-inbox-conformance.test.ts).
import type { Awaitable } from '../delivery/state-store';

/** An event type as stored: schema and example are the JSON text written (an import compares texts). */
export interface EventTypeRow {
  name: string;
  description: string;
  schema: string | null;
  example: string;
  /** 1 for the seeded built-ins (never deleted), else 0 */
  built_in: number;
  created_at: number;
}

/** What a person or an import writes: the text to store under a name. */
export interface EventTypeText {
  name: string;
  description: string;
  schema: string | null;
  example: string;
}

export interface EventTypeStorePort {
  /** every type, built-ins first, then by name (code-point order) */
  list(): Awaitable<EventTypeRow[]>;
  /** the type as stored, or null */
  find(name: string): Awaitable<EventTypeRow | null>;
  /** a new (never built-in) type; conflict when the name is taken */
  create(t: EventTypeText, now: number): Awaitable<EventTypeRow>;
  /** replaces a type's text (a built-in's too); not_found when there is none */
  update(t: EventTypeText): Awaitable<EventTypeRow>;
  /** not_found when there is none; conflict for a built-in, which stays */
  delete(name: string): Awaitable<void>;
  /** an import's new and changed types, all or nothing */
  importAll(created: EventTypeText[], updated: EventTypeText[], now: number): Awaitable<void>;
  /** the stored schema text of a type; null when it has none or there is no such type. Synchronous on both. */
  schemaOf(name: string): string | null;
  /** reads what schemaOf answers from (PostgreSQL: every type's schema into memory, before the first schemaOf; SQLite:
   * nothing to do) */
  load(): Awaitable<void>;
  /** one type's schema read again after another process wrote it (all without a name); SQLite: nothing to do */
  refresh(name?: string): Awaitable<void>;
}
