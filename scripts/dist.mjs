// `npm run dist [-- electron-builder flags]`: builds out/ and the installers of electron-builder.yml for this
// platform (or the targets given). electron-builder needs Electron's binaries and headers for the target (it
// downloads and caches them); on a machine that cannot download them this fails with one line saying so, not a
// page of stack traces. electron-builder rebuilds better-sqlite3 for Electron inside node_modules (npmRebuild),
// which would leave `npm test` and the CLI with a binary Node cannot load: the Node build is put back afterwards.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NETWORK =
  /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|getaddrinfo|socket hang up|tunneling socket)\b|cannot download|unable to download|status code (403|404|407)/i;

/** One line for a failed electron-builder run whose output says a download failed; null for any other failure. */
export function downloadFailureLine(output, { electronVersion, platform, arch }) {
  if (!NETWORK.test(output)) return null;
  return (
    `dist: could not download Electron ${electronVersion} (${platform}-${arch}) binaries or headers; installers ` +
    'need them: run on a machine with network access to GitHub and electronjs.org, or set ELECTRON_MIRROR or ' +
    'ELECTRON_BUILDER_CACHE to where they are'
  );
}

function main() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
  const build = spawnSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);

  const nodeBinding = join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  const backupDir = mkdtempSync(join(tmpdir(), 'hookbench-dist-'));
  const backup = join(backupDir, 'better_sqlite3.node');
  if (existsSync(nodeBinding)) copyFileSync(nodeBinding, backup);
  let res;
  try {
    res = spawnSync(
      process.execPath,
      [
        'node_modules/electron-builder/cli.js',
        '--config',
        'electron-builder.yml',
        '--publish',
        'never',
        ...process.argv.slice(2),
      ],
      { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
  } finally {
    if (existsSync(backup)) copyFileSync(backup, nodeBinding);
    rmSync(backupDir, { recursive: true, force: true });
  }
  const output = `${res.stdout ?? ''}${res.stderr ?? ''}${res.error ? String(res.error) : ''}`;
  if (res.status === 0) {
    process.stdout.write(output);
    return;
  }
  const line = downloadFailureLine(output, { electronVersion, platform: process.platform, arch: process.arch });
  if (line) {
    console.error(line);
  } else {
    process.stderr.write(output);
    console.error(`dist: electron-builder failed (exit ${res.status ?? res.signal})`);
  }
  process.exit(1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
