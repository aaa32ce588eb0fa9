import type { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RouteHttp {
  method: HttpMethod;
  /** OpenAPI-style path under /api/v1, e.g. `/endpoints/{id}`; `{param}` fills the input key of that name */
  path: string;
  /** false: no token needed (health only) */
  auth?: boolean;
  /** success status, 200 unless said */
  status?: 200 | 201 | 202;
  /** request headers copied into input keys, e.g. `{ 'idempotency-key': 'idempotencyKey' }` */
  headers?: Record<string, string>;
}

/** A contract route: declared once, served by IPC and HTTP, called by the renderer with inferred types. */
export interface RouteDef<N extends string = string, I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  name: N;
  summary: string;
  http: RouteHttp;
  input: I;
  output: O;
}

/** A route as written in the table: its name is its key there, never spelled a second time. */
export type RouteSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> = Omit<
  RouteDef<string, I, O>,
  'name'
>;

/** The route table from `{ 'endpoints.create': { http, input, output, ... } }`: each key becomes its route's name. */
export function routeTable<const T extends Record<string, RouteSpec>>(
  specs: T,
): { [K in keyof T & string]: RouteDef<K, T[K]['input'], T[K]['output']> } {
  const table: Record<string, RouteDef> = {};
  for (const [name, spec] of Object.entries(specs)) table[name] = { name, ...spec };
  return table as { [K in keyof T & string]: RouteDef<K, T[K]['input'], T[K]['output']> };
}

/** Names in a path: `/endpoints/{id}/enable` -> ['id'] */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] as string);
}
