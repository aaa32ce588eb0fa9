// The OpenAPI document is generated from the route table: every route is in it, with its parameters, and every
// schema in it compiles and resolves.
import { describe, expect, it } from 'vitest';
import { pathParams, type RouteDef, routes } from '../../../src/shared';
import { findOperation, openApiDoc, responseErrors } from './openapi-schema';

type Json = Record<string, unknown>;
const defs = Object.values(routes) as RouteDef[];

function refsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const v of node) refsIn(v, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}

describe('generated OpenAPI document', () => {
  it('is OpenAPI 3.1 with bearer security', () => {
    expect(openApiDoc.openapi).toBe('3.1.0');
    expect(openApiDoc.servers).toEqual([{ url: '/api/v1' }]);
    expect(openApiDoc.security).toEqual([{ bearer: [] }]);
    expect((openApiDoc.components.securitySchemes as Json).bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('has one operation per route, at its path and method, with its path parameters', () => {
    for (const def of defs) {
      const { path, method, op } = findOperation(def.name);
      expect(path).toBe(def.http.path);
      expect(method).toBe(def.http.method.toLowerCase());
      expect(op.summary).toBe(def.summary);
      const params = (op.parameters ?? []) as Json[];
      const inPath = params.filter((p) => p.in === 'path').map((p) => p.name);
      expect(inPath).toEqual(pathParams(def.http.path));
      const ok = String(def.http.status ?? 200);
      expect(Object.keys(op.responses as Json)).toContain(ok);
    }
    const operations = Object.values(openApiDoc.paths).flatMap((item) => Object.values(item));
    expect(operations).toHaveLength(defs.length + 2); // plus rpc and stream
  });

  it('documents query parameters, request bodies and mapped headers', () => {
    const list = findOperation('deliveries.list').op;
    const names = (list.parameters as Json[]).filter((p) => p.in === 'query').map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['endpointId', 'eventId', 'status', 'type', 'cursor', 'limit']));
    const create = findOperation('events.create').op;
    expect(create.parameters).toEqual([expect.objectContaining({ name: 'idempotency-key', in: 'header' })]);
    const body = (create.requestBody as Json & { content: Record<string, { schema: Json }> }).content[
      'application/json'
    ]?.schema;
    expect(body?.required).toEqual(expect.arrayContaining(['type', 'data']));
    expect(Object.keys(body?.properties as Json)).not.toContain('idempotencyKey');
    // path parameters are not repeated in the body
    const update = findOperation('endpoints.update').op;
    const ubody = (update.requestBody as Json & { content: Record<string, { schema: Json }> }).content[
      'application/json'
    ]?.schema;
    expect(Object.keys(ubody?.properties as Json)).not.toContain('id');
  });

  it('marks health as public and everything else as needing the token', () => {
    expect(findOperation('system.health').op.security).toEqual([]);
    expect(findOperation('endpoints.list').op.security).toBeUndefined();
    expect(Object.keys(findOperation('endpoints.list').op.responses as Json)).toContain('401');
  });

  it('resolves every $ref inside the document', () => {
    const schemas = openApiDoc.components.schemas as Json;
    const responses = openApiDoc.components.responses as Json;
    for (const ref of refsIn(openApiDoc)) {
      const m = /^#\/components\/(schemas|responses)\/(.+)$/.exec(ref);
      expect(m, ref).not.toBeNull();
      const table = m?.[1] === 'schemas' ? schemas : responses;
      expect(table[m?.[2] as string], ref).toBeDefined();
    }
    expect(schemas.JsonValue).toBeDefined();
  });

  it('compiles its schemas and validates real shapes', () => {
    expect(responseErrors('system.health', 200, { ok: true, version: '0.1.0' })).toEqual([]);
    expect(responseErrors('system.health', 200, { ok: false })).not.toEqual([]);
    expect(responseErrors('endpoints.get', 404, { error: { code: 'not_found', message: 'x' } })).toEqual([]);
    expect(responseErrors('endpoints.get', 404, { error: { code: 'nope', message: 'x' } })).not.toEqual([]);
  });
});
