// `npm test`: every vitest project, then the Playwright suites in Chromium (scripts/browser.mjs picks it): the
// end-to-end suite against `hookbench serve` and the desktop suite (the built app over IPC).
// Prints one plain closing line `N passed, N failed` with the real totals and exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlaywrightSuite } from './playwright-run.mjs';

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

// Playwright: the HTTP end-to-end suite, then the desktop suite (the built app over IPC). Skipped only when asked
// (HOOKBENCH_SKIP_E2E=1, for quick local runs) or when vitest got a filter.
if (process.env.HOOKBENCH_SKIP_E2E !== '1' && extra.length === 0) {
  for (const suite of [
    { label: 'end-to-end', config: 'playwright.config.ts' },
    { label: 'desktop', config: 'playwright.desktop.config.ts' },
  ]) {
    const r = runPlaywrightSuite(suite);
    passed += r.passed;
    failed += r.failed;
  }
}

if (failed > 0) exitCode = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(exitCode);
