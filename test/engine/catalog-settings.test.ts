// Event type catalog, settings and status.
import { describe, expect, it } from 'vitest';
import { SchemaCheck } from '../../src/main/engine/catalog/schema-check';
import { defaultSettings } from '../../src/shared';
import { call, startEngine } from '../support/engine';

describe('eventTypes', () => {
  it('ships four built-ins with a draft 2020-12 schema and an example that fits it', async () => {
    const engine = await startEngine({ dispatch: false });
    const { data } = await call(engine, 'eventTypes.list', {});
    const builtIns = data.filter((t) => t.builtIn);
    expect(builtIns.map((t) => t.name).sort()).toEqual([
      'invoice.paid',
      'order.shipped',
      'payment.completed',
      'user.created',
    ]);
    // the engine's own validator (Ajv 2020-12 with formats, so date-time and email are checked, not warned about)
    const check = new SchemaCheck();
    for (const t of builtIns) {
      expect(t.schema?.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(SchemaCheck.issues(check.compile(t.schema!), t.example), t.name).toEqual([]);
    }
  });

  it('creates, updates and deletes custom types; built-ins cannot be deleted', async () => {
    const engine = await startEngine({ dispatch: false });
    const t = await call(engine, 'eventTypes.create', {
      name: 'refund.issued',
      description: 'money back',
      example: { a: 1 },
    });
    expect(t).toMatchObject({ name: 'refund.issued', builtIn: false, schema: null, example: { a: 1 } });
    await expect(call(engine, 'eventTypes.create', { name: 'refund.issued' })).rejects.toMatchObject({
      code: 'conflict',
    });
    const up = await call(engine, 'eventTypes.update', { name: 'refund.issued', schema: { type: 'object' } });
    expect(up).toMatchObject({ description: 'money back', schema: { type: 'object' } });
    expect(await call(engine, 'eventTypes.delete', { name: 'refund.issued' })).toEqual({
      id: 'refund.issued',
      deleted: true,
    });
    await expect(call(engine, 'eventTypes.delete', { name: 'refund.issued' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(call(engine, 'eventTypes.delete', { name: 'invoice.paid' })).rejects.toMatchObject({
      code: 'conflict',
    });
    expect((await call(engine, 'eventTypes.update', { name: 'invoice.paid', description: 'edited' })).description).toBe(
      'edited',
    );
  });
});

describe('settings', () => {
  it('starts at the defaults, deep-merges patches, persists them', async () => {
    const engine = await startEngine({ dispatch: false });
    expect(await call(engine, 'settings.get', {})).toEqual(defaultSettings);
    const seen: unknown[] = [];
    engine.on('settings.updated', (p) => seen.push(p));
    const next = await call(engine, 'settings.update', { retry: { maxAttempts: 3 }, concurrency: 4 });
    expect(next).toEqual({ ...defaultSettings, retry: { ...defaultSettings.retry, maxAttempts: 3 }, concurrency: 4 });
    expect(seen).toEqual([{}]);
    await engine.stop();
    const again = await startEngine({ dispatch: false, dbPath: engine.dbPath });
    expect(await call(again, 'settings.get', {})).toEqual(next);
  });

  it('validates the merged result and writes nothing when it is invalid', async () => {
    const engine = await startEngine({ dispatch: false });
    // each part is valid alone; together maxDelayMs < initialDelayMs
    await expect(call(engine, 'settings.update', { retry: { maxDelayMs: 1_000 } })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(call(engine, 'settings.update', { concurrency: 0 })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await call(engine, 'settings.get', {})).toEqual(defaultSettings);
  });
});

describe('system', () => {
  it('health and status', async () => {
    const engine = await startEngine({ dispatch: false });
    expect(await call(engine, 'system.health', {})).toEqual({
      ok: true,
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
    const ep = await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/' });
    await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/', enabled: false });
    await call(engine, 'events.create', { type: 'a.b', data: {} });
    await call(engine, 'events.create', { type: 'a.b', data: {} });
    const s = await call(engine, 'system.status', {});
    expect(s).toMatchObject({
      running: true,
      queue: { pending: 2, sending: 0, paused: 0, failed: 0 },
      endpoints: { total: 2, disabled: 1, failing: 0 },
      inboxBaseUrl: null,
    });
    await call(engine, 'endpoints.disable', { id: ep.id });
    expect((await call(engine, 'system.status', {})).queue).toMatchObject({ pending: 0, paused: 2 });
  });
});
