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

export function route<const N extends string, I extends z.ZodType, O extends z.ZodType>(
  def: RouteDef<N, I, O>,
): RouteDef<N, I, O> {
  return def;
}

/** Names in a path: `/endpoints/{id}/enable` -> ['id'] */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] as string);
}
