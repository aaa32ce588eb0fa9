// `npm test`: every vitest project, then the Playwright end-to-end suite in Chromium (scripts/browser.mjs picks it).
// Prints one plain closing line `N passed, N failed` with the real totals and exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeBrowser, resolveBrowser } from './browser.mjs';

const dir = mkdtempSync(join(tmpdir(), 'hookbench-test-'));
const extra = process.argv.slice(2);
let passed = 0;
let failed = 0;
let exitCode = 0;

function run(cmd, args, env = {}) {
  const res = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (res.status !== 0) exitCode = 1;
  return res.status;
}

// vitest
const vitestJson = join(dir, 'vitest.json');
run(process.execPath, [
  'node_modules/vitest/vitest.mjs',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
  ...extra,
]);
if (existsSync(vitestJson)) {
  const r = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  // a suite that fails to load has no failed test of its own: count it once
  if ((r.numFailedTests ?? 0) === 0) failed += r.numFailedTestSuites ?? 0;
} else {
  failed += 1;
  console.error('test: vitest wrote no report');
}

// Playwright (skipped only when asked: HOOKBENCH_SKIP_E2E=1, for quick local runs)
const browser = resolveBrowser();
if (process.env.HOOKBENCH_SKIP_E2E !== '1' && extra.length === 0 && browser.kind === 'none') {
  // a suite that could not run is not a pass: it counts as one failure, with the one line saying what to do
  failed += 1;
  console.error(`test: end-to-end suite not run: ${browser.message}`);
} else if (process.env.HOOKBENCH_SKIP_E2E !== '1' && extra.length === 0) {
  console.log(`test: end-to-end in ${describeBrowser(browser)}`);
  const pwJson = join(dir, 'playwright.json');
  run(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson,
  });
  if (existsSync(pwJson)) {
    const r = JSON.parse(readFileSync(pwJson, 'utf8'));
    passed += r.stats?.expected ?? 0;
    failed += (r.stats?.unexpected ?? 0) + (r.errors ?? []).length;
  } else {
    failed += 1;
    console.error('test: playwright wrote no report');
  }
}

if (failed > 0) exitCode = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(exitCode);
