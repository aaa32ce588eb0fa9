// registerIpc against a fake ipcMain and a small handlers object (the engine end to end is in engine-ipc.test.ts).
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTrustedSenderCheck, registerIpc } from '../../../src/main/transports/ipc';
import { type CallResult, type Handlers, IPC_CALL, notFound } from '../../../src/shared';
import { recordingLog } from '../../support/log';
import { childFrame, FakeIpcMain, topFrame } from './fakes';

const rendererFile = '/app/out/renderer/index.html';
const appUrl = pathToFileURL(rendererFile).href;
const trusted = { senderFrame: topFrame(`${appUrl}#/endpoints`) };

function setup() {
  const calls: Array<{ route: string; input: unknown }> = [];
  const handlers = {
    'system.health': (input: unknown) => {
      calls.push({ route: 'system.health', input });
      // a field outside the contract, which must not reach the renderer
      return { ok: true, version: '9.9.9', internalPath: '/secret/place' };
    },
    'endpoints.get': (input: { id: string }) => {
      calls.push({ route: 'endpoints.get', input });
      throw notFound('Endpoint', input.id);
    },
    'events.list': () => {
      calls.push({ route: 'events.list', input: null });
      throw new Error('SQLITE_CORRUPT: database disk image is malformed at /home/u/db');
    },
  } as unknown as Handlers;
  const log = recordingLog();
  const errors = log.entries;
  const ipc = new FakeIpcMain();
  const dispose = registerIpc(ipc, handlers, createTrustedSenderCheck({ rendererFile }), { log });
  const call = (event: { senderFrame: ReturnType<typeof topFrame> | null }, ...args: unknown[]) =>
    ipc.invoke(IPC_CALL, event, ...args) as Promise<CallResult>;
  return { ipc, dispose, calls, errors, call };
}

describe('registerIpc', () => {
  it('registers exactly one channel and removes it on dispose', () => {
    const { ipc, dispose } = setup();
    expect([...ipc.handlers.keys()]).toEqual([IPC_CALL]);
    dispose();
    expect(ipc.handlers.size).toBe(0);
  });

  it('resolves a trusted call to { ok: true, data } with the output parsed by the contract', async () => {
    const { call, calls } = setup();
    const res = await call(trusted, 'system.health', {});
    expect(res).toEqual({ ok: true, data: { ok: true, version: '9.9.9' } });
    expect(calls).toEqual([{ route: 'system.health', input: {} }]);
  });

  it('treats a missing input as {}', async () => {
    const { call } = setup();
    expect(await call(trusted, 'system.health')).toMatchObject({ ok: true });
  });

  it('rejects an untrusted frame with forbidden, without calling the handler', async () => {
    const { call, calls } = setup();
    for (const senderFrame of [
      topFrame('https://evil.example/'),
      childFrame(appUrl, appUrl),
      topFrame('file:///tmp/x.html'),
    ]) {
      const res = await call({ senderFrame }, 'system.health', {});
      expect(res).toEqual({ ok: false, error: { code: 'forbidden', message: expect.any(String) } });
    }
    expect(calls).toEqual([]);
  });

  it('rejects a null senderFrame (a frame that navigated away or was destroyed)', async () => {
    const { call, calls } = setup();
    const res = await call({ senderFrame: null }, 'system.health', {});
    expect(res.ok).toBe(false);
    expect(!res.ok && res.error.code).toBe('forbidden');
    expect(calls).toEqual([]);
  });

  it('answers bad input with invalid_input and its issues, without calling the handler', async () => {
    const { call, calls } = setup();
    const res = await call(trusted, 'endpoints.get', { id: 'has spaces and / slashes' });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe('invalid_input');
    expect(res.error.issues?.[0]?.path).toEqual(['id']);
    expect(calls).toEqual([]);

    const strict = await call(trusted, 'system.health', { unexpected: 1 });
    expect(!strict.ok && strict.error.code).toBe('invalid_input');
  });

  it('maps a not-found thrown by the handler to not_found with its message', async () => {
    const { call } = setup();
    expect(await call(trusted, 'endpoints.get', { id: 'ep_missing' })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'Endpoint ep_missing not found' },
    });
  });

  it('answers an unknown route with not_found and a non-string route with invalid_input', async () => {
    const { call, calls } = setup();
    const unknown = await call(trusted, 'endpoints.drop', {});
    expect(!unknown.ok && unknown.error).toEqual({ code: 'not_found', message: 'Unknown route endpoints.drop' });
    const proto = await call(trusted, '__proto__', {});
    expect(!proto.ok && proto.error.code).toBe('not_found');
    const notString = await call(trusted, { name: 'system.health' }, {});
    expect(!notString.ok && notString.error.code).toBe('invalid_input');
    expect(calls).toEqual([]);
  });

  it('turns an unexpected error into internal without leaking its message, and logs it with the route', async () => {
    const { call, errors } = setup();
    const res = await call(trusted, 'events.list', {});
    expect(res).toEqual({ ok: false, error: { code: 'internal', message: 'Internal error' } });
    expect(JSON.stringify(res)).not.toContain('SQLITE');
    expect(errors.map((e) => e.level)).toEqual(['error']);
    expect(errors[0]?.fields).toMatchObject({ route: 'events.list', error: expect.stringContaining('SQLITE_CORRUPT') });
  });

  it('resolves to plain values that survive structured cloning (what Electron does to the result)', async () => {
    const { call } = setup();
    const res = await call(trusted, 'endpoints.get', { id: 'ep_1' });
    expect(structuredClone(res)).toEqual(res);
  });
});
