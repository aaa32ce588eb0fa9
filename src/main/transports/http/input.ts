// Collects a route's raw input from an HTTP request: query string (GET/DELETE) or JSON body (POST/PATCH/PUT),
// then mapped headers, then path parameters (which win). The result is still unparsed: dispatch parses it with
// the route's zod schema, once.
import type { Context } from 'hono';
import type { z } from 'zod';
import { HookbenchError, pathParams, type RouteDef } from '../../../shared';

type LooseDef = {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: readonly z.ZodType[];
  shape?: Record<string, z.ZodType>;
};
const defOf = (s: z.ZodType): LooseDef => (s as unknown as { _zod: { def: LooseDef } })._zod.def;

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

/** The object shape behind an input schema (through refinements, wrappers and pipes), or null. */
export function objectShape(schema: z.ZodType): Record<string, z.ZodType> | null {
  const def = defOf(schema);
  if (def.type === 'object' && def.shape) return def.shape;
  if (WRAPPERS.has(def.type) && def.innerType) return objectShape(def.innerType);
  if (def.type === 'pipe' && def.in) return objectShape(def.in);
  return null;
}

/** The base types a field accepts (`string`, `number`, `array`, `enum`, ...), looking through wrappers and unions. */
export function fieldKinds(schema: z.ZodType, acc = new Set<string>(), depth = 0): Set<string> {
  if (depth > 8) return acc;
  const def = defOf(schema);
  if (WRAPPERS.has(def.type) && def.innerType) return fieldKinds(def.innerType, acc, depth + 1);
  if (def.type === 'pipe' && def.in) return fieldKinds(def.in, acc, depth + 1);
  if (def.type === 'union' && def.options) {
    for (const o of def.options) fieldKinds(o, acc, depth + 1);
    return acc;
  }
  acc.add(def.type);
  return acc;
}

const NUMERIC = /^-?\d+(\.\d+)?$/;

/**
 * Query string -> input object. Empty values are absent. Repeated keys become arrays; for a field that accepts an array a single
 * comma-separated value is split too (`status=failed,pending`). Numbers and booleans are converted only where
 * the field cannot take a string, so zod still sees every mistake.
 */
export function queryInput(schema: z.ZodType, queries: Record<string, string[]>): Record<string, unknown> {
  const shape = objectShape(schema) ?? {};
  const out: Record<string, unknown> = {};
  for (const [key, all] of Object.entries(queries)) {
    // `?type=` is how a form sends a blank filter: absent, not an empty string (which would match nothing).
    const values = all.filter((v) => v !== '');
    if (values.length === 0 || key === '__proto__') continue;
    const field = Object.hasOwn(shape, key) ? shape[key] : undefined;
    const kinds = field ? fieldKinds(field) : new Set<string>();
    if (kinds.has('array')) {
      out[key] = values.flatMap((v) => v.split(',').map((s) => s.trim())).filter((s) => s.length > 0);
    } else if (values.length === 1) {
      out[key] = scalar(values[0] as string, kinds);
    } else {
      out[key] = values;
    }
  }
  return out;
}

function scalar(value: string, kinds: Set<string>): unknown {
  const stringy = kinds.has('string') || kinds.has('enum') || kinds.has('literal') || kinds.has('template_literal');
  if (kinds.has('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  if (kinds.has('number') && !stringy && NUMERIC.test(value)) return Number(value);
  return value;
}

/** The JSON body as an object; empty means `{}`. Anything else is a 400, never a crash. */
export async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HookbenchError('invalid_input', 'The request body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HookbenchError('invalid_input', 'The request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** Everything a REST request carries for `def`, merged: query or body, then mapped headers, then path params. */
export async function restInput(c: Context, def: RouteDef): Promise<Record<string, unknown>> {
  const method = def.http.method;
  const base =
    method === 'GET' || method === 'DELETE' ? queryInput(def.input, c.req.queries() ?? {}) : await jsonBody(c);
  const input: Record<string, unknown> = { ...base };
  for (const [header, key] of Object.entries(def.http.headers ?? {})) {
    const value = c.req.header(header);
    if (value !== undefined) input[key] = value;
  }
  for (const name of pathParams(def.http.path)) {
    const value = c.req.param(name);
    if (value !== undefined) input[name] = value;
  }
  return input;
}

/** `/endpoints/{id}` -> `/endpoints/:id` (Hono's syntax). */
export const honoPath = (path: string) => path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
