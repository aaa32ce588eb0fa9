// The Electron entry (src/main/app/index.ts) wired to a fake `electron` module under Node: it must start a real
// engine on a temp database, open one hardened window, register the IPC channel, install the session guards,
// and hold the quit until the engine has stopped. Electron itself cannot run here; this checks the wiring.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CALL } from '../../src/shared';
import { waitFor } from '../support/wait';
import type { FakeIpcMain } from '../transports/ipc/fakes';

type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  const on = (map: Map<string, Listener[]>) => (event: string, fn: Listener) => {
    map.set(event, [...(map.get(event) ?? []), fn]);
  };
  const appEvents = new Map<string, Listener[]>();
  const state = {
    userData: '',
    appEvents,
    quits: 0,
    exits: [] as number[],
    errors: [] as string[],
    windows: [] as Array<{
      options: Record<string, unknown>;
      events: Map<string, Listener[]>;
      wcEvents: Map<string, Listener[]>;
      openHandler: ((d: { url: string }) => { action: string }) | null;
      loaded: string[];
    }>,
    external: [] as string[],
    menu: null as unknown,
    permissionRequest: null as Listener | null,
    permissionCheck: null as Listener | null,
    headers: null as Listener | null,
    ipcMain: null as unknown,
  };
  class BrowserWindow {
    static all: BrowserWindow[] = [];
    static getAllWindows = () => BrowserWindow.all;
    readonly record;
    readonly webContents;
    constructor(options: Record<string, unknown>) {
      const events = new Map<string, Listener[]>();
      const wcEvents = new Map<string, Listener[]>();
      this.record = { options, events, wcEvents, openHandler: null as never, loaded: [] as string[] };
      const record = this.record;
      this.webContents = {
        on: on(wcEvents),
        setWindowOpenHandler: (h: never) => {
          record.openHandler = h;
        },
        send: () => {},
        isDestroyed: () => false,
      };
      state.windows.push(record);
      BrowserWindow.all.push(this);
    }
    on = (e: string, fn: Listener) => on(this.record.events)(e, fn);
    once = (e: string, fn: Listener) => on(this.record.events)(e, fn);
    loadFile = async (f: string) => this.record.loaded.push(`file:${f}`);
    loadURL = async (u: string) => this.record.loaded.push(u);
    isDestroyed = () => false;
    isMinimized = () => false;
    restore() {}
    show() {}
    focus() {}
  }
  return { state, BrowserWindow, on };
});

vi.mock('electron', async () => {
  const { FakeIpcMain: Ipc } = await import('../transports/ipc/fakes');
  const ipcMain = new Ipc();
  fake.state.ipcMain = ipcMain;
  const s = fake.state;
  return {
    app: {
      isPackaged: false,
      requestSingleInstanceLock: () => true,
      on: fake.on(s.appEvents),
      whenReady: async () => {},
      getPath: () => s.userData,
      getAppPath: () => s.userData,
      quit: () => {
        s.quits++;
        for (const fn of s.appEvents.get('before-quit') ?? []) fn({ preventDefault() {} });
      },
      exit: (code: number) => s.exits.push(code),
    },
    BrowserWindow: fake.BrowserWindow,
    dialog: { showErrorBox: (_t: string, m: string) => s.errors.push(m) },
    ipcMain,
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => (s.menu = m) },
    Notification: Object.assign(function Notification() {}, { isSupported: () => false }),
    nativeTheme: { shouldUseDarkColors: true },
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (p: string) => Buffer.from(p, 'utf8').reverse(),
      decryptString: (b: Buffer) => Buffer.from(b).reverse().toString('utf8'),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: Listener) => (s.permissionRequest = h),
        setPermissionCheckHandler: (h: Listener) => (s.permissionCheck = h),
        webRequest: { onHeadersReceived: (h: Listener) => (s.headers = h) },
      },
    },
    shell: { openExternal: async (u: string) => s.external.push(u), openPath: async () => '' },
  };
});

const ROOT = resolve(__dirname, '../..');
const s = fake.state;
const savedEnv = { ...process.env };

beforeAll(async () => {
  s.userData = mkdtempSync(join(tmpdir(), 'hookbench-app-'));
  // Under Node (no process.versions.electron) the app lets better-sqlite3 load node_modules' own build: no override.
  delete process.env.HOOKBENCH_NATIVE_BINDING;
  delete process.env.ELECTRON_RENDERER_URL;
  await import('../../src/main/app/index');
  await waitFor(() => s.windows.length === 1 || s.errors.length > 0, { message: 'the window to open' });
  expect(s.errors).toEqual([]);
});

afterAll(() => {
  process.env = savedEnv;
  rmSync(s.userData, { recursive: true, force: true });
});

const win = () => s.windows[0] as (typeof s.windows)[number];
const rendererFile = resolve(ROOT, 'src/main/renderer/index.html'); // out/renderer/index.html once built

describe('Electron entry', () => {
  it('opens the database in userData and one hardened window on the built renderer', () => {
    expect(existsSync(join(s.userData, 'hookbench.db'))).toBe(true);
    expect(win().options).toMatchObject({ width: 1280, height: 800, minWidth: 1024, minHeight: 640, show: false });
    expect(win().options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(String((win().options.webPreferences as { preload: string }).preload)).toMatch(/preload[\\/]index\.cjs$/);
    expect(win().loaded).toEqual([`file:${rendererFile}`]);
    expect(win().events.has('ready-to-show')).toBe(true);
    expect(s.menu).not.toBeNull();
  });

  it('serves the contract over the one IPC channel to the app frame only', async () => {
    const ipc = s.ipcMain as FakeIpcMain;
    const appFrame = { url: `${pathToFileURL(rendererFile).href}#/endpoints`, parent: null };
    expect(await ipc.invoke(IPC_CALL, { senderFrame: appFrame }, 'system.health', {})).toMatchObject({
      ok: true,
      data: { ok: true },
    });
    expect(
      await ipc.invoke(IPC_CALL, { senderFrame: { url: 'https://evil.example/', parent: null } }, 'system.health', {}),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('denies new windows (https to the browser), and guards navigation and redirects', () => {
    expect(win().openHandler?.({ url: 'https://example.com/docs' })).toEqual({ action: 'deny' });
    expect(win().openHandler?.({ url: 'http://example.com/' })).toEqual({ action: 'deny' });
    expect(s.external).toEqual(['https://example.com/docs']);
    for (const name of ['will-navigate', 'will-redirect']) {
      const guard = win().wcEvents.get(name)?.[0] as Listener;
      let prevented = 0;
      guard({ url: 'https://evil.example/', preventDefault: () => prevented++ });
      guard({ url: `${pathToFileURL(rendererFile).href}#/settings`, preventDefault: () => prevented++ });
      expect(prevented).toBe(1);
    }
  });

  it('denies permissions and sends the CSP on every response', () => {
    const granted: boolean[] = [];
    s.permissionRequest?.(null, 'media', (g: boolean) => granted.push(g), {
      requestingUrl: pathToFileURL(rendererFile).href,
    });
    expect(granted).toEqual([false]);
    expect(s.permissionCheck?.(null, 'geolocation', 'file:///', { requestingUrl: 'file:///' })).toBe(false);
    let headers: Record<string, string[]> = {};
    s.headers?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r: { responseHeaders: typeof headers }) => {
      headers = r.responseHeaders;
    });
    expect(headers['Content-Security-Policy']?.[0]).toContain("frame-ancestors 'none'");
  });

  it('holds the first quit until the engine has stopped, then quits', async () => {
    const beforeQuit = s.appEvents.get('before-quit')?.[0] as Listener;
    let prevented = 0;
    beforeQuit({ preventDefault: () => prevented++ });
    expect(prevented).toBe(1);
    await waitFor(() => s.quits === 1, { message: 'app.quit after engine.stop' });
    // the engine is stopped: the IPC channel is gone
    expect((s.ipcMain as FakeIpcMain).handlers.size).toBe(0);
  });
});
