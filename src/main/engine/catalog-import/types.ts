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
export const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
