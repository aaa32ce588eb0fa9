// `node bench/scroll.mjs [--deliveries 25000] [--frames 600]`: frame times of the Deliveries log while it scrolls
// through N stored deliveries, in Chromium against a real `hookbench serve` (needs `npm run build`). A script that
// prints figures, never a test. The deliveries are written by the engine with its dispatcher off, then delivered by
// serve to a receiver on 127.0.0.1 that answers 200, so the log holds N settled rows when the measurement starts.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import { browserLaunchOptions, describeBrowser, resolveBrowser } from '../scripts/browser.mjs';
import { intOption, parseOptions } from './lib/args.mjs';
import { buildEngine, ROOT } from './lib/build-engine.mjs';

const USAGE = 'node bench/scroll.mjs [--deliveries N] [--frames N]';
const values = parseOptions(
  { deliveries: { type: 'string', default: '25000' }, frames: { type: 'string', default: '600' } },
  USAGE,
);
const N = intOption(values, 'deliveries', 1, 1_000_000, USAGE);
const FRAMES = intOption(values, 'frames', 1, 100_000, USAGE);

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};

const dir = mkdtempSync(join(tmpdir(), 'hookbench-scroll-'));
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end('{"ok":true}'));
});
await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
const receiverUrl = `http://127.0.0.1:${receiver.address().port}/hook`;
let serve = null;
let browser = null;
try {
  // 1. N pending deliveries, written by the engine itself (dispatcher off)
  const built = await buildEngine();
  const { createEngine } = await import(pathToFileURL(built.engine).href);
  const { routes } = await import(pathToFileURL(built.shared).href);
  const parse = (name, input) => routes[name].input.parse(input);
  const dbPath = join(dir, 'hookbench.db');
  const filler = await createEngine({ dbPath, inbox: false, dispatch: false });
  await filler.handlers['endpoints.create'](parse('endpoints.create', { url: receiverUrl }));
  for (let i = 0; i < N; i += 500) {
    const n = Math.min(500, N - i);
    await Promise.all(
      Array.from({ length: n }, (_, j) =>
        filler.handlers['events.create'](
          parse('events.create', { type: 'bench.scroll', data: { i: i + j, note: 'a row of the log' } }),
        ),
      ),
    );
  }
  await filler.stop();

  // 2. serve delivers them all, then the page opens on the log
  serve = spawn(process.execPath, ['bin/hookbench.js', 'serve', '--port', '0', '--db', dbPath, '--inbox-port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  serve.stdout.on('data', (c) => {
    out += c;
  });
  const openUrl = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 30_000);
    const poll = setInterval(() => {
      const m = /Open (http:\/\/\S+#token=\S+)/.exec(out);
      if (m) {
        clearTimeout(t);
        clearInterval(poll);
        resolve(m[1]);
      }
    }, 50);
  });
  const base = openUrl.split('/#')[0];
  const token = decodeURIComponent(openUrl.split('#token=')[1]);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const res = await fetch(`${base}/api/v1/deliveries/count?status=succeeded`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { count } = await res.json();
    if (count >= N) break;
    if (Date.now() > deadline) throw new Error(`only ${count} of ${N} delivered in 120 s`);
    await new Promise((r) => setTimeout(r, 500));
  }

  const found = resolveBrowser();
  browser = await chromium.launch({
    ...browserLaunchOptions(found),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(openUrl);
  await page.evaluate(() => {
    window.location.hash = '#/deliveries';
  });
  await page.locator('.dl-scroll tr[data-id]').first().waitFor({ timeout: 30_000 });

  // 3. scroll 400 px a frame and record each frame's duration (requestAnimationFrame deltas)
  const result = await page.evaluate(async (frames) => {
    const el = document.querySelector('.dl-scroll');
    const deltas = [];
    let last = performance.now();
    for (let i = 0; i < frames; i++) {
      el.scrollTop += 400;
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      deltas.push(now - last);
      last = now;
    }
    return { deltas, rows: el.querySelector('table')?.getAttribute('aria-rowcount'), top: el.scrollTop };
  }, FRAMES);
  const d = result.deltas.slice(5);
  console.log(
    `Deliveries log, ${N} deliveries stored, ${FRAMES} frames scrolling 400 px each, ${describeBrowser(found)}`,
  );
  console.log(
    `  frame time p50 ${quantile(d, 0.5).toFixed(1)} ms, p95 ${quantile(d, 0.95).toFixed(1)} ms, max ${Math.max(...d).toFixed(1)} ms; ` +
      `frames over 50 ms: ${d.filter((x) => x > 50).length}; scrolled to ${Math.round(result.top)} px ` +
      `(${Math.round(result.top / 36)} rows down)`,
  );
} finally {
  await browser?.close();
  if (serve && serve.exitCode === null) serve.kill('SIGTERM');
  receiver.close();
  rmSync(dir, { recursive: true, force: true });
}
