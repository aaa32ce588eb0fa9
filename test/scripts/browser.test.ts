import { describe, expect, it } from 'vitest';
import {
  browserLaunchOptions,
  chromeLocations,
  DEBIAN_CHROMIUM,
  NO_BROWSER_MESSAGE,
  resolveBrowser,
} from '../../scripts/browser.mjs';

const PLAYWRIGHT_OWN = '/home/dev/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome';
const MAC_CHROME = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';

/** A machine described by the files it has. */
function machine(files: string[], env: Record<string, string | undefined> = {}, platform = 'linux') {
  const present = new Set(files);
  return { env, platform, exists: (p: string) => present.has(p), playwrightPath: () => PLAYWRIGHT_OWN };
}

describe('resolveBrowser', () => {
  it('takes $CHROMIUM_PATH first, over every installed browser', () => {
    const m = machine(['/opt/chromium/chrome', DEBIAN_CHROMIUM, PLAYWRIGHT_OWN, '/opt/google/chrome/chrome'], {
      CHROMIUM_PATH: '/opt/chromium/chrome',
    });
    expect(resolveBrowser(m)).toEqual({
      kind: 'path',
      source: 'CHROMIUM_PATH',
      executablePath: '/opt/chromium/chrome',
    });
  });

  it('refuses a $CHROMIUM_PATH that does not exist instead of falling back to another browser', () => {
    const r = resolveBrowser(machine([DEBIAN_CHROMIUM], { CHROMIUM_PATH: '/nowhere/chrome' }));
    expect(r).toEqual({ kind: 'none', message: 'CHROMIUM_PATH points to /nowhere/chrome, which does not exist' });
  });

  it("takes Debian's Chromium next, before Playwright's own and Google Chrome", () => {
    const r = resolveBrowser(machine([DEBIAN_CHROMIUM, PLAYWRIGHT_OWN, '/opt/google/chrome/chrome']));
    expect(r).toEqual({ kind: 'path', source: 'debian', executablePath: DEBIAN_CHROMIUM });
  });

  it("takes Playwright's own Chromium when it is installed and Debian's is not", () => {
    const r = resolveBrowser(machine([PLAYWRIGHT_OWN, MAC_CHROME], {}, 'darwin'));
    expect(r).toEqual({ kind: 'path', source: 'playwright', executablePath: PLAYWRIGHT_OWN });
  });

  it("skips Playwright's Chromium when it is only an expected path, and uses Google Chrome's channel", () => {
    const r = resolveBrowser(machine([MAC_CHROME], {}, 'darwin'));
    expect(r).toEqual({ kind: 'channel', source: 'chrome', channel: 'chrome' });
    expect(browserLaunchOptions(r)).toEqual({ channel: 'chrome' });
  });

  it('finds Google Chrome on Windows under LOCALAPPDATA or Program Files', () => {
    const env = { LOCALAPPDATA: 'C:\\Users\\dev\\AppData\\Local', PROGRAMFILES: 'C:\\Program Files' };
    expect(chromeLocations('win32', env)).toEqual([
      'C:\\Users\\dev\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe',
      'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    ]);
    const r = resolveBrowser(machine(['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'], env, 'win32'));
    expect(r.kind).toBe('channel');
  });

  it('does not take /usr/bin/chromium on a platform that is not Linux', () => {
    expect(resolveBrowser(machine([DEBIAN_CHROMIUM], {}, 'darwin')).kind).toBe('none');
  });

  it('without any browser, says in one line how to get one, and launch options refuse it', () => {
    const r = resolveBrowser({ ...machine([]), playwrightPath: () => undefined });
    expect(r).toEqual({ kind: 'none', message: NO_BROWSER_MESSAGE });
    expect(NO_BROWSER_MESSAGE).not.toContain('\n');
    expect(() => browserLaunchOptions(r)).toThrow(NO_BROWSER_MESSAGE);
  });

  it('gives Playwright an executable path for a browser found on disk', () => {
    expect(browserLaunchOptions(resolveBrowser(machine([DEBIAN_CHROMIUM])))).toEqual({
      executablePath: DEBIAN_CHROMIUM,
    });
  });
});
