// eventTypes.import on a real engine: an OpenAPI 3.1 document's webhooks and an AsyncAPI 3 document's send
// operations become event types whose schemas are self-contained ($refs bundled) and validate their examples;
// dryRun writes nothing; a re-import changes nothing; a bad document is invalid_input and writes nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { HookbenchError } from '../../src/shared';
import { ROOT } from '../support/bundle';
import { call, startEngine } from '../support/engine';

const openapi = readFileSync(join(ROOT, 'examples/catalog/openapi-webhooks.yaml'), 'utf8');
const asyncapi = readFileSync(join(ROOT, 'examples/catalog/asyncapi.yaml'), 'utf8');

const catalog = async (engine: Awaited<ReturnType<typeof startEngine>>) =>
  new Map((await call(engine, 'eventTypes.list', {})).data.map((t) => [t.name, t]));

/** The stored schema must stand alone: a 2020-12 validator compiles it with no other document. */
function validator(schema: Record<string, unknown>) {
  return new Ajv2020({ strict: true, allErrors: true, formats: {} as never, validateFormats: false }).compile(schema);
}

describe('eventTypes.import', () => {
  it('imports OpenAPI 3.1 webhooks with $refs into components resolved into self-contained schemas', async () => {
    const engine = await startEngine();
    const res = await call(engine, 'eventTypes.import', { source: openapi });
    expect(res).toMatchObject({ format: 'openapi', title: 'Acme Billing webhooks', dryRun: false, updated: [] });
    expect(res.created).toEqual([
      { name: 'invoice.finalized', description: 'An invoice was finalized and can be paid' },
      { name: 'customer.deleted', description: 'A customer and their payment methods were removed' },
      { name: 'subscription.renewed', description: 'A subscription renewed for another period' },
    ]);
    expect(res.skipped).toEqual([{ name: 'ping', reason: 'no application/json request body schema' }]);

    const types = await catalog(engine);
    const invoice = types.get('invoice.finalized');
    expect(invoice?.builtIn).toBe(false);
    expect(JSON.stringify(invoice?.schema)).not.toContain('$ref');
    expect(invoice?.schema).toMatchObject({
      properties: {
        object: {
          properties: {
            total: { type: 'integer', minimum: 0 },
            lines: { items: { properties: { amount: { type: 'integer', minimum: 0 } } } },
          },
        },
      },
    });
    // the media type's example is kept
    expect(invoice?.example).toEqual({
      object: { id: 'in_1001', customer: 'cus_42', total: 4200, currency: 'eur', lines: [] },
    });
    const check = validator(invoice?.schema as Record<string, unknown>);
    expect(check(invoice?.example)).toBe(true);
    expect(check({ object: { id: 'in_1', customer: 'c', total: -1, currency: 'eur' } })).toBe(false);

    // no example in the document: one generated from the schema, which the schema accepts
    const renewed = types.get('subscription.renewed');
    expect(renewed?.example).toEqual({
      object: {
        id: 'string',
        status: 'active',
        customer: { id: 'cus_42', email: 'user@example.com' },
        current_period_end: '2026-01-01T00:00:00Z',
      },
    });
    expect(validator(renewed?.schema as Record<string, unknown>)(renewed?.example)).toBe(true);
    // OpenAPI's `example` keyword is not part of the stored JSON Schema
    expect(JSON.stringify(renewed?.schema)).not.toContain('"example"');
    const deleted = types.get('customer.deleted');
    expect(validator(deleted?.schema as Record<string, unknown>)(deleted?.example)).toBe(true);

    // the same document again changes nothing
    const again = await call(engine, 'eventTypes.import', { source: openapi });
    expect(again.created).toEqual([]);
    expect(again.updated).toEqual([]);
    expect(again.skipped.filter((s) => s.reason === 'unchanged').map((s) => s.name)).toHaveLength(3);

    // a changed document updates what changed
    const changed = await call(engine, 'eventTypes.import', {
      source: openapi.replace('An invoice was finalized and can be paid', 'Invoice finalized'),
    });
    expect(changed.updated).toEqual([{ name: 'invoice.finalized', description: 'Invoice finalized' }]);
    expect((await catalog(engine)).get('invoice.finalized')?.description).toBe('Invoice finalized');
  });

  it('imports AsyncAPI 3 send operations and their message payloads; receive operations are skipped', async () => {
    const engine = await startEngine();
    const res = await call(engine, 'eventTypes.import', { source: asyncapi });
    expect(res.format).toBe('asyncapi');
    expect(res.created).toEqual([
      { name: 'user.signed_up', description: 'A user created an account' },
      { name: 'user.deleted', description: 'A user closed their account' },
    ]);
    expect(res.skipped).toEqual([
      { name: 'receiveResync', reason: 'action receive: only send operations are events the app sends' },
    ]);
    const types = await catalog(engine);
    const signedUp = types.get('user.signed_up');
    expect(signedUp?.example).toEqual({ id: 'usr_1', email: 'ada@example.com', plan: 'pro' });
    expect(signedUp?.schema).toMatchObject({ properties: { plan: { type: 'string', enum: ['free', 'pro', 'team'] } } });
    const check = validator(signedUp?.schema as Record<string, unknown>);
    expect(check(signedUp?.example)).toBe(true);
    expect(check({ id: 'usr_2', email: 'x@example.com', plan: 'enterprise' })).toBe(false);
    expect(types.get('user.deleted')?.example).toEqual({ id: 'string', deleted_at: '2026-01-01T00:00:00Z' });
  });

  it('dryRun answers the same and writes nothing', async () => {
    const engine = await startEngine();
    const before = await catalog(engine);
    const dry = await call(engine, 'eventTypes.import', { source: openapi, dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.created.map((c) => c.name)).toEqual(['invoice.finalized', 'customer.deleted', 'subscription.renewed']);
    expect(await catalog(engine)).toEqual(before);
    const real = await call(engine, 'eventTypes.import', { source: openapi });
    expect({ ...real, dryRun: true }).toEqual(dry);
  });

  it('skips a recursive schema and a reference outside the document, saying why, and fetches nothing; plain JSON Schema is kept', async () => {
    const engine = await startEngine();
    const doc = {
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      webhooks: {
        'tree.changed': {
          post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } } },
        },
        'remote.thing': {
          post: {
            requestBody: { content: { 'application/json': { schema: { $ref: 'https://127.0.0.1:9/schema.json' } } } },
          },
        },
        'fine.event': {
          post: {
            requestBody: {
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    'x-internal': true,
                    properties: { note: { type: 'string', nullable: true } },
                  },
                },
              },
            },
          },
        },
      },
      components: {
        schemas: {
          Node: {
            type: 'object',
            properties: { children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } },
          },
        },
      },
    };
    const res = await call(engine, 'eventTypes.import', { source: JSON.stringify(doc) });
    expect(res.created.map((c) => c.name)).toEqual(['fine.event']);
    // x- extensions dropped, OpenAPI 3.0's nullable turned into JSON Schema
    expect((await catalog(engine)).get('fine.event')?.schema).toEqual({
      type: 'object',
      properties: { note: { type: ['string', 'null'] } },
    });
    expect(res.skipped).toEqual([
      { name: 'tree.changed', reason: expect.stringContaining('recursive') },
      { name: 'remote.thing', reason: expect.stringContaining('refers outside the document') },
    ]);
  });

  it.each([
    ['not YAML', 'openapi: [3.1', /not valid YAML or JSON: .* at line 1, column \d+$/],
    ['not YAML either', 'garbage: [\n', /not valid YAML or JSON: .* at line 2, column 1$/],
    ['not a document', '"just a string"', /not an OpenAPI or AsyncAPI object/],
    ['neither format', 'swagger: "2.0"', /not an OpenAPI 3.1 or AsyncAPI 3 document/],
    ['OpenAPI 3.0', 'openapi: 3.0.3\ninfo: { title: t, version: "1" }\npaths: {}', /OpenAPI 3.0.3 has no webhooks/],
    ['no webhooks', 'openapi: 3.1.0\ninfo: { title: t, version: "1" }\npaths: {}', /no webhooks to import/],
    ['AsyncAPI 2', 'asyncapi: 2.6.0\ninfo: { title: t, version: "1" }', /AsyncAPI 2.6.0 is not supported/],
    [
      'a dangling $ref',
      'openapi: 3.1.0\nwebhooks:\n  a.b:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: { $ref: "#/components/schemas/Missing" }',
      /cannot resolve a \$ref: .*Missing/,
    ],
  ])('refuses %s with invalid_input and writes nothing', async (_what, source, message) => {
    const engine = await startEngine();
    const before = await catalog(engine);
    const err = await call(engine, 'eventTypes.import', { source }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HookbenchError);
    expect((err as HookbenchError).code).toBe('invalid_input');
    expect((err as HookbenchError).message).toMatch(message);
    expect((err as HookbenchError).issues?.[0]?.path).toEqual(['source']);
    expect(await catalog(engine)).toEqual(before);
  });
});
