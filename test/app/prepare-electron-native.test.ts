// How `npm start` prepares the Electron build of better-sqlite3: with a scripted runner (no network, no
// compiler), and the real script against a proxy that refuses every connection, as on a machine without internet.
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as lib from '../../scripts/electron-native-lib.mjs';
import {
  NATIVE_BINDING_ENV,
  nativeBuildDir,
  resolveNativeBinding,
  STAMP_FILE,
} from '../../src/main/app/native-binding';

const repo = resolve(__dirname, '../..');
const temps: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'hookbench-native-'));
  temps.push(d);
  return d;
};
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

const target = { electronVersion: '45.5.0', betterSqliteVersion: '12.9.0', platform: 'linux', arch: 'x64' };

/** A project with a fake node_modules/better-sqlite3 whose Node build must survive untouched. */
function fakeProject() {
  const root = tempDir();
  const pkg = join(root, 'node_modules', 'better-sqlite3');
  mkdirSync(join(pkg, 'build', 'Release'), { recursive: true });
  mkdirSync(join(pkg, 'deps'), { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'better-sqlite3', version: '12.9.0' }));
  writeFileSync(join(pkg, 'deps', 'sqlite3.c'), '/* sqlite */');
  writeFileSync(join(pkg, 'build', 'Release', 'better_sqlite3.node'), 'NODE-ABI-BUILD');
  return { root, nodeBinding: join(pkg, 'build', 'Release', 'better_sqlite3.node') };
}

type Run = (cmd: string, args: string[], o: { cwd: string; phase: string }) => { ok: boolean; detail?: string };

function prepare(root: string, run: Run, over: Partial<typeof target> = {}) {
  return lib.prepareElectronNative({
    projectRoot: root,
    ...target,
    ...over,
    execPath: process.execPath,
    env: {},
    run,
    log: () => {},
  });
}

describe('prepareElectronNative', () => {
  it('builds in a copy without the Node build, falls back to source, stamps it, and then reuses it', () => {
    const { root, nodeBinding } = fakeProject();
    const phases: string[] = [];
    const run: Run = (_cmd, _args, { cwd, phase }) => {
      phases.push(phase);
      // the copy has the sources but not node_modules' Node-ABI build
      expect(existsSync(join(cwd, 'deps', 'sqlite3.c'))).toBe(true);
      expect(existsSync(join(cwd, 'build'))).toBe(false);
      if (phase === 'prebuild') return { ok: false, detail: 'getaddrinfo ENOTFOUND github.com' };
      mkdirSync(join(cwd, 'build', 'Release'), { recursive: true });
      writeFileSync(join(cwd, 'build', 'Release', 'better_sqlite3.node'), 'ELECTRON-ABI-BUILD');
      return { ok: true };
    };
    const first = prepare(root, run);
    expect(first).toMatchObject({ status: 'built', via: 'source' });
    expect(phases).toEqual(['prebuild', 'source']);
    expect(readFileSync(first.binding, 'utf8')).toBe('ELECTRON-ABI-BUILD');
    expect(readFileSync(nodeBinding, 'utf8')).toBe('NODE-ABI-BUILD');

    // what the app then loads
    const picked = resolveNativeBinding({
      ...target,
      projectRoot: root,
      exists: existsSync,
      readText: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : null),
    });
    expect(picked).toBe(first.binding);

    const again = prepare(root, () => {
      throw new Error('must not rebuild an up-to-date build');
    });
    expect(again.status).toBe('up-to-date');

    // a new better-sqlite3 makes it rebuild
    const rebuilt: string[] = [];
    const upgraded = prepare(
      root,
      (cmd, args, o) => {
        rebuilt.push(o.phase);
        return run(cmd, args, o);
      },
      { betterSqliteVersion: '12.10.0' },
    );
    expect(upgraded.status).toBe('built');
    expect(rebuilt).toEqual(['prebuild', 'source']);
  });

  it('uses the prebuilt binary when the download works', () => {
    const { root } = fakeProject();
    const res = prepare(root, (_c, _a, { cwd, phase }) => {
      expect(phase).toBe('prebuild');
      mkdirSync(join(cwd, 'build', 'Release'), { recursive: true });
      writeFileSync(join(cwd, 'build', 'Release', 'better_sqlite3.node'), 'PREBUILT');
      return { ok: true };
    });
    expect(res).toMatchObject({ status: 'built', via: 'prebuild' });
  });

  it('offline: fails with a message naming both reasons, writes no stamp, changes nothing in node_modules', () => {
    const { root, nodeBinding } = fakeProject();
    const run: Run = (_c, _a, { phase }) => ({
      ok: false,
      detail: phase === 'prebuild' ? 'getaddrinfo ENOTFOUND github.com' : 'exited with 1',
    });
    let err: unknown;
    try {
      prepare(root, run);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(lib.PrepareError);
    const msg = (err as Error).message;
    expect(msg).toContain('Could not prepare better-sqlite3 12.9.0 for Electron 45.5.0 (linux-x64).');
    expect(msg).toContain('prebuilt binary: getaddrinfo ENOTFOUND github.com');
    expect(msg).toContain('build from source: exited with 1');
    expect(msg).toMatch(/internet access/);
    expect(existsSync(join(nativeBuildDir(root, '45.5.0'), STAMP_FILE))).toBe(false);
    expect(readFileSync(nodeBinding, 'utf8')).toBe('NODE-ABI-BUILD');
  });

  it('a step that exits 0 without producing the binding counts as a failure', () => {
    const { root } = fakeProject();
    expect(() => prepare(root, () => ({ ok: true }))).toThrow(
      /finished without producing build\/Release\/better_sqlite3\.node/,
    );
  });

  it('says to run npm ci when better-sqlite3 is not installed', () => {
    expect(() => prepare(tempDir(), () => ({ ok: true }))).toThrow(/npm ci/);
  });
});

describe('scripts/prepare-electron-native.mjs without a network', () => {
  it('exits 1 with the explanation, not a stack trace, and leaves node_modules alone', async () => {
    // a throwaway project that uses the real node_modules (prebuild-install, better-sqlite3, electron's version)
    const root = tempDir();
    mkdirSync(join(root, 'scripts'));
    for (const f of ['prepare-electron-native.mjs', 'electron-native-lib.mjs']) {
      copyFileSync(join(repo, 'scripts', f), join(root, 'scripts', f));
    }
    symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir');
    const nodeBinding = join(repo, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    const before = readFileSync(nodeBinding);
    // Every download goes to a port that refuses connections; caches are empty temp dirs, so a machine that
    // did build this before cannot turn the test into a real (minutes-long) build.
    const refuse = 'http://127.0.0.1:9';
    const env: Record<string, string | undefined> = {
      ...process.env,
      npm_config_proxy: refuse,
      npm_config_https_proxy: refuse,
      http_proxy: refuse,
      https_proxy: refuse,
      HTTP_PROXY: refuse,
      HTTPS_PROXY: refuse,
      no_proxy: '',
      NO_PROXY: '',
      npm_config_better_sqlite3_binary_host: refuse,
      npm_config_cache: join(root, 'npm-cache'),
      npm_config_devdir: join(root, 'gyp'),
      npm_config_node_gyp: undefined,
      [NATIVE_BINDING_ENV]: undefined,
    };
    const res = await runScript(join(root, 'scripts', 'prepare-electron-native.mjs'), root, env);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('prepare-electron-native: Could not prepare better-sqlite3');
    expect(res.stderr).toMatch(/prebuilt binary: .*ECONNREFUSED|prebuilt binary: .*127\.0\.0\.1/);
    expect(res.stderr).toContain('Nothing in node_modules was changed');
    expect(res.stderr).not.toMatch(/^\s+at .*\.mjs:\d+/m);
    expect(existsSync(join(nativeBuildDir(root, readVersion('electron')), STAMP_FILE))).toBe(false);
    expect(readFileSync(nodeBinding).equals(before)).toBe(true);
    expect(dirname(nodeBinding)).toContain('node_modules');
  });
});

/**
 * Runs the script in its own process group, so that if anything goes wrong (a real compile starting) the whole
 * group we started — node-gyp, make, the compiler — is killed by its id, not left running.
 */
function runScript(script: string, cwd: string, env: Record<string, string | undefined>) {
  return new Promise<{ status: number | null; stderr: string }>((done) => {
    const child = spawn(process.execPath, [script], {
      cwd,
      env: env as NodeJS.ProcessEnv,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, 100_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, stderr });
    });
  });
}

function readVersion(pkg: string): string {
  return JSON.parse(readFileSync(join(repo, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}
