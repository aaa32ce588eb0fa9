// Electron's BrowserWindow backed by a Playwright page in Chromium. What Electron does natively is done here with
// Playwright's hooks: the preload as an init script (preload-host.ts), IPC through page.exposeBinding, pushes
// through page.evaluate, the built renderer's files served by a route that applies the session's
// onHeadersReceived (so the CSP header reaches the document), navigations and new windows put to the app's
// will-navigate and window-open handlers before they happen. Any other request is recorded and aborted.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BrowserContext, Frame, Page, Route } from '@playwright/test';
import { launchBrowser } from './browser.ts';
import { invokeFromPage } from './ipc-main.ts';
import { preloadInitScript } from './preload-host.ts';
import { record, type WindowRecord } from './record.ts';
import { applyHeaders, askPermission } from './session.ts';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

type OpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };

class WebContents extends EventEmitter {
  private openHandler: OpenHandler = () => ({ action: 'allow' });
  private pushes: Promise<unknown> = Promise.resolve();
  destroyed = false;

  private readonly win: BrowserWindow;
  private readonly rec: WindowRecord;

  constructor(win: BrowserWindow, rec: WindowRecord) {
    super();
    this.win = win;
    this.rec = rec;
  }

  setWindowOpenHandler(handler: OpenHandler): void {
    this.openHandler = handler;
  }

  windowOpen(url: string): 'allow' | 'deny' {
    const { action } = this.openHandler({ url });
    this.rec.windowOpens.push({ url, action });
    return action;
  }

  /** Electron's send is fire-and-forget but ordered; so are these evaluations. */
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    const copy = structuredClone(args);
    this.rec.sent.push([channel, ...copy]);
    this.pushes = this.pushes
      .then(() => this.win.pageReady)
      .then((page) =>
        page.evaluate(
          ([fn, c, a]) => (globalThis as unknown as Record<string, (c: string, a: unknown[]) => void>)[fn]?.(c, a),
          [this.win.channels.push, channel, copy] as const,
        ),
      )
      .catch(() => {
        // the page is closing or navigating: Electron drops the message too
      });
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class BrowserWindow extends EventEmitter {
  private static readonly open = new Set<BrowserWindow>();
  static getAllWindows(): BrowserWindow[] {
    return [...BrowserWindow.open];
  }

  readonly webContents: WebContents;
  readonly pageReady: Promise<Page>;
  readonly channels = {
    invoke: `__standinInvoke_${randomUUID().replaceAll('-', '')}`,
    permission: `__standinPermission_${randomUUID().replaceAll('-', '')}`,
    push: `__standinPush_${randomUUID().replaceAll('-', '')}`,
  };
  private readonly rec: WindowRecord;
  private context: BrowserContext | null = null;
  /** the document the app itself asked for: loading it is not a navigation the page started */
  private loading: string | null = null;
  private destroyed = false;

  constructor(options: Record<string, unknown> = {}) {
    super();
    const prefs = (options.webPreferences ?? {}) as Record<string, unknown>;
    // The stand-in can only be what Chromium gives it: an isolated page without Node. Refuse to pretend otherwise.
    if (prefs.nodeIntegration === true || prefs.contextIsolation === false || prefs.sandbox === false) {
      throw new Error('electron stand-in: only sandboxed, context-isolated windows without Node integration');
    }
    this.rec = {
      options,
      page: null,
      loaded: [],
      navigations: [],
      windowOpens: [],
      responseHeaders: new Map(),
      foreignRequests: [],
      sent: [],
    };
    record.windows.push(this.rec);
    this.webContents = new WebContents(this, this.rec);
    BrowserWindow.open.add(this);
    this.pageReady = this.openPage(options, typeof prefs.preload === 'string' ? prefs.preload : null);
    this.pageReady.catch(() => {});
  }

  private async openPage(options: Record<string, unknown>, preload: string | null): Promise<Page> {
    const browser = await launchBrowser();
    const context = await browser.newContext({
      viewport: { width: Number(options.width ?? 1280), height: Number(options.height ?? 800) },
    });
    this.context = context;
    await context.route('**/*', (route) => this.route(route));
    const page = await context.newPage();
    await page.exposeBinding(this.channels.invoke, ({ frame }, channel: string, args: unknown[]) =>
      invokeFromPage(frame, this.webContents, channel, args),
    );
    await page.exposeBinding(this.channels.permission, async ({ frame }, kind: 'request' | 'check', name: string) => {
      const granted = await askPermission(kind, this.webContents, name, frame.url());
      record.permissions.push({ permission: name, requestingUrl: frame.url(), granted, kind });
      return granted;
    });
    if (preload) await page.addInitScript({ content: preloadInitScript(readFileSync(preload, 'utf8'), this.channels) });
    this.rec.page = page;
    page.on('close', () => this.destroy());
    return page;
  }

  private async route(route: Route): Promise<void> {
    const req = route.request();
    const url = req.url();
    const page = this.rec.page;
    // A new window's first request comes before its frame exists; any other frame belongs to some page.
    let frame: Frame | null = null;
    try {
      frame = req.frame();
    } catch {
      frame = null;
    }
    const fromOtherPage = frame === null || (page !== null && frame.page() !== page);
    if (req.isNavigationRequest() && fromOtherPage) {
      // a window the page opened (window.open, target=_blank): Electron asks setWindowOpenHandler first
      if (this.webContents.windowOpen(url) === 'deny') {
        await route.abort('aborted');
        for (const other of this.context?.pages() ?? []) if (other !== page) await other.close();
        return;
      }
    } else if (req.isNavigationRequest() && frame?.parentFrame() === null && url !== this.loading) {
      let prevented = false;
      this.webContents.emit('will-navigate', { url, preventDefault: () => (prevented = true) });
      this.rec.navigations.push({ url, allowed: !prevented });
      if (prevented) {
        // ERR_ABORTED cancels a navigation without committing an error page: the document stays, as in Electron
        await route.abort('aborted');
        return;
      }
    }
    if (url.startsWith('file:')) {
      await this.serveFile(route, url, req.resourceType());
      return;
    }
    this.rec.foreignRequests.push(url);
    await route.abort('blockedbyclient');
  }

  private async serveFile(route: Route, url: string, resourceType: string): Promise<void> {
    const path = fileURLToPath(url.split('#')[0] as string);
    let body: Buffer;
    try {
      body = readFileSync(path);
    } catch {
      this.rec.foreignRequests.push(url);
      await route.abort('filenotfound');
      return;
    }
    const headers = await applyHeaders(url, resourceType, {
      'Content-Type': [MIME[extname(path)] ?? 'application/octet-stream'],
    });
    if (headers === null) {
      await route.abort('blockedbyclient');
      return;
    }
    this.rec.responseHeaders.set(url.split('#')[0] as string, headers);
    await route.fulfill({
      status: 200,
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.join(', ')])),
      body,
    });
  }

  async loadFile(file: string): Promise<void> {
    await this.loadURL(pathToFileURL(file).href);
  }

  async loadURL(url: string): Promise<void> {
    const page = await this.pageReady;
    this.loading = url;
    this.rec.loaded.push(url);
    await page.goto(url, { waitUntil: 'load' });
    this.loading = null;
    this.webContents.emit('did-finish-load');
    this.emit('ready-to-show');
  }

  show(): void {}
  focus(): void {}
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }

  close(): void {
    void this.context?.close().catch(() => {});
    this.destroy();
  }

  private destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    BrowserWindow.open.delete(this);
    this.emit('closed');
  }
}
