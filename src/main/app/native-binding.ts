// Which better-sqlite3 binary the Electron app loads. node_modules holds the Node-ABI build (tests, CLI); the
// Electron-ABI build is prepared by scripts/prepare-electron-native.mjs (run by `npm start`) under
// .electron-native/ and passed to better-sqlite3 as `nativeBinding`. Keep this layout in step with
// scripts/electron-native-lib.mjs (test/app/native-binding.test.ts checks that they agree).
// Two other places: a packaged app, whose node_modules electron-builder rebuilt for Electron and whose `.node`
// file is unpacked beside app.asar (asarUnpack in electron-builder.yml), and the main bundle run under plain Node
// (the desktop suite's electron stand-in), where node_modules' own build is the right one.
import { join } from 'node:path';

export const NATIVE_ROOT = '.electron-native';
export const STAMP_FILE = 'hookbench-native.json';
export const NATIVE_BINDING_ENV = 'HOOKBENCH_NATIVE_BINDING';

export interface ResolveNativeBindingOptions {
  /** process.versions.electron; undefined when the main bundle runs under plain Node */
  electronVersion: string | undefined;
  /** version of the better-sqlite3 package the engine imports */
  betterSqliteVersion: string;
  /** where .electron-native/ lives (app.getAppPath()) */
  projectRoot: string;
  /** process.platform / process.arch of the running app (they are part of the stamp) */
  platform: string;
  arch: string;
  /** set in a packaged app (app.isPackaged): process.resourcesPath, where app.asar.unpacked lives */
  resourcesPath?: string | undefined;
  /** environment, for the HOOKBENCH_NATIVE_BINDING override */
  env?: Record<string, string | undefined>;
  exists(path: string): boolean;
  /** reads the stamp; null when unreadable */
  readText(path: string): string | null;
}

export class NativeBindingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NativeBindingError';
  }
}

export function nativeBuildDir(projectRoot: string, electronVersion: string): string {
  return join(projectRoot, NATIVE_ROOT, `better-sqlite3-${electronVersion}`);
}

export function nativeBindingPath(buildDir: string): string {
  return join(buildDir, 'build', 'Release', 'better_sqlite3.node');
}

/** better-sqlite3's addon in a packaged app: electron-builder built it for Electron and unpacked it from the asar. */
export function packagedBindingPath(resourcesPath: string): string {
  return join(
    resourcesPath,
    'app.asar.unpacked',
    'node_modules',
    'better-sqlite3',
    'build',
    'Release',
    'better_sqlite3.node',
  );
}

/**
 * The `.node` file to pass as better-sqlite3's `nativeBinding`, or a NativeBindingError saying how to get one;
 * undefined under plain Node, where better-sqlite3 finds its own build.
 */
export function resolveNativeBinding(opts: ResolveNativeBindingOptions): string | undefined {
  const override = opts.env?.[NATIVE_BINDING_ENV];
  if (override) {
    if (!opts.exists(override))
      throw new NativeBindingError(`${NATIVE_BINDING_ENV} points to ${override}, which does not exist.`);
    return override;
  }
  if (opts.electronVersion === undefined) return undefined;
  if (opts.resourcesPath !== undefined) {
    const packaged = packagedBindingPath(opts.resourcesPath);
    // a packaged app cannot prepare anything: a missing addon means a broken installer, said plainly
    if (!opts.exists(packaged))
      throw new NativeBindingError(`This installation is incomplete: ${packaged} is missing.`);
    return packaged;
  }
  const dir = nativeBuildDir(opts.projectRoot, opts.electronVersion);
  const binding = nativeBindingPath(dir);
  const what = `better-sqlite3 ${opts.betterSqliteVersion} for Electron ${opts.electronVersion} (${opts.platform}-${opts.arch})`;
  if (!opts.exists(binding)) {
    throw new NativeBindingError(`No build of ${what} at ${binding}. Run \`npm start\`, which prepares it.`);
  }
  const stamp = parseStamp(opts.readText(join(dir, STAMP_FILE)));
  const current =
    stamp !== null &&
    stamp.electron === opts.electronVersion &&
    stamp.betterSqlite3 === opts.betterSqliteVersion &&
    stamp.platform === opts.platform &&
    stamp.arch === opts.arch;
  if (!current) {
    // loading a binary built against other headers can crash the process, so a stale build is refused outright
    throw new NativeBindingError(`The build at ${binding} is not for ${what}. Run \`npm start\`, which prepares it.`);
  }
  return binding;
}

function parseStamp(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
