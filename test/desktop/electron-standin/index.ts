// A test-only `electron` for the desktop suite: the built main bundle (out/main/index.js) imports it instead of
// Electron when loaded under Node with hooks.mjs registered. Windows are Playwright pages in Chromium
// (browser-window.ts); everything else is small and records what the app asked (record.ts). It implements only
// what the app uses, and says so when asked for something else.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeBrowser } from './browser.ts';
import { BrowserWindow } from './browser-window.ts';
import { ipcMain } from './ipc-main.ts';
import { record } from './record.ts';
import { defaultSession } from './session.ts';

export { BrowserWindow, ipcMain, record };

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
/** The suite gives each app run its own user-data directory (Electron: ~/.config/<app>). */
export const USER_DATA_ENV = 'HOOKBENCH_STANDIN_USER_DATA';
/** When set, the record is written there as JSON when the process exits (for an app run in a child process). */
export const REPORT_ENV = 'HOOKBENCH_STANDIN_REPORT';

const appEvents = new EventEmitter();
let lockFile: string | null = null;
let quitStarted = false;
let quitDone: () => void = () => {};
const quitFinished = new Promise<void>((resolve) => {
  quitDone = resolve;
});

function userData(): string {
  const dir = process.env[USER_DATA_ENV];
  if (!dir) throw new Error(`electron stand-in: set ${USER_DATA_ENV}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function emit(name: string, ...args: unknown[]): void {
  record.appEvents.push(name);
  appEvents.emit(name, ...args);
}

export const app = {
  isPackaged: false,
  on(name: string, fn: (...args: unknown[]) => void) {
    appEvents.on(name, fn);
    return app;
  },
  once(name: string, fn: (...args: unknown[]) => void) {
    appEvents.once(name, fn);
    return app;
  },
  whenReady(): Promise<void> {
    emit('ready');
    return Promise.resolve();
  },
  getPath(name: string): string {
    if (name === 'userData') return userData();
    throw new Error(`electron stand-in: app.getPath('${name}') is not used by the app`);
  },
  getAppPath: () => ROOT,
  /** Like Electron's, one holder per user-data directory: a lock file naming a live process. */
  requestSingleInstanceLock(): boolean {
    const path = join(userData(), 'standin-single-instance.lock');
    let held = false;
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held = true;
    } catch {
      const owner = Number(readFileSync(path, 'utf8'));
      if (!isAlive(owner)) {
        writeFileSync(path, String(process.pid));
        held = true;
      }
    }
    if (held) lockFile = path;
    record.singleInstanceLock.push(held);
    return held;
  },
  /** before-quit (which may be prevented), then will-quit, windows closed, quit. */
  quit(): void {
    record.quits++;
    let prevented = false;
    emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented || quitStarted) return;
    quitStarted = true;
    void (async () => {
      emit('will-quit', { preventDefault() {} });
      for (const w of BrowserWindow.getAllWindows()) w.close();
      await closeBrowser();
      if (lockFile) rmSync(lockFile, { force: true });
      emit('quit');
      quitDone();
    })();
  },
  /** Electron exits the process; the stand-in records the code and leaves the test process to the suite. */
  exit(code = 0): void {
    record.exits.push(code);
  },
  /** for the suite: resolves once a quit has finished */
  whenQuit: (): Promise<void> => quitFinished,
};

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const session = { defaultSession };

export const nativeTheme = { shouldUseDarkColors: false };

export const Menu = {
  buildFromTemplate: (template: unknown[]) => ({ items: template }),
  setApplicationMenu(menu: unknown): void {
    record.menu = menu;
  },
};

export const dialog = {
  showErrorBox(title: string, content: string): void {
    record.errorBoxes.push({ title, content });
  },
};

export const shell = {
  async openExternal(url: string): Promise<void> {
    record.external.push(url);
  },
  async openPath(path: string): Promise<string> {
    record.openedPaths.push(path);
    return '';
  },
};

export class Notification extends EventEmitter {
  static isSupported(): boolean {
    return true;
  }
  private readonly opts: { title: string; body: string };
  constructor(opts: { title: string; body: string }) {
    super();
    this.opts = opts;
  }
  show(): void {
    record.notifications.push({ title: this.opts.title, body: this.opts.body });
  }
}

// safeStorage with real encryption under a per-process key, so what reaches the database is ciphertext.
const key = randomBytes(32);
export const safeStorage = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptString(plain: string): Buffer {
    record.encrypted++;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  },
  decryptString(sealed: Buffer): string {
    record.decrypted++;
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
  },
};

if (process.env[REPORT_ENV]) {
  const reportPath = process.env[REPORT_ENV];
  process.on('exit', () => {
    const { windows, ipcHandlers, ...rest } = record;
    writeFileSync(reportPath, JSON.stringify({ ...rest, windows: windows.length, ipcHandlers: [...ipcHandlers] }));
  });
}

export default { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, Notification, safeStorage, session, shell };
