import { defineConfig } from '@playwright/test';

// The desktop suite (`npm run test:desktop`): the built app (out/main, out/preload, out/renderer) under Node with a
// test-only `electron` (test/desktop/electron-standin/) whose windows are Chromium pages. The app is one process
// with one window, so the suite is one serial file in one worker; the stand-in launches the browser itself
// (scripts/browser.mjs picks which).
export default defineConfig({
  testDir: 'test/desktop',
  testMatch: '*.spec.ts',
  outputDir: 'test-results/desktop',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
});
