// The Electron app's entry: one window over the engine, which runs here in the main process. Everything this file
// decides is decided by small pure modules next to it (security, navigation, csp, secret-box, native-binding,
// quit, menu, notifier); this file only connects them to Electron.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, safeStorage, session, shell } from 'electron';
import { createEngine } from '../engine';
import { appUrlMatcher, createTrustedSenderCheck, forwardTopics, registerIpc } from '../transports/ipc';
import { buildCsp, withCspHeader } from './csp';
import { consoleLogger } from './logger';
import { buildMenuTemplate } from './menu';
import { resolveNativeBinding } from './native-binding';
import { createDesktopNotifier } from './notifier';
import { gracefulQuit } from './quit';
import { createSecretBox } from './secret-box';
import { isPermissionGranted } from './security';
import { createMainWindow, focusWindow } from './window';

const SPEC_URL = 'https://www.standardwebhooks.com/';
// out/main/index.js -> out/preload/index.cjs and out/renderer/index.html
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const isDev = !app.isPackaged;

let win: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  // another Hookbench owns the database; it is brought forward by its 'second-instance' handler
  app.quit();
} else {
  app.on('second-instance', () => focusWindow(win));
  start().catch((err: unknown) => fail('Hookbench could not start', err));
}

async function start(): Promise<void> {
  await app.whenReady();
  const log = consoleLogger({ debug: isDev });
  // Only an unpackaged app honours the dev server URL: a packaged one never trusts an environment variable
  // to decide which origin gets the engine bridge.
  const devServerUrl = isDev ? process.env.ELECTRON_RENDERER_URL : undefined;
  const location = { rendererFile: join(outDir, 'renderer', 'index.html'), devServerUrl };
  const isAppUrl = appUrlMatcher(location);

  hardenSession(isAppUrl, buildCsp({ devServerUrl }));

  const engine = await createEngine({
    dbPath: join(app.getPath('userData'), 'hookbench.db'),
    nativeBinding: resolveNativeBinding({
      electronVersion: process.versions.electron,
      resourcesPath: app.isPackaged ? process.resourcesPath : undefined,
      betterSqliteVersion: betterSqliteVersion(),
      projectRoot: app.getAppPath(),
      platform: process.platform,
      arch: process.arch,
      env: process.env,
      exists: existsSync,
      readText: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : null),
    }),
    // safeStorage can only be asked after 'ready' (on Linux it needs the desktop's keyring)
    secrets: createSecretBox(safeStorage),
    notify: createDesktopNotifier({
      isSupported: () => Notification.isSupported(),
      create: (opts) => new Notification(opts),
      focusWindow: () => focusWindow(win),
    }),
    log,
  });
  if (!safeStorage.isEncryptionAvailable()) {
    log.warn('safeStorage unavailable: endpoint secrets are stored unencrypted');
  } else if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    // no keyring (libsecret/kwallet): Chromium falls back to a fixed key, which hides secrets but does not protect them
    log.warn('no desktop keyring: endpoint secrets are only obfuscated at rest');
  }

  const disposeIpc = registerIpc(ipcMain, engine.handlers, createTrustedSenderCheck(location), { log });
  const stopForwarding = forwardTopics(
    engine,
    () =>
      BrowserWindow.getAllWindows()
        .filter((w) => !w.isDestroyed())
        .map((w) => w.webContents),
    { log },
  );
  app.on(
    'before-quit',
    gracefulQuit({
      stop: async () => {
        stopForwarding();
        disposeIpc();
        await engine.stop();
      },
      quit: () => app.quit(),
      onError: (err) => log.error('engine stop failed', { error: err instanceof Error ? err.message : String(err) }),
    }),
  );

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        isDev,
        isMac: process.platform === 'darwin',
        openDocs: () => void shell.openPath(join(app.getAppPath(), 'README.md')),
        openSpec: () => void shell.openExternal(SPEC_URL),
      }),
    ),
  );

  const open = () => {
    win = createMainWindow({
      preloadPath: join(outDir, 'preload', 'index.cjs'),
      isAppUrl,
      load: devServerUrl ? { url: devServerUrl } : { file: location.rendererFile },
    });
    win.on('closed', () => {
      win = null;
    });
  };
  open();
  // macOS keeps the app (and its dispatcher) running without windows; the dock icon reopens one
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

/** Deny-by-default permissions and the CSP on every response the renderer receives. */
function hardenSession(isAppUrl: (url: string) => boolean, csp: string): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(isPermissionGranted(permission, details.requestingUrl, isAppUrl)),
  );
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
    isPermissionGranted(permission, details.requestingUrl ?? requestingOrigin, isAppUrl),
  );
  ses.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withCspHeader(details.responseHeaders, csp) }),
  );
}

function betterSqliteVersion(): string {
  const pkg = createRequire(import.meta.url)('better-sqlite3/package.json') as { version: string };
  return pkg.version;
}

function fail(title: string, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`[hookbench] ${title}: ${message}`);
  dialog.showErrorBox(title, message);
  app.exit(1);
}
