// `npm run test:desktop`: the built app over IPC in Chromium (test/desktop). Needs `npm run build` first (npm ci
// runs it). Prints one plain closing line `N passed, N failed` and exits non-zero on any failure.
import { runPlaywrightSuite } from './playwright-run.mjs';

const { passed, failed } = runPlaywrightSuite({
  label: 'desktop',
  config: 'playwright.desktop.config.ts',
  args: process.argv.slice(2),
});
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
