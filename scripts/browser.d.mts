// Types for browser.mjs (a plain ES module so that scripts/test.mjs runs it without a build step).

export type ResolvedBrowser =
  | { kind: 'path'; source: 'CHROMIUM_PATH' | 'debian' | 'playwright'; executablePath: string }
  | { kind: 'channel'; source: 'chrome'; channel: 'chrome' }
  | { kind: 'none'; message: string };

export interface ResolveBrowserOptions {
  env?: Record<string, string | undefined>;
  platform?: string;
  exists?: (path: string) => boolean;
  /** Playwright's expected path of its own Chromium, undefined when @playwright/test is absent */
  playwrightPath?: () => string | undefined;
}

export const DEBIAN_CHROMIUM: string;
export const NO_BROWSER_MESSAGE: string;
export function chromeLocations(platform: string, env: Record<string, string | undefined>): string[];
export function playwrightChromiumPath(): string | undefined;
export function resolveBrowser(opts?: ResolveBrowserOptions): ResolvedBrowser;
export function browserLaunchOptions(browser: ResolvedBrowser): { executablePath?: string; channel?: string };
export function describeBrowser(browser: ResolvedBrowser): string;
