// Unit tests of the shared dispatch path (both transports use it). The handlers here are plain functions: this
// is the one level where the engine is not involved; every other HTTP test runs the real engine.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { callRoute, errorResult } from '../../../src/main/transports/dispatch';
import { type Handlers, HookbenchError } from '../../../src/shared';
import { makeEndpoint } from '../../support/fixtures';

const endpoint = makeEndpoint({ url: 'http://127.0.0.1:9/hook' });

function handlersWith(partial: Partial<Record<string, (input: never) => unknown>>): Handlers {
  return new Proxy({} as Handlers, {
    get: (_t, name: string) =>
      partial[name] ??
      (() => {
        throw new Error(`unexpected call to ${name}`);
      }),
  });
}

describe('callRoute', () => {
  it('rejects an unknown route name as not_found', async () => {
    await expect(callRoute(handlersWith({}), 'nope.nothing', {})).rejects.toMatchObject({ code: 'not_found' });
    // names of Object.prototype are not routes either
    await expect(callRoute(handlersWith({}), 'toString', {})).rejects.toMatchObject({ code: 'not_found' });
  });

  it('parses the input (defaults filled) before the handler sees it, and refuses unknown keys by name', async () => {
    let seen: unknown;
    const h = handlersWith({
      'endpoints.create': (input) => {
        seen = input;
        return { ...endpoint, secret: 'whsec_x' };
      },
    });
    await callRoute(h, 'endpoints.create', { url: 'http://127.0.0.1:9/hook' });
    expect(seen).toMatchObject({
      url: 'http://127.0.0.1:9/hook',
      eventTypes: ['*'],
      scheme: 'standard',
      enabled: true,
    });
    seen = undefined;
    await expect(callRoute(h, 'endpoints.create', { url: 'http://127.0.0.1:9/hook', bogus: 1 })).rejects.toMatchObject({
      code: 'invalid_input',
      issues: [{ path: ['bogus'], message: 'unknown key "bogus"', code: 'unrecognized_keys' }],
    });
    expect(seen).toBeUndefined();
  });

  it('turns a bad input into invalid_input with issues, without calling the handler', async () => {
    let called = false;
    const h = handlersWith({
      'endpoints.create': () => {
        called = true;
        return endpoint;
      },
    });
    const err = await callRoute(h, 'endpoints.create', { url: 'ftp://x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HookbenchError);
    expect(err).toMatchObject({ code: 'invalid_input' });
    expect((err as HookbenchError).issues?.[0]?.path).toEqual(['url']);
    expect(called).toBe(false);
    await expect(callRoute(h, 'endpoints.create', null)).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('strips fields outside the output contract', async () => {
    const h = handlersWith({ 'endpoints.get': () => ({ ...endpoint, secret: 'whsec_leak', secretSealed: 'x' }) });
    const out = await callRoute(h, 'endpoints.get', { id: 'ep_1' });
    expect(out).toEqual(endpoint);
    expect(out).not.toHaveProperty('secret');
  });

  it('reports a handler output that breaks the contract as internal, not as the caller’s fault', async () => {
    const h = handlersWith({ 'endpoints.get': () => ({ id: 'ep_1' }) });
    const err = await callRoute(h, 'endpoints.get', { id: 'ep_1' }).catch((e: unknown) => e);
    expect(errorResult(err)).toEqual({ status: 500, body: { code: 'internal', message: 'Internal error' } });
  });

  it('passes a handler’s HookbenchError through', async () => {
    const h = handlersWith({
      'endpoints.get': () => {
        throw new HookbenchError('not_found', 'Endpoint ep_1 not found');
      },
    });
    const err = await callRoute(h, 'endpoints.get', { id: 'ep_1' }).catch((e: unknown) => e);
    expect(errorResult(err)).toEqual({ status: 404, body: { code: 'not_found', message: 'Endpoint ep_1 not found' } });
  });
});

describe('errorResult', () => {
  it('maps codes to statuses and hides unexpected errors', () => {
    const logged: unknown[] = [];
    const log = { debug() {}, info() {}, warn() {}, error: (m: string, f?: unknown) => logged.push([m, f]) };
    expect(errorResult(new HookbenchError('conflict', 'x')).status).toBe(409);
    expect(errorResult(new HookbenchError('payload_too_large', 'x')).status).toBe(413);
    const zodErr = z.object({ a: z.string() }).safeParse({}).error;
    expect(errorResult(zodErr)).toMatchObject({ status: 400, body: { code: 'invalid_input' } });
    const secret = new Error('SQLITE_CORRUPT at /home/me/db');
    const res = errorResult(secret, log, 'endpoints.get');
    expect(res).toEqual({ status: 500, body: { code: 'internal', message: 'Internal error' } });
    expect(JSON.stringify(res)).not.toContain('SQLITE');
    expect(logged).toHaveLength(1);
  });
});
