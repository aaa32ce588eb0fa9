// `--scale`: claim and list latency with 10k, 100k and 1M stored deliveries. Claim: the engine's own claim
// statement (DeliveryStates.claim + DeliveryQueue.withEvents: one endpoint's 32 due deliveries among the stored
// ones and their events, each measurement rolled back) and
// enqueue→delivered through the running engine; list: deliveries.list first page and filtered pages.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { quantile, round, sleep, waitUntil } from './lib/measure.mjs';
import { table } from './lib/report.mjs';
import { prepareFill } from './lib/scale-fill.mjs';

const ENDPOINTS = 10;
const CLAIM_SAMPLES = 200;
const LIST_SAMPLES = 50;
const E2E_EVENTS = 200;
const E2E_WARMUP = 20;
/** no size step may take longer than this (fill included); a slower one is reported as cut short */
const STEP_BUDGET_MS = 180_000;

/** p50/p99 of `n` calls; every call must return a non-empty page (a filter matching nothing is no test). */
async function timeIt(what, n, fn) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const page = await fn(i);
    out.push(performance.now() - t0);
    if (page.data.length === 0) throw new Error(`${what}: a measured list page came back empty`);
  }
  return { p50: round(quantile(out, 0.5), 3), p99: round(quantile(out, 0.99), 3) };
}

/** The claim of 32 due deliveries among everything stored, each time inside a transaction rolled back. */
function claimLatency(dbPath, { DeliveryQueue, DeliveryStates }, endpointId) {
  const db = new Database(dbPath);
  try {
    const queue = new DeliveryQueue(db);
    const states = new DeliveryStates(db);
    const due = db.prepare(
      `INSERT INTO deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, max_attempts,
         next_attempt_at, created_at, updated_at)
       SELECT 'due-' || d.id, d.event_id, ?, d.event_type, 'pending', 0, 8, ?, ?, ? FROM deliveries d
       WHERE d.status = 'succeeded' LIMIT 32`,
    );
    const times = [];
    for (let i = 0; i < CLAIM_SAMPLES; i++) {
      const now = Date.now();
      db.exec('BEGIN');
      due.run(endpointId, now - 1, now, now);
      const t0 = performance.now();
      const got = queue.withEvents(states.claim(endpointId, now, now + 25_000, 32));
      times.push(performance.now() - t0);
      db.exec('ROLLBACK');
      if (got.length !== 32) throw new Error(`claim returned ${got.length} rows, expected 32`);
    }
    return { p50: round(quantile(times, 0.5), 3), p99: round(quantile(times, 0.99), 3) };
  } finally {
    db.close();
  }
}

export async function runScale({ built, receiverUrl, sizes }) {
  const { createEngine } = await import(pathToFileURL(built.engine).href);
  const { routes } = await import(pathToFileURL(built.shared).href);
  const claimParts = await import(pathToFileURL(built.queue).href);
  const parse = (name, input) => routes[name].input.parse(input);
  const dir = mkdtempSync(join(tmpdir(), 'hookbench-scale-'));
  const dbPath = join(dir, 'scale.db');
  const rows = [];
  try {
    // Migrate and create the endpoints through the engine, then fill history with a second connection.
    let engine = await createEngine({ dbPath, inbox: false, dispatch: false });
    const endpointIds = [];
    for (let i = 0; i < ENDPOINTS; i++) {
      const ep = await engine.handlers['endpoints.create'](parse('endpoints.create', { url: receiverUrl }));
      endpointIds.push(ep.id);
    }
    await engine.stop();
    let stored = 0;
    for (const size of [...sizes].sort((a, b) => a - b)) {
      const started = performance.now();
      const fillDb = new Database(dbPath);
      fillDb.pragma('journal_mode = WAL');
      const fill = prepareFill(fillDb, endpointIds, Date.now());
      process.stdout.write(`scale: filling to ${size.toLocaleString('en-US')} deliveries ... `);
      const cut = false;
      fill(stored, size, (n) => {
        stored = n;
        if (performance.now() - started > STEP_BUDGET_MS) throw Object.assign(new Error('budget'), { cut: true });
      });
      fillDb.pragma('wal_checkpoint(TRUNCATE)');
      fillDb.close();
      console.log(`${round((performance.now() - started) / 1000, 1)} s`);

      const claim = claimLatency(dbPath, claimParts, endpointIds[0]);
      engine = await createEngine({ dbPath, inbox: false });
      const h = engine.handlers;
      const first = await timeIt('first page', LIST_SAMPLES, () => h['deliveries.list'](parse('deliveries.list', {})));
      const byEndpoint = await timeIt('endpoint + failed', LIST_SAMPLES, (i) =>
        h['deliveries.list'](parse('deliveries.list', { endpointId: endpointIds[i % ENDPOINTS], status: 'failed' })),
      );
      const byType = await timeIt('by type', LIST_SAMPLES, (i) =>
        h['deliveries.list'](parse('deliveries.list', { type: `scale.type${i % 5}` })),
      );
      // Deep page: follow the cursor ten pages down.
      let cursor = null;
      for (let p = 0; p < 10; p++)
        cursor = (await h['deliveries.list'](parse('deliveries.list', cursor ? { cursor } : {}))).nextCursor;
      const deep = await timeIt('page 11', LIST_SAMPLES, () =>
        h['deliveries.list'](parse('deliveries.list', { cursor })),
      );

      // Enqueue→delivered through the running engine, paced at 100/s, after a few unmeasured ones (the first
      // request of a fresh engine opens its connection and warms its HTTP worker, as in the main run's warm-up).
      for (let i = 0; i < E2E_WARMUP; i++) {
        await h['events.create'](
          parse('events.create', { type: 'scale.warm', data: { i }, endpointIds: [endpointIds[0]] }),
        );
        await sleep(10);
      }
      const sent = new Map();
      const lat = [];
      const off = engine.on('delivery.updated', (d) => {
        const t = sent.get(d.eventId);
        if (d.status === 'succeeded' && t !== undefined) lat.push(performance.now() - t);
      });
      for (let i = 0; i < E2E_EVENTS; i++) {
        const t0 = performance.now();
        const ev = await h['events.create'](
          parse('events.create', { type: 'scale.live', data: { i }, endpointIds: [endpointIds[0]] }),
        );
        sent.set(ev.id, t0);
        await sleep(10);
      }
      await waitUntil(() => lat.length >= E2E_EVENTS, 30_000);
      off();
      await engine.stop();
      const mib = round(statSync(dbPath).size / 1024 / 1024, 0);
      rows.push({
        stored,
        mib,
        claim,
        e2e: { p50: round(quantile(lat, 0.5), 2), p99: round(quantile(lat, 0.99), 2) },
        first,
        byEndpoint,
        byType,
        deep,
        cut,
      });
    }
  } catch (err) {
    if (!err?.cut) throw err;
    console.log('scale: a step ran over its time budget; stopping there');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ms = (x) => `${x.p50} / ${x.p99}`;
  console.log('\nScale (p50 / p99 ms)');
  console.log(
    table(
      [
        'stored deliveries',
        'db MiB',
        'claim 32',
        'enqueue→delivered',
        'list first page',
        'list endpoint+failed',
        'list by type',
        'list page 11',
      ],
      rows.map((r) => [
        r.stored.toLocaleString('en-US'),
        String(r.mib),
        ms(r.claim),
        ms(r.e2e),
        ms(r.first),
        ms(r.byEndpoint),
        ms(r.byType),
        ms(r.deep),
      ]),
    ),
  );
  return rows;
}
