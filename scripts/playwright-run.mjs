// Runs one Playwright suite with a JSON report beside the console list, and returns its counts: what
// scripts/test.mjs (`npm test`) and scripts/test-desktop.mjs (`npm run test:desktop`) add up.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeBrowser, resolveBrowser } from './browser.mjs';

/**
 * `label` names the suite in messages; `config` is the Playwright config file (default playwright.config.ts).
 * Without a browser the suite does not run and counts as one failure: a suite that could not run is not a pass.
 */
export function runPlaywrightSuite({ label, config, args = [] }) {
  const browser = resolveBrowser();
  if (browser.kind === 'none') {
    console.error(`test: ${label} suite not run: ${browser.message}`);
    return { passed: 0, failed: 1 };
  }
  console.log(`test: ${label} in ${describeBrowser(browser)}`);
  const report = join(mkdtempSync(join(tmpdir(), 'hookbench-pw-')), 'report.json');
  const res = spawnSync(
    process.execPath,
    [
      'node_modules/@playwright/test/cli.js',
      'test',
      ...(config ? ['-c', config] : []),
      '--reporter=list,json',
      ...args,
    ],
    { stdio: 'inherit', env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: report } },
  );
  if (!existsSync(report)) {
    console.error(`test: the ${label} suite wrote no report`);
    return { passed: 0, failed: 1 };
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const passed = r.stats?.expected ?? 0;
  let failed = (r.stats?.unexpected ?? 0) + (r.errors ?? []).length;
  // a crashed run (or one that ran nothing) is a failure even when no single test says so
  if (res.status !== 0 && failed === 0) failed = 1;
  if (passed + failed === 0) failed = 1;
  return { passed, failed };
}
