// End-to-end fixtures: a real `node bin/hookbench.js serve` on port 0 with a temp database, real receivers
// on 127.0.0.1 with a switchable behaviour, and a page that fails the test on any page or console error.
// `serve` needs the build (`npm run build` / `npx electron-vite build`): out/main/cli.js and out/renderer.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, errors, expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import { request } from 'undici';
import { createTestDatabase, startPgCluster } from '../support/pg-cluster';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Hookbench {
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  /** the `Open ...#token=...` URL serve printed */
  openUrl: string;
  token: string;
  /** any contract route, through the RPC endpoint the browser UI uses */
  call<T = unknown>(route: string, input?: unknown): Promise<T>;
  /** everything serve printed, for failure messages */
  output(): string;
  /** the directory of its database file or (PostgreSQL) of its token and key */
  dir: string;
  /** the PostgreSQL database it runs on; null on SQLite */
  databaseUrl: string | null;
}

/** `dbDir` holds the SQLite file (and the token and key files); `databaseUrl`: serve on that PostgreSQL instead. */
export async function startServe(dbDir: string, databaseUrl?: string): Promise<{ hb: Hookbench; child: ChildProcess }> {
  if (!existsSync(join(ROOT, 'out/main/cli.js')) || !existsSync(join(ROOT, 'out/renderer/index.html'))) {
    throw new Error('out/ is missing: run `npx electron-vite build` (or `npm run build`) before the e2e tests');
  }
  const child = spawn(
    process.execPath,
    [
      'bin/hookbench.js',
      'serve',
      '--port',
      '0',
      '--db',
      databaseUrl ?? join(dbDir, 'hookbench.db'),
      '--inbox-port',
      '0',
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      // on PostgreSQL the token and secret key live in the data directory: a temp one here
      env: { ...process.env, HOOKBENCH_TOKEN: '', XDG_DATA_HOME: join(dbDir, 'data') },
    },
  );
  let out = '';
  const ready = new Promise<{ baseUrl: string; openUrl: string }>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in 30 s:\n${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const listening = /Hookbench listening on (http:\/\/\S+)/.exec(out);
      const open = /Open (http:\/\/\S+#token=\S+)/.exec(out);
      if (listening?.[1] && open?.[1]) {
        clearTimeout(timer);
        resolveReady({ baseUrl: listening[1], openUrl: open[1] });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${out}`));
    });
  });
  const { baseUrl, openUrl } = await ready;
  const token = decodeURIComponent(openUrl.split('#token=')[1] ?? '');
  const hb: Hookbench = {
    baseUrl,
    openUrl,
    token,
    dir: dbDir,
    databaseUrl: databaseUrl ?? null,
    output: () => out,
    async call<T>(route: string, input: unknown = {}): Promise<T> {
      const res = await request(`${baseUrl}/api/v1/rpc/${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(input),
      });
      const text = await res.body.text();
      if (res.statusCode >= 300) throw new Error(`${route} -> ${res.statusCode}: ${text}`);
      return JSON.parse(text) as T;
    },
  };
  return { hb, child };
}

/** SIGTERM, then SIGKILL if it is still running after 5 s: only the process we started, by its pid. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.pid && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  }, 5_000);
  await exited;
  clearTimeout(timer);
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** 'ok' answers 200, 'fail' answers 500 */
  behaviour: 'ok' | 'fail';
}

async function startReceiver(): Promise<{ receiver: Receiver; close: () => Promise<void> }> {
  const receiver: Receiver = { url: '', requests: [], behaviour: 'ok' };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      receiver.requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const ok = receiver.behaviour === 'ok';
      res.writeHead(ok ? 200 : 500, { 'content-type': 'application/json' });
      res.end(ok ? '{"received":true}' : '{"error":"receiver is failing on purpose"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  return { receiver, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** One screenshot try (see screenshot). */
const SCREENSHOT_TIMEOUT_MS = 15_000;

/**
 * Saves a screenshot as a test attachment and under test-results/screenshots/. Headless Chromium's capture now and
 * then never returns (once in a CI dry run: after a viewport change and two downloads, until the test's 90 s ran
 * out), so each try is bounded, and before the next one the page is brought to the front and resized by a pixel and
 * back, which makes it draw a fresh frame. Three timeouts in a row fail the test.
 */
export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const dir = join(ROOT, 'test-results', 'screenshots');
  mkdirSync(dir, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    try {
      const body = await page.screenshot({ path: join(dir, `${name}.png`), timeout: SCREENSHOT_TIMEOUT_MS });
      await testInfo.attach(name, { body, contentType: 'image/png' });
      return;
    } catch (err) {
      if (attempt >= 3 || !(err instanceof errors.TimeoutError)) throw err;
      await page.bringToFront();
      const size = page.viewportSize();
      if (size) {
        await page.setViewportSize({ width: size.width, height: size.height + 1 });
        await page.setViewportSize(size);
      }
    }
  }
}

/** Clicks a sidebar entry (Endpoints, Compose, Deliveries, Inbox, Settings). */
export async function nav(page: Page, name: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: new RegExp(`^${name}`) })
    .click();
}

/** Endpoints → New endpoint: the drawer, open. */
export async function openNewEndpoint(page: Page): Promise<Locator> {
  await nav(page, 'Endpoints');
  await page
    .getByRole('button', { name: /^(New endpoint|Create endpoint)$/ })
    .first()
    .click();
  return page.getByRole('dialog', { name: 'New endpoint' });
}

/** Types a retry policy into a form's fields (the Settings page's, or an endpoint's own), by their labels. */
export async function fillRetryPolicy(
  scope: Page | Locator,
  p: { initialDelayMs: number; multiplier: number; maxDelayMs: number; maxAttempts: number; jitter: number },
): Promise<void> {
  await scope.getByLabel('Initial delay (ms)').fill(String(p.initialDelayMs));
  await scope.getByLabel('Multiplier').fill(String(p.multiplier));
  await scope.getByLabel('Max delay (ms)').fill(String(p.maxDelayMs));
  await scope.getByLabel('Max attempts').fill(String(p.maxAttempts));
  await scope.getByLabel('Jitter (0–1)').fill(String(p.jitter));
}

/** GET a REST path under /api/v1 (e.g. `/inboxes/ID/requests`) with the serve token; throws unless 2xx. */
export async function restGet<T = unknown>(hb: Hookbench, path: string): Promise<T> {
  const res = await request(`${hb.baseUrl}/api/v1${path}`, { headers: { authorization: `Bearer ${hb.token}` } });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`GET ${path} -> ${res.statusCode}: ${text}`);
  return JSON.parse(text) as T;
}

/** One attempt per delivery and no auto-disable: each event leaves exactly one attempt to look at. */
export async function oneAttemptEach(hb: Hookbench): Promise<void> {
  await hb.call('settings.update', {
    retry: { initialDelayMs: 0, maxDelayMs: 0, multiplier: 1, maxAttempts: 1, jitter: 0 },
    autoDisable: { threshold: 1000 },
  });
}

export const test = base.extend<{
  /** the database serve runs on: its own SQLite file (default), or a private PostgreSQL cluster's fresh database */
  database: 'sqlite' | 'postgres';
  hookbench: Hookbench;
  receiver: Receiver;
  failingReceiver: Receiver;
  pageErrors: string[];
}>({
  database: ['sqlite', { option: true }],
  hookbench: async ({ page, database }, use, testInfo) => {
    const dir = mkdtempSync(join(tmpdir(), 'hookbench-e2e-'));
    const cluster = database === 'postgres' ? await startPgCluster() : null;
    const url = cluster ? await createTestDatabase(cluster.url) : undefined;
    const { hb, child } = await startServe(dir, url).catch(async (err) => {
      await cluster?.stop();
      throw err;
    });
    try {
      await use(hb);
    } finally {
      // Leave the app before stopping the server: its event stream would reconnect during the shutdown and be cut,
      // which the page reports as a console error (ERR_INCOMPLETE_CHUNKED_ENCODING) after the test has passed.
      await page.goto('about:blank').catch(() => {});
      await stopProcess(child);
      await cluster?.stop();
      if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('serve output', { body: hb.output() });
      rmSync(dir, { recursive: true, force: true });
    }
  },
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern
  receiver: async ({}, use) => {
    const { receiver, close } = await startReceiver();
    await use(receiver);
    await close();
  },
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern
  failingReceiver: async ({}, use) => {
    const { receiver, close } = await startReceiver();
    receiver.behaviour = 'fail';
    await use(receiver);
    await close();
  },
  // Any uncaught page error or console error fails the test, after it ran (so its own failure shows first).
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
      });
      await use(errors);
      expect(errors, 'page errors and console errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
