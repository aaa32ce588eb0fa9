// The fairness figures: does a slow, hanging or backlogged endpoint delay another endpoint's deliveries?
//  1. beside N endpoints that accept requests and never answer (timeout 10 s), a healthy endpoint's
//     enqueue→delivered p50/p99 while events go to all of them at a steady rate;
//  2. beside an endpoint with a large backlog of waiting deliveries (its receiver slow), a new event's
//     enqueue→delivered p50/p99 for another endpoint.
// Run by `npm run bench` (the JSON gets a `fairness` object) or alone:
//
//   node bench/fairness.mjs [--hanging 8] [--events 200] [--rate 20] [--backlog 50000] [--backlog-events 50]
//                           [--json FILE]
//
// The engine runs in this process (built from source as for the main run); the receivers run in a child process
// (bench/fairness-receivers.mjs) killed by PID at the end of each figure, which also ends every hung request.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { request } from 'undici';
import { intOption, parseOptions } from './lib/args.mjs';
import { buildEngine, ROOT } from './lib/build-engine.mjs';
import { quantile, round, sleep, tick, waitUntil } from './lib/measure.mjs';
import { killStarted, startReceiver } from './lib/procs.mjs';

export const FAIRNESS_DEFAULTS = { hanging: 8, events: 200, rate: 20, backlog: 50_000, backlogEvents: 50 };
/** the target for the healthy endpoint, in tests and here */
export const TARGET_P99_MS = 250;
/** the hanging endpoints' timeout: long enough that their attempts hold slots for the whole run */
const HANGING_TIMEOUT_MS = 10_000;
/** how long the backlogged endpoint's receiver takes per request */
const SLOW_MS = 1_000;
/** after the last event, how long a missing delivery is waited for (a starved one is reported missing) */
const SETTLE_MS = 15_000;
/** writing the backlog may not take longer than this */
const FILL_BUDGET_MS = 180_000;
const FILL_CHUNK = 500;
const RECEIVERS = join(ROOT, 'bench/fairness-receivers.mjs');

async function loadEngine(built) {
  const { createEngine } = await import(pathToFileURL(built.engine).href);
  const { routes } = await import(pathToFileURL(built.shared).href);
  const parse = (name, input) => routes[name].input.parse(input);
  return { createEngine, parse };
}

/** enqueue→delivered per event for one endpoint, "delivered" being the engine's own `succeeded` report. */
function latencies(engine, endpointId) {
  const sentAt = new Map();
  /** delivered before events.create returned the event's id */
  const early = new Map();
  const samples = [];
  const record = (t0, t1) => samples.push({ ms: t1 - t0, at: t1 });
  const off = engine.on('delivery.updated', (d) => {
    if (d.endpointId !== endpointId || d.status !== 'succeeded') return;
    const now = performance.now();
    const t0 = sentAt.get(d.eventId);
    if (t0 === undefined) early.set(d.eventId, now);
    else {
      sentAt.delete(d.eventId);
      record(t0, now);
    }
  });
  return {
    samples,
    off,
    sent(eventId, t0) {
      const t1 = early.get(eventId);
      if (t1 === undefined) sentAt.set(eventId, t0);
      else {
        early.delete(eventId);
        record(t0, t1);
      }
    },
  };
}

/** Fires `n` events at `rate`/s on a fixed schedule (a late one does not push the rest back). */
async function firePaced(n, rate, fire, tracker) {
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait > 0) await sleep(wait);
    const t0 = performance.now();
    const ev = await fire(i);
    tracker.sent(ev.id, t0);
  }
  return performance.now();
}

function figure(samples, events, lastAt) {
  const ms = samples.map((s) => s.ms);
  return {
    events,
    delivered: samples.length,
    deliveredWithin5sOfLastEvent: samples.filter((s) => s.at <= lastAt + 5_000).length,
    p50Ms: round(quantile(ms, 0.5), 1),
    // a delivery that never arrived counts as slower than any that did: no p99 when some are missing
    p99Ms: samples.length === events ? round(quantile(ms, 0.99), 1) : null,
    maxMs: round(Math.max(0, ...ms), 1),
  };
}

async function receivedBy(port) {
  const res = await request(`http://127.0.0.1:${port}/__stats`);
  return (await res.body.json()).requests;
}

/** Figure 1: a healthy endpoint beside `hanging` endpoints that never answer, every event to all of them. */
export async function hangingFigure(built, { hanging, events, rate }) {
  const { createEngine, parse } = await loadEngine(built);
  const rx = await startReceiver(RECEIVERS, ['--hanging', String(hanging)]);
  const dir = mkdtempSync(join(tmpdir(), 'hookbench-fairness-'));
  const engine = await createEngine({ dbPath: join(dir, 'fairness.db'), inbox: false });
  const h = engine.handlers;
  try {
    const endpoint = (port) =>
      h['endpoints.create'](
        parse('endpoints.create', { url: `http://127.0.0.1:${port}/hook`, timeoutMs: HANGING_TIMEOUT_MS }),
      );
    for (const port of rx.info.hanging) await endpoint(port);
    const healthy = await endpoint(rx.info.port);
    const tracker = latencies(engine, healthy.id);
    const lastAt = await firePaced(
      events,
      rate,
      (i) => h['events.create'](parse('events.create', { type: 'bench.tick', data: { i } })),
      tracker,
    );
    await waitUntil(() => tracker.samples.length >= events, SETTLE_MS, 20);
    tracker.off();
    return { hanging, rate, ...figure(tracker.samples, events, lastAt), received: await receivedBy(rx.info.port) };
  } finally {
    // receivers first: their hung requests fail at once, so the engine's stop does not wait out the timeouts
    await rx.stop();
    await engine.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Figure 2: a new event for a healthy endpoint while another endpoint has `backlog` deliveries waiting. */
export async function backlogFigure(built, { backlog, backlogEvents: events, rate }) {
  const { createEngine, parse } = await loadEngine(built);
  const rx = await startReceiver(RECEIVERS, ['--hanging', '0', '--slow-ms', String(SLOW_MS)]);
  const dir = mkdtempSync(join(tmpdir(), 'hookbench-fairness-'));
  const dbPath = join(dir, 'backlog.db');
  let engine = null;
  try {
    // The backlog is written with the dispatcher off, so it is all waiting (due now) when the measured engine starts.
    const filler = await createEngine({ dbPath, inbox: false, dispatch: false });
    const url = (port) => `http://127.0.0.1:${port}/hook`;
    const slow = await filler.handlers['endpoints.create'](parse('endpoints.create', { url: url(rx.info.slow) }));
    const healthy = await filler.handlers['endpoints.create'](parse('endpoints.create', { url: url(rx.info.port) }));
    const started = performance.now();
    for (let i = 0; i < backlog; i += FILL_CHUNK) {
      const chunk = [];
      for (let j = i; j < Math.min(backlog, i + FILL_CHUNK); j++)
        chunk.push(
          filler.handlers['events.create'](
            parse('events.create', { type: 'bench.tick', data: { j }, endpointIds: [slow.id] }),
          ),
        );
      await Promise.all(chunk);
      await tick();
      if (performance.now() - started > FILL_BUDGET_MS)
        throw new Error(`writing the backlog took over ${FILL_BUDGET_MS} ms`);
    }
    const fillSeconds = round((performance.now() - started) / 1000, 1);
    await filler.stop();

    engine = await createEngine({ dbPath, inbox: false });
    const h = engine.handlers;
    // the dispatcher starts on the backlog first
    await sleep(500);
    const tracker = latencies(engine, healthy.id);
    const lastAt = await firePaced(
      events,
      rate,
      (i) => h['events.create'](parse('events.create', { type: 'bench.tick', data: { i }, endpointIds: [healthy.id] })),
      tracker,
    );
    await waitUntil(() => tracker.samples.length >= events, SETTLE_MS, 20);
    tracker.off();
    return {
      backlog,
      rate,
      fillSeconds,
      ...figure(tracker.samples, events, lastAt),
      backlogSent: await receivedBy(rx.info.slow),
    };
  } finally {
    await rx.stop();
    await engine?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runFairness(built, options = {}) {
  const o = { ...FAIRNESS_DEFAULTS, ...options };
  console.log(`fairness: a healthy endpoint beside ${o.hanging} hanging ones, ${o.events} events at ${o.rate}/s ...`);
  const hanging = await hangingFigure(built, o);
  console.log(`fairness: a new event beside ${o.backlog.toLocaleString('en-US')} waiting deliveries ...`);
  const backlog = await backlogFigure(built, o);
  const result = { targetP99Ms: TARGET_P99_MS, hanging, backlog };
  console.log(`\n${fairnessText(result)}`);
  return result;
}

export function fairnessText({ hanging: a, backlog: b }) {
  const ms = (v) => (v == null ? 'n/a (not all delivered)' : `${v} ms`);
  const met = (f) => (f.p99Ms != null && f.p99Ms <= TARGET_P99_MS ? 'met' : 'NOT met');
  return [
    'Fairness: enqueue→delivered of a healthy endpoint',
    `  beside ${a.hanging} endpoints that never answer (timeout ${HANGING_TIMEOUT_MS / 1000} s), ${a.events} events at ${a.rate}/s to all:`,
    `    ${a.delivered}/${a.events} delivered (${a.deliveredWithin5sOfLastEvent} within 5 s of the last event), p50 ${ms(a.p50Ms)}, p99 ${ms(a.p99Ms)}, max ${a.maxMs} ms — target p99 ≤ ${TARGET_P99_MS} ms: ${met(a)}`,
    `  beside an endpoint with ${b.backlog.toLocaleString('en-US')} waiting deliveries (receiver ${SLOW_MS / 1000} s per request), ${b.events} events at ${b.rate}/s:`,
    `    ${b.delivered}/${b.events} delivered, p50 ${ms(b.p50Ms)}, p99 ${ms(b.p99Ms)}, max ${b.maxMs} ms — target p99 ≤ ${TARGET_P99_MS} ms: ${met(b)}`,
  ].join('\n');
}

const FAIRNESS_USAGE =
  'node bench/fairness.mjs [--hanging N] [--events N] [--rate N] [--backlog N] [--backlog-events N] [--json FILE]';

async function main() {
  const values = parseOptions(
    {
      hanging: { type: 'string', default: String(FAIRNESS_DEFAULTS.hanging) },
      events: { type: 'string', default: String(FAIRNESS_DEFAULTS.events) },
      rate: { type: 'string', default: String(FAIRNESS_DEFAULTS.rate) },
      backlog: { type: 'string', default: String(FAIRNESS_DEFAULTS.backlog) },
      'backlog-events': { type: 'string', default: String(FAIRNESS_DEFAULTS.backlogEvents) },
      json: { type: 'string' },
    },
    FAIRNESS_USAGE,
  );
  const int = (name, min, max) => intOption(values, name, min, max, FAIRNESS_USAGE);
  const options = {
    hanging: int('hanging', 0, 64),
    events: int('events', 10, 10_000),
    rate: int('rate', 1, 1_000),
    backlog: int('backlog', 0, 1_000_000),
    backlogEvents: int('backlog-events', 10, 10_000),
  };
  process.stdout.write('building the engine from source into .bench/build ... ');
  const built = await buildEngine();
  console.log('done');
  const result = await runFairness(built, options);
  if (values.json) {
    writeFileSync(values.json, `${JSON.stringify({ fairness: result }, null, 2)}\n`);
    console.log(`wrote ${values.json}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    killStarted();
    process.exit(1);
  });
}
