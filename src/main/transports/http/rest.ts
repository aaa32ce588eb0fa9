// The contract table as REST routes, plus the RPC route the browser UI calls. Both go through callRoute.
import type { Context, Hono } from 'hono';
import { API_PREFIX, type Handlers, OPENAPI_PATH, type RouteDef, RPC_PATH, routes, STREAM_PATH } from '../../../shared';
import { callRoute } from '../dispatch';
import { honoPath, jsonBody, restInput } from './input';

/** Mounts one REST route per contract route, in a loop: no route is written twice. */
export function mountRest(app: Hono, handlers: Handlers): void {
  for (const def of Object.values(routes) as RouteDef[]) {
    const path = `${API_PREFIX}${honoPath(def.http.path)}`;
    app.on(def.http.method, path, async (c: Context) => {
      const output = await callRoute(handlers, def.name, await restInput(c, def));
      return c.json(output as object, def.http.status ?? 200);
    });
  }
  app.post(`${RPC_PATH}/:name`, async (c) => {
    const output = await callRoute(handlers, c.req.param('name'), await jsonBody(c));
    return c.json(output as object, 200);
  });
}

/** Method + path pairs that need no token: routes marked `auth: false`, over REST and over RPC. */
export function publicRequests(): Set<string> {
  const out = new Set<string>();
  for (const def of Object.values(routes) as RouteDef[]) {
    if (def.http.auth !== false) continue;
    // Only parameterless paths can be public; matching `{id}` would need the router, and none is needed so far.
    if (!def.http.path.includes('{')) out.add(`${def.http.method} ${API_PREFIX}${def.http.path}`);
    out.add(`POST ${RPC_PATH}/${def.name}`);
  }
  return out;
}

const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A route's path as a pattern: literal text, each `{param}` one segment. */
const pathPattern = (path: string) => {
  const literal = path.split(/\{[^}]+\}/).map(escapeRe);
  return new RegExp(`^${literal.join('[^/]+')}$`);
};

/** Every method + path the API answers: what a 405's Allow header is read from. */
const ANSWERED: ReadonlyArray<{ method: string; path: RegExp }> = [
  ...(Object.values(routes) as RouteDef[]).map((def) => ({
    method: def.http.method,
    path: pathPattern(`${API_PREFIX}${def.http.path}`),
  })),
  { method: 'POST', path: pathPattern(`${RPC_PATH}/{name}`) },
  { method: 'GET', path: pathPattern(OPENAPI_PATH) },
  { method: 'GET', path: pathPattern(STREAM_PATH) },
];

/**
 * The methods the API answers on this path (GET with HEAD), sorted; empty when no route has the path. A request
 * with another method gets 405 and these in `Allow`, not a 404 that says the path does not exist.
 */
export function allowedMethods(path: string): string[] {
  const methods = new Set(ANSWERED.filter((r) => r.path.test(path)).map((r) => r.method));
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}
