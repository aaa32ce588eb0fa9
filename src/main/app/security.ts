// The window's security settings and the decisions the Electron shell delegates to pure functions, so each one
// is unit-tested under Node. See Electron's security checklist; every choice below is one of its items.
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

export interface WindowOptionsInput {
  /** absolute path of the built preload, `.../out/preload/index.cjs` */
  preloadPath: string;
  /** nativeTheme.shouldUseDarkColors, so the window does not flash white before the page paints */
  dark: boolean;
}

export const WINDOW_BACKGROUND = { dark: '#111317', light: '#ffffff' } as const;

/** The renderer runs untrusted-by-default web content: isolated, sandboxed, no Node, same-origin rules on. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    preload: preloadPath,
  };
}

export function mainWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    // shown on ready-to-show, once the first paint is there
    show: false,
    title: 'Hookbench',
    backgroundColor: input.dark ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light,
    webPreferences: secureWebPreferences(input.preloadPath),
  };
}

/**
 * Permission requests and checks from web content (camera, geolocation, notifications, clipboard read, ...): all
 * denied. Desktop notifications come from the main process, which needs no permission. The one exception is a
 * sanitized clipboard *write* from the app's own document, so "copy secret" and "copy as curl" buttons work.
 */
export function isPermissionGranted(
  permission: string,
  requestingUrl: string,
  isAppUrl: (url: string) => boolean,
): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(requestingUrl);
}
