// Which Chromium the end-to-end and desktop suites drive. One order, used by playwright.config.ts, scripts/test.mjs
// and test/desktop: $CHROMIUM_PATH; Debian's /usr/bin/chromium (CI); Playwright's own Chromium when a developer
// ran `npx playwright install chromium`; an installed Google Chrome (Playwright's `chrome` channel); else nothing,
// with one line saying how to get a browser. A plain ES module so that scripts run it without a build step.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { win32 } from 'node:path';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export const NO_BROWSER_MESSAGE =
  'no Chromium for the end-to-end suites: set CHROMIUM_PATH, `apt-get install -y chromium` (Debian/Ubuntu), ' +
  '`npx playwright install chromium`, or install Google Chrome';

/** Where Playwright's `chrome` channel looks for Google Chrome (stable) on each platform. */
export function chromeLocations(platform, env) {
  if (platform === 'darwin') return ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];
  if (platform === 'win32') {
    const roots = [env.LOCALAPPDATA, env.PROGRAMFILES, env['PROGRAMFILES(X86)']].filter(Boolean);
    return roots.map((root) => win32.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'));
  }
  return ['/opt/google/chrome/chrome'];
}

/** Playwright's expected path of its own Chromium build (present only after `npx playwright install chromium`). */
export function playwrightChromiumPath() {
  try {
    const { chromium } = createRequire(import.meta.url)('@playwright/test');
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

/**
 * The first browser found, in the order above. `exists` and `playwrightPath` are injected so that the order is
 * unit-tested without touching the machine.
 */
export function resolveBrowser({
  env = process.env,
  platform = process.platform,
  exists = existsSync,
  playwrightPath = playwrightChromiumPath,
} = {}) {
  if (env.CHROMIUM_PATH) {
    // an explicit choice that is wrong must say so, not silently fall through to another browser
    if (!exists(env.CHROMIUM_PATH)) {
      return { kind: 'none', message: `CHROMIUM_PATH points to ${env.CHROMIUM_PATH}, which does not exist` };
    }
    return { kind: 'path', source: 'CHROMIUM_PATH', executablePath: env.CHROMIUM_PATH };
  }
  if (platform === 'linux' && exists(DEBIAN_CHROMIUM)) {
    return { kind: 'path', source: 'debian', executablePath: DEBIAN_CHROMIUM };
  }
  const own = playwrightPath();
  if (own && exists(own)) return { kind: 'path', source: 'playwright', executablePath: own };
  if (chromeLocations(platform, env).some((p) => exists(p)))
    return { kind: 'channel', source: 'chrome', channel: 'chrome' };
  return { kind: 'none', message: NO_BROWSER_MESSAGE };
}

/** Playwright launch options for a resolved browser (none: throws the one-line message). */
export function browserLaunchOptions(browser) {
  if (browser.kind === 'path') return { executablePath: browser.executablePath };
  if (browser.kind === 'channel') return { channel: browser.channel };
  throw new Error(browser.message);
}

/** A one-line description for logs: which browser a run uses. */
export function describeBrowser(browser) {
  if (browser.kind === 'path') return `${browser.executablePath} (${browser.source})`;
  if (browser.kind === 'channel') return 'Google Chrome (channel chrome)';
  return browser.message;
}
