// What the app asked of Electron, kept for the desktop suite's assertions. One record per process, like the app.
import type { Page } from '@playwright/test';

export interface WindowRecord {
  options: Record<string, unknown>;
  page: Page | null;
  loaded: string[];
  /** navigations the app was asked about (will-navigate) and whether it let them happen */
  navigations: Array<{ url: string; allowed: boolean }>;
  /** window.open / target=_blank attempts and the app's answer */
  windowOpens: Array<{ url: string; action: string }>;
  /** response headers of each file the window loaded, after the app's onHeadersReceived */
  responseHeaders: Map<string, Record<string, string[]>>;
  /** every request the page made that was not a file of the built renderer (it was aborted) */
  foreignRequests: string[];
  /** pushes sent to the page: [channel, ...args] */
  sent: unknown[][];
}

export interface PermissionAsk {
  permission: string;
  requestingUrl: string;
  granted: boolean;
  kind: 'request' | 'check';
}

export const record = {
  singleInstanceLock: [] as boolean[],
  quits: 0,
  exits: [] as number[],
  appEvents: [] as string[],
  windows: [] as WindowRecord[],
  ipcHandlers: new Set<string>(),
  /** senderFrame of each ipcRenderer.invoke and whether the app answered with forbidden */
  invokes: [] as Array<{ channel: string; frame: { url: string; top: boolean }; forbidden: boolean }>,
  permissions: [] as PermissionAsk[],
  menu: null as unknown,
  errorBoxes: [] as Array<{ title: string; content: string }>,
  external: [] as string[],
  openedPaths: [] as string[],
  notifications: [] as Array<{ title: string; body: string }>,
  encrypted: 0,
  decrypted: 0,
};
