// Event-type schemas checked by the engine's Ajv (2020-12 + formats): a schema must compile, an example must fit
// it, and events.create checks data against its type's schema (422 schema_violation) unless validate is false.
import { describe, expect, it } from 'vitest';
import { httpStatusOf } from '../../src/shared';
import { call, startEngine } from '../support/engine';

const orderSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['id', 'total'],
  properties: {
    id: { type: 'string' },
    total: { type: 'integer', minimum: 0 },
    email: { type: 'string', format: 'email' },
    lines: { type: 'array', items: { type: 'object', required: ['sku'] } },
  },
};

describe('event type schemas', () => {
  it('refuses a schema that does not compile and an example that breaks it, storing neither', async () => {
    const engine = await startEngine({ dispatch: false });
    await expect(
      call(engine, 'eventTypes.create', { name: 'bad.schema', schema: { type: 'notatype' } }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('does not compile'),
      issues: [expect.objectContaining({ path: ['schema'] })],
    });
    await expect(
      call(engine, 'eventTypes.create', { name: 'bad.example', schema: orderSchema, example: { id: 'o1', total: -1 } }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      issues: [expect.objectContaining({ path: ['example', 'total'], instancePath: '/total' })],
    });
    const names = (await call(engine, 'eventTypes.list', {})).data.map((t) => t.name);
    expect(names).not.toContain('bad.schema');
    expect(names).not.toContain('bad.example');
    await call(engine, 'eventTypes.create', {
      name: 'order.placed',
      schema: orderSchema,
      example: { id: 'o1', total: 5 },
    });
    // an update is checked as merged: a new schema must still accept the stored example
    await expect(
      call(engine, 'eventTypes.update', {
        name: 'order.placed',
        schema: { ...orderSchema, required: ['id', 'total', 'email'] },
      }),
    ).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ['example'] })] });
  });

  it('checks data on events.create: 422 schema_violation with each issue, nothing written; validate:false sends it', async () => {
    const engine = await startEngine({ dispatch: false });
    await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/hook' });
    await call(engine, 'eventTypes.create', {
      name: 'order.placed',
      schema: orderSchema,
      example: { id: 'o1', total: 5 },
    });

    const bad = { id: 7, email: 'not-an-email', lines: [{}] };
    const err = await call(engine, 'events.create', { type: 'order.placed', data: bad }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'schema_violation', message: expect.stringContaining('"validate": false') });
    expect(httpStatusOf.schema_violation).toBe(422);
    const issues = (err as { issues: Array<{ instancePath: string; path: unknown[]; code: string }> }).issues;
    expect(issues.map((i) => [i.instancePath, i.code]).sort()).toEqual(
      [
        ['', 'required'],
        ['/email', 'format'],
        ['/id', 'type'],
        ['/lines/0', 'required'],
      ].sort(),
    );
    expect(issues.find((i) => i.instancePath === '/lines/0')?.path).toEqual(['data', 'lines', 0]);
    expect((await call(engine, 'events.list', {})).data).toEqual([]);

    const sent = await call(engine, 'events.create', { type: 'order.placed', data: bad, validate: false });
    expect(sent.deliveries).toHaveLength(1);
    const good = await call(engine, 'events.create', { type: 'order.placed', data: { id: 'o2', total: 3 } });
    expect(good.deliveries).toHaveLength(1);
    // a type without a schema (or not in the catalog) is not checked
    expect((await call(engine, 'events.create', { type: 'anything.goes', data: [1, 2] })).type).toBe('anything.goes');
  });

  it('uses the new schema at once after an update, and forgets a deleted type', async () => {
    const engine = await startEngine({ dispatch: false });
    await call(engine, 'eventTypes.create', {
      name: 'order.placed',
      schema: orderSchema,
      example: { id: 'o1', total: 5 },
    });
    await expect(call(engine, 'events.create', { type: 'order.placed', data: { id: 'x' } })).rejects.toMatchObject({
      code: 'schema_violation',
    });
    await call(engine, 'eventTypes.update', { name: 'order.placed', schema: { type: 'object' } });
    expect((await call(engine, 'events.create', { type: 'order.placed', data: { id: 'x' } })).type).toBe(
      'order.placed',
    );
    await call(engine, 'eventTypes.update', { name: 'order.placed', schema: orderSchema });
    await expect(call(engine, 'events.create', { type: 'order.placed', data: { id: 'x' } })).rejects.toMatchObject({
      code: 'schema_violation',
    });
    await call(engine, 'eventTypes.delete', { name: 'order.placed' });
    expect((await call(engine, 'events.create', { type: 'order.placed', data: { id: 'x' } })).type).toBe(
      'order.placed',
    );
  });

  it('answers the composer through eventTypes.validate with the same validator', async () => {
    const engine = await startEngine({ dispatch: false });
    const v = await call(engine, 'eventTypes.validate', { type: 'user.created', data: { object: { id: 'u1' } } });
    expect(v.checked).toBe(true);
    expect(v.valid).toBe(false);
    expect(v.issues.every((i) => i.instancePath === '/object' && i.keyword === 'required')).toBe(true);
    const example = (await call(engine, 'eventTypes.list', {})).data.find((t) => t.name === 'user.created')?.example;
    expect(await call(engine, 'eventTypes.validate', { type: 'user.created', data: example })).toEqual({
      checked: true,
      valid: true,
      schemaError: null,
      issues: [],
    });
    await expect(call(engine, 'eventTypes.validate', { data: {} })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
