import { defineConfig } from '@playwright/test';
import { browserLaunchOptions, resolveBrowser } from './scripts/browser.mjs';

// The browser comes from scripts/browser.mjs ($CHROMIUM_PATH, Debian's Chromium in CI, Playwright's own, Google
// Chrome), never downloaded by a test run; without one, loading this config stops with one line saying how to get
// one. Each spec starts its own `hookbench serve` and receivers on port 0.
const browser = resolveBrowser();
if (browser.kind === 'none') {
  console.error(`e2e: ${browser.message}`);
  process.exit(1);
}

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  use: {
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      ...browserLaunchOptions(browser),
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
