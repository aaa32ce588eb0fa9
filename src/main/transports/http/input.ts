// Collects a route's raw input from an HTTP request: query string (GET/DELETE) or JSON body (POST/PATCH/PUT),
// then mapped headers, then path parameters (which win). The result is still unparsed: dispatch parses it with
// the route's zod schema, once. Query values stay strings: the GET routes' schemas declare how they read them
// (wholeNumber for numbers, 'true'/'false' for booleans, QueryList for comma-separated lists).
import type { Context } from 'hono';
import { HookbenchError, pathParams, type RouteDef } from '../../../shared';

/**
 * Query string -> input object. Empty values are absent (`?type=` is how a form sends a blank filter, not an empty
 * string that would match nothing); a repeated key is an array; every value stays a string for the schema to read.
 */
export function queryInput(queries: Record<string, string[]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, all] of Object.entries(queries)) {
    const values = all.filter((v) => v !== '');
    if (values.length === 0 || key === '__proto__') continue;
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
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

/**
 * Everything a REST request carries for `def`, merged: query or body, then mapped headers (a body key that a header
 * also gives must agree with it), then path params.
 */
export async function restInput(c: Context, def: RouteDef): Promise<Record<string, unknown>> {
  const method = def.http.method;
  const base = method === 'GET' || method === 'DELETE' ? queryInput(c.req.queries() ?? {}) : await jsonBody(c);
  const input: Record<string, unknown> = { ...base };
  for (const [header, key] of Object.entries(def.http.headers ?? {})) {
    const value = c.req.header(header);
    if (value === undefined) continue;
    // both given and different: which one the caller meant cannot be known (the header would silently win)
    if (base[key] !== undefined && base[key] !== value) {
      throw new HookbenchError('invalid_input', `The ${header} header and the body's ${key} differ: give one of them`);
    }
    input[key] = value;
  }
  for (const name of pathParams(def.http.path)) {
    const value = c.req.param(name);
    if (value !== undefined) input[name] = value;
  }
  return input;
}

/** `/endpoints/{id}` -> `/endpoints/:id` (Hono's syntax). */
export const honoPath = (path: string) => path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
