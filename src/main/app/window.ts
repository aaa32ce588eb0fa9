// The one BrowserWindow and its guards. Every decision is made by the pure functions in security.ts and
// navigation.ts; this file only wires them to Electron's events.
import { BrowserWindow, nativeTheme, shell } from 'electron';
import { decideNavigation, decideWindowOpen } from './navigation';
import { mainWindowOptions } from './security';

export interface MainWindowOptions {
  preloadPath: string;
  isAppUrl(url: string): boolean;
  /** what to load: the dev server URL, or the built renderer file */
  load: { url: string } | { file: string };
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow(
    mainWindowOptions({ preloadPath: opts.preloadPath, dark: nativeTheme.shouldUseDarkColors }),
  );
  win.once('ready-to-show', () => win.show());

  const wc = win.webContents;
  wc.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.openExternal) void shell.openExternal(decision.openExternal);
    return { action: decision.action };
  });
  const guard = (event: { preventDefault(): void }, url: string, fromPage: boolean) => {
    const decision = decideNavigation(url, opts.isAppUrl, fromPage);
    if (decision.allow) return;
    event.preventDefault();
    if (decision.openExternal) void shell.openExternal(decision.openExternal);
  };
  // will-navigate fires only for navigations the page starts (a followed link, location.href = ...)
  wc.on('will-navigate', (event) => guard(event, event.url, true));
  wc.on('will-redirect', (event) => guard(event, event.url, false));
  // no <webview> may ever be attached, whatever the page tries
  wc.on('will-attach-webview', (event) => event.preventDefault());

  if ('url' in opts.load) void win.loadURL(opts.load.url);
  else void win.loadFile(opts.load.file);
  return win;
}

/** Brings the window to the front (from a notification click or a second launch). */
export function focusWindow(win: BrowserWindow | null): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
