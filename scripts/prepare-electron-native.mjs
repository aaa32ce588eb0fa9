// `npm start` runs this before `electron-vite preview`: it builds better-sqlite3 for Electron's ABI in
// .electron-native/ (once per Electron and better-sqlite3 version) and leaves node_modules' Node build alone.
// Exit 0 when the Electron build is ready, 1 with a plain explanation when it cannot be made (e.g. offline).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEnv, lastLine, PrepareError, prepareElectronNative } from './electron-native-lib.mjs';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

function versionOf(pkg) {
  try {
    return JSON.parse(readFileSync(join(projectRoot, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    console.error(`prepare-electron-native: node_modules/${pkg} is missing; run \`npm ci\` first.`);
    process.exit(1);
  }
}

/** Runs a step; prebuild-install's chatter is kept for the error message, a compile shows its progress. */
function run(cmd, args, { cwd, phase }) {
  const quiet = phase === 'prebuild';
  const res = spawnSync(cmd, args, {
    cwd,
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    encoding: 'utf8',
    // a download that hangs on a dead network must not hang `npm start`
    timeout: quiet ? 120_000 : 30 * 60_000,
    env: buildEnv(process.env),
  });
  if (res.error) return { ok: false, detail: res.error.message };
  if (res.status === 0) return { ok: true };
  const why = quiet ? lastLine(`${res.stdout}\n${res.stderr}`) : '';
  return { ok: false, detail: why || `exited with ${res.status ?? res.signal} (its errors are above)` };
}

if (process.env.HOOKBENCH_NATIVE_BINDING) {
  console.log(`prepare-electron-native: using HOOKBENCH_NATIVE_BINDING=${process.env.HOOKBENCH_NATIVE_BINDING}`);
  process.exit(0);
}

try {
  const result = prepareElectronNative({
    projectRoot,
    electronVersion: versionOf('electron'),
    betterSqliteVersion: versionOf('better-sqlite3'),
    platform: process.platform,
    arch: process.arch,
    execPath: process.execPath,
    env: process.env,
    run,
    log: (line) => console.log(line),
  });
  const how = result.status === 'built' ? `built (${result.via})` : 'up to date';
  console.log(`prepare-electron-native: Electron build of better-sqlite3 ${how}: ${result.binding}`);
} catch (err) {
  if (!(err instanceof PrepareError)) throw err;
  console.error(`prepare-electron-native: ${err.message}`);
  process.exitCode = 1;
}
