import { withoutControlCharacters } from '../../../shared';

/** One event type a document describes, ready to store. */
export interface CatalogEntry {
  name: string;
  description: string;
  /** self-contained JSON Schema for `data` (every $ref resolved) */
  schema: Record<string, unknown>;
  example: unknown;
}

export interface SkippedEntry {
  name: string;
  reason: string;
}

/** What a document says, before it is compared with the catalog. */
export interface CatalogPlan {
  format: 'openapi' | 'asyncapi';
  title: string | null;
  entries: CatalogEntry[];
  skipped: SkippedEntry[];
}

export type Doc = Record<string, unknown>;

/**
 * An entry's description: the first of `values` that is text that is not blank, without the control characters an
 * event type's description may not hold (a document's NUL would fail PostgreSQL's insert), trimmed, at most 1,000.
 */
export function catalogDescription(...values: unknown[]): string {
  for (const v of values) {
    if (typeof v !== 'string') continue;
    const text = withoutControlCharacters(v).trim();
    if (text !== '') return text.slice(0, 1000);
  }
  return '';
}
export const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
