// The built desktop app, its three bundles wired together as Electron wires them: out/main/index.js runs under
// Node with the electron stand-in (test/desktop/electron-standin/), its window is a Chromium page showing
// out/renderer/index.html over file:// with out/preload/index.cjs evaluated before the page's scripts. First what
// the app asked of Electron (its security posture), then the user stories through that window, all over IPC.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, type Page, test } from '@playwright/test';
import { request } from 'undici';
import { IPC_CALL } from '../../src/shared';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { app, BrowserWindow, record, USER_DATA_ENV } from './electron-standin/index.ts';
import { launchSecondInstance } from './second-instance';
import { createEndpoint, logRows, nav, sendInvoicePaid } from './stories';

const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = pathToFileURL(join(ROOT, 'out/main/index.js')).href;
const RENDERER = pathToFileURL(join(ROOT, 'out/renderer/index.html')).href;
const userData = mkdtempSync(join(tmpdir(), 'hookbench-desktop-'));

test.describe.configure({ mode: 'serial' });

let page: Page;
let receiver: TestReceiver;
let inboxUrl = '';
const pageErrors: string[] = [];
const win = () => record.windows[0] as (typeof record.windows)[number];

test.beforeAll(async () => {
  receiver = await startTestReceiver();
  process.env[USER_DATA_ENV] = userData;
  // nothing may point the app at another build or origin: it must find its own way, as installed
  delete process.env.HOOKBENCH_NATIVE_BINDING;
  delete process.env.ELECTRON_RENDERER_URL;
  await import('./electron-standin/register.mjs');
  await import(MAIN);
  await expect.poll(() => record.windows.length + record.errorBoxes.length).toBeGreaterThan(0);
  expect(record.errorBoxes).toEqual([]);
  await expect.poll(() => win().page !== null).toBe(true);
  page = win().page as Page;
  page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(`console.error: ${msg.text()}`);
  });
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
});

test.afterAll(async () => {
  await receiver?.stop();
  rmSync(userData, { recursive: true, force: true });
});

test('one window: isolated, sandboxed, no Node, web security, showing the built renderer over file://', async () => {
  expect(record.windows).toHaveLength(1);
  expect(win().options.webPreferences).toMatchObject({
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    webviewTag: false,
    preload: join(ROOT, 'out/preload/index.cjs'),
  });
  expect(win().loaded).toEqual([RENDERER]);
  expect(page.url().startsWith(RENDERER)).toBe(true);
  expect(record.menu).not.toBeNull();
  // the page sees the two-function bridge, frozen, and nothing raw: no ipcRenderer, no require, no bindings
  const bridge = await page.evaluate(`(() => {
    const hb = window.hookbench;
    let replaced;
    try { hb.call = () => 'hijacked'; replaced = hb.call() === 'hijacked'; } catch { replaced = false; }
    return {
      keys: Object.keys(hb).sort(),
      frozen: Object.isFrozen(hb),
      replaced,
      raw: Object.keys(window).filter((k) => k.startsWith('__standin')),
      require: typeof window.require,
      ipcRenderer: typeof window.ipcRenderer,
    };
  })()`);
  expect(bridge).toEqual({
    keys: ['call', 'on'],
    frozen: true,
    replaced: false,
    raw: [],
    require: 'undefined',
    ipcRenderer: 'undefined',
  });
});

test('the single-instance lock: a second launch on the same user data quits without a window', async () => {
  expect(record.singleInstanceLock).toEqual([true]);
  const second = await launchSecondInstance(ROOT, userData);
  expect(second.code, second.output).toBe(0);
  expect(second.record).toMatchObject({ singleInstanceLock: [false], quits: 1, windows: 0, ipcHandlers: [] });
});

test('the CSP header reaches the document, and the page enforces it', async () => {
  const headers = win().responseHeaders.get(RENDERER);
  const csp = headers?.['Content-Security-Policy']?.[0] ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  const blocked = await page.evaluate(`new Promise((resolve) => {
    document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), { once: true });
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.body.append(s);
    setTimeout(() => resolve(window.__inlineRan ? 'ran' : 'silent'), 2000);
  })`);
  expect(blocked).toBe('script-src-elem');
  // the console reports the blocked script (once per policy: the header and the page's meta tag); nothing else
  await expect.poll(() => pageErrors.length).toBeGreaterThan(0);
  expect(pageErrors.filter((e) => !e.includes('Executing inline script violates'))).toEqual([]);
  pageErrors.length = 0;
});

test('navigation away and new windows are denied; https links go to the system browser', async () => {
  const before = page.url();
  await page.evaluate(`location.href = 'https://example.com/elsewhere'`);
  await page.evaluate(`window.open('https://example.com/docs')`);
  await page.evaluate(`window.open('file:///etc/passwd')`);
  await expect.poll(() => win().windowOpens.length).toBe(2);
  await expect.poll(() => win().navigations.length).toBe(1);
  expect(win().navigations).toEqual([{ url: 'https://example.com/elsewhere', allowed: false }]);
  expect(win().windowOpens).toEqual([
    { url: 'https://example.com/docs', action: 'deny' },
    { url: 'file:///etc/passwd', action: 'deny' },
  ]);
  expect(record.external).toEqual(['https://example.com/elsewhere', 'https://example.com/docs']);
  expect(page.url()).toBe(before);
  expect(BrowserWindow.getAllWindows()).toHaveLength(1);
  expect(page.context().pages()).toHaveLength(1);
});

test('web permissions are denied to the page', async () => {
  const answers = await page.evaluate(`(async () => [
    await Notification.requestPermission(),
    (await navigator.permissions.query({ name: 'geolocation' })).state,
    await navigator.mediaDevices.getUserMedia({ video: true }).then(() => 'granted', (e) => e.name),
  ])()`);
  expect(answers).toEqual(['denied', 'denied', 'NotAllowedError']);
  expect(
    record.permissions.map((p) => [p.kind, p.permission, p.granted, p.requestingUrl.startsWith(RENDERER)]),
  ).toEqual([
    ['request', 'notifications', false, true],
    ['check', 'geolocation', false, true],
    ['request', 'media', false, true],
  ]);
});

test('IPC answers only the top frame of the app: a subframe calling the channel is refused', async () => {
  await page.evaluate(
    `(() => { const f = document.createElement('iframe'); f.name = 'child'; document.body.append(f); })()`,
  );
  const child = page.frame({ name: 'child' });
  expect(child).not.toBeNull();
  const channel = (BrowserWindow.getAllWindows()[0] as BrowserWindow).channels.invoke;
  const answer = await child?.evaluate(
    ([fn, ch]) =>
      (globalThis as never as Record<string, (c: string, a: unknown[]) => unknown>)[fn]?.(ch, ['system.health', {}]),
    [channel, IPC_CALL] as const,
  );
  expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(record.invokes.at(-1)).toMatchObject({
    channel: IPC_CALL,
    frame: { url: 'about:blank', top: false },
    forbidden: true,
  });
  await page.evaluate(`document.querySelector('iframe[name=child]').remove()`);
  // the app's own calls came from its top frame and were all answered
  expect(record.invokes.filter((i) => i.frame.top && i.forbidden)).toEqual([]);
});

test('create an endpoint, compose and send, watch the delivery succeed live, inspect it, retry it', async () => {
  await createEndpoint(page, `${receiver.url}/hook`, 'Desktop receiver');
  // the signing secret went to the database sealed by safeStorage
  expect(record.encrypted).toBeGreaterThan(0);

  await sendInvoicePaid(page);
  await page.getByRole('link', { name: 'View deliveries' }).click();
  const row = logRows(page).first();
  await expect(row).toContainText('Succeeded');
  await expect(row).toContainText('Desktop receiver');
  await expect.poll(() => receiver.requests.length).toBe(1);
  expect(receiver.requests[0]?.headers['webhook-signature']).toMatch(/^v1,/);

  await row.click();
  const inspector = page.getByRole('complementary', { name: 'Delivery inspector' });
  await inspector.getByRole('tab', { name: 'Response' }).click();
  await expect(inspector.getByRole('tabpanel')).toContainText('200');
  await inspector.getByRole('tab', { name: 'Request' }).click();
  await expect(inspector.getByLabel('Request headers')).toContainText(
    String(receiver.requests[0]?.headers['webhook-signature']),
  );

  // Retry now: the second attempt reaches the receiver, and its outcome arrives in the open inspector by push
  const deliveryId = await row.getAttribute('data-id');
  await inspector.getByRole('button', { name: 'Retry now' }).click();
  await expect.poll(() => receiver.requests.length).toBe(2);
  await inspector.getByRole('tab', { name: /Attempts/ }).click();
  await expect(inspector.getByRole('list', { name: 'Attempts' }).getByRole('listitem')).toHaveCount(2);
  await expect(row.locator('td').nth(4)).toHaveText('2');
  const pushes = win().sent.filter(([, topic]) => topic === 'delivery.updated');
  expect(
    pushes.some(
      ([, , p]) =>
        (p as { id: string; attemptCount: number }).id === deliveryId &&
        (p as { attemptCount: number }).attemptCount === 2,
    ),
  ).toBe(true);
  expect(record.decrypted).toBeGreaterThan(0);
  await page.keyboard.press('Escape');
});

test('inbox: one click creates an endpoint and an inbox, which captures a verified delivery', async () => {
  await nav(page, 'Inbox');
  await page.getByRole('button', { name: 'Create endpoint with a new inbox' }).click();
  const created = page.getByRole('dialog', { name: 'Endpoint and inbox created' });
  await expect(created.getByTestId('endpoint-secret')).toContainText('whsec_');
  await created.getByRole('button', { name: 'Done' }).click();
  inboxUrl = await page.getByRole('textbox', { name: 'Inbox URL' }).inputValue();
  expect(inboxUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/in\//);
  await sendInvoicePaid(page);
  await nav(page, 'Inbox');
  const captured = page.getByRole('table', { name: 'Captured requests' }).locator('tbody tr');
  await expect(captured).toHaveCount(1);
  await expect(captured.first()).toContainText('✓ Verified');
  expect(win().sent.some(([, topic]) => topic === 'inbox.request')).toBe(true);
});

test('the application menu: help items open the docs and the spec outside the window', () => {
  type Item = { label?: string; role?: string; submenu?: Item[]; click?: () => void };
  const items = (record.menu as { items: Item[] }).items;
  const help = items.find((i) => i.role === 'help')?.submenu ?? [];
  for (const item of help) item.click?.();
  expect(record.openedPaths).toEqual([join(ROOT, 'README.md')]);
  expect(record.external.at(-1)).toBe('https://www.standardwebhooks.com/');
  expect(BrowserWindow.getAllWindows()).toHaveLength(1);
});

test('an endpoint that keeps failing is disabled: a desktop notification, the banner, endpoint.disabled over IPC', async () => {
  const failing = await startTestReceiver({ respond: () => ({ status: 500, body: 'failing on purpose' }) });
  try {
    await nav(page, 'Settings');
    await page.getByLabel('Initial delay (ms)').fill('200');
    await page.getByLabel('Multiplier').fill('1');
    await page.getByLabel('Max delay (ms)').fill('300');
    await page.getByLabel('Max attempts').fill('10');
    await page.getByLabel('Jitter (0–1)').fill('0');
    await page.getByLabel('Auto-disable after').fill('3');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Settings saved' })).toBeVisible();
    const url = `${failing.url}/hook`;
    await createEndpoint(page, url, 'Failing receiver');
    await sendInvoicePaid(page);
    await expect.poll(() => failing.requests.length, { timeout: 20_000 }).toBe(3);
    await expect.poll(() => record.notifications.length, { timeout: 20_000 }).toBe(1);
    expect(record.notifications[0]?.title).toBe('Endpoint disabled');
    expect(record.notifications[0]?.body).toContain(url);
    await nav(page, 'Endpoints');
    await expect(page.getByRole('alert').filter({ hasText: 'disabled' })).toContainText(url);
    expect(win().sent.some(([, topic, p]) => topic === 'endpoint.disabled' && (p as { url: string }).url === url)).toBe(
      true,
    );
  } finally {
    await failing.stop();
  }
});

test('nothing reached an HTTP API: every call and every push went over IPC', async () => {
  expect(win().foreignRequests).toEqual([]);
  const calls = record.invokes.filter((i) => i.frame.top && !i.forbidden);
  expect(calls.length).toBeGreaterThan(10);
  const topics = new Set(win().sent.map(([, topic]) => topic));
  for (const topic of ['event.created', 'delivery.updated', 'endpoint.updated', 'endpoint.disabled', 'inbox.request']) {
    expect(topics.has(topic), topic).toBe(true);
  }
  expect(pageErrors).toEqual([]);
});

test('quitting waits for the engine to stop, then closes the window and releases the lock', async () => {
  app.quit();
  // held back: the window and the IPC channel are still there while the engine finishes what it was doing
  expect(record.quits).toBe(1);
  expect(BrowserWindow.getAllWindows()).toHaveLength(1);
  await app.whenQuit();
  expect(record.quits).toBe(2); // the first held back while the engine stopped, the second from gracefulQuit
  expect(record.appEvents.slice(-3)).toEqual(['before-quit', 'will-quit', 'quit']);
  expect(record.ipcHandlers.size).toBe(0);
  expect(BrowserWindow.getAllWindows()).toEqual([]);
  // the engine's inbox receiver is closed with it
  await expect(request(inboxUrl, { method: 'POST', body: '{}' })).rejects.toThrow(/ECONNREFUSED/);
  expect(record.exits).toEqual([]);
});
