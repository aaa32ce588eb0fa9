// The preload as Electron loads it: built with the project's own electron.vite.config.ts (into a temp dir, not
// out/), it must be ONE CommonJS file that requires nothing but `electron` (a sandboxed preload can do no more),
// and it must expose exactly `window.hookbench = { call, on }`.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Script } from 'node:vm';
import { resolveConfig } from 'electron-vite';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPC_CALL } from '../../src/shared';

const ROOT = resolve(__dirname, '../..');
let outDir = '';
let code = '';

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'hookbench-preload-'));
  const resolved = await resolveConfig(
    { configFile: join(ROOT, 'electron.vite.config.ts'), root: ROOT },
    'build',
    'production',
  );
  const preload = resolved.config?.preload;
  if (!preload) throw new Error('electron.vite.config.ts has no preload section');
  await build({ ...preload, logLevel: 'silent', build: { ...preload.build, outDir, emptyOutDir: true } });
  code = readFileSync(join(outDir, 'index.cjs'), 'utf8');
}, 120_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

/** Evaluates the bundle as Electron's sandboxed preload loader would: CommonJS with a `require` for electron only. */
function load(ipcRenderer: object) {
  const exposed: Record<string, unknown> = {};
  const required: string[] = [];
  const requireFn = (id: string) => {
    required.push(id);
    if (id !== 'electron') throw new Error(`a sandboxed preload cannot require ${id}`);
    return { contextBridge: { exposeInMainWorld: (k: string, v: unknown) => (exposed[k] = v) }, ipcRenderer };
  };
  const module = { exports: {} };
  const fn = new Script(`(function (exports, require, module) {\n${code}\n})`, {
    filename: 'index.cjs',
  }).runInThisContext();
  fn(module.exports, requireFn, module);
  return { exposed, required };
}

describe('built preload', () => {
  it('is a single CommonJS file', () => {
    expect(readdirSync(outDir)).toEqual(['index.cjs']);
    // a static import/export would not even compile as a script
    expect(() => new Script(`(function (exports, require, module) {\n${code}\n})`)).not.toThrow();
  });

  it('requires only electron and exposes only { call, on } as window.hookbench', async () => {
    const invoked: unknown[][] = [];
    const { exposed, required } = load({
      invoke: async (...args: unknown[]) => {
        invoked.push(args);
        return { ok: true, data: 'pong' };
      },
      on() {},
      removeListener() {},
    });
    expect([...new Set(required)]).toEqual(['electron']);
    expect(Object.keys(exposed)).toEqual(['hookbench']);
    const bridge = exposed.hookbench as { call: (r: string, i: unknown) => Promise<unknown> };
    expect(Object.keys(bridge).sort()).toEqual(['call', 'on']);
    expect(await bridge.call('system.health', {})).toEqual({ ok: true, data: 'pong' });
    expect(await bridge.call('no.such.route', {})).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(invoked).toEqual([[IPC_CALL, 'system.health', {}]]);
  });
});
