// The Chromium behind every stand-in window: resolved like the end-to-end suite's (scripts/browser.mjs), launched
// once per process on first use, closed when the app quits.
import { type Browser, chromium } from '@playwright/test';
import { browserLaunchOptions, resolveBrowser } from '../../../scripts/browser.mjs';

let launching: Promise<Browser> | null = null;

export function launchBrowser(): Promise<Browser> {
  launching ??= chromium.launch({
    ...browserLaunchOptions(resolveBrowser()),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  return launching;
}

export async function closeBrowser(): Promise<void> {
  const pending = launching;
  launching = null;
  if (pending) await (await pending).close();
}
