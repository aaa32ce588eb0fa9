// Drives one system through the same phases with the same clock and the same definition of "delivered":
// the moment the system under test itself reports the delivery done (Hookbench: delivery.updated succeeded;
// BullMQ: the worker's completed event; raw: the response body read), in the process doing the work.
//
// An adapter is { start({ onDelivered }), enqueue(seq), stop() }: enqueue fires one event tagged `seq`,
// onDelivered(seq, at?) is called when the system reports that event delivered (`at`: the moment, on this
// process's performance.now() clock, when the report was made elsewhere, e.g. in another node's process).
// Optional `cpuMark()` resolves to { [process]: { cpuUs, mainCpuUs } } for processes other than this one
// (other nodes, a database server): the throughput phase then reports each one's CPU per delivery.
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { quantile, round, rssSampler, sleep, threadCpuUs, tick, waitUntil } from './measure.mjs';

const GC_KINDS = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'scavenge',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'full',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};
const gcKind = (k) => GC_KINDS[k] ?? String(k);

/**
 * { scavenge, full, incremental, weak callbacks: { count, totalMs, maxMs } }: every kind present (zeros when none),
 * so rounds combine kind by kind
 */
function byKind(pauses, kinds) {
  const out = {};
  for (const name of Object.values(GC_KINDS)) out[name] = { count: 0, totalMs: 0, maxMs: 0 };
  pauses.forEach((ms, i) => {
    const name = gcKind(kinds[i]);
    if (!out[name]) out[name] = { count: 0, totalMs: 0, maxMs: 0 };
    const k = out[name];
    k.count++;
    k.totalMs = round(k.totalMs + ms, 1);
    k.maxMs = round(Math.max(k.maxMs, ms), 1);
  });
  return out;
}

/** The main thread's GC pauses (V8's stop-the-world parts: scavenges, a full collection's final pause) while on. */
function gcPauses() {
  const pauses = [];
  const kinds = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      pauses.push(e.duration);
      kinds.push(e.detail?.kind);
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  return {
    /** { count, totalMs, maxMs, byKind } */
    stop() {
      obs.disconnect();
      return {
        count: pauses.length,
        totalMs: round(
          pauses.reduce((a, b) => a + b, 0),
          1,
        ),
        maxMs: round(Math.max(0, ...pauses), 1),
        byKind: byKind(pauses, kinds),
      };
    },
  };
}

/**
 * event id -> the driver's seq, for the adapters of a system that picks its own event ids (the raw and BullMQ
 * adapters carry seq in their jobs and need none). A plain object, not a Map: a long-lived Map set and deleted once
 * per event makes V8 keep its replaced hash tables' entries alive through scavenges (bench/README, "Maps that kept
 * garbage alive"), which cost the measured process ~15 µs per delivery of the adapter's own (Hookbench on SQLite:
 * 148-151 µs per delivery with a Map, 131-134 with this).
 */
export function seqByEventId() {
  const seqs = Object.create(null);
  return {
    get: (id) => seqs[id],
    set: (id, seq) => {
      seqs[id] = seq;
    },
    delete: (id) => {
      delete seqs[id];
    },
  };
}

/** Enqueue in chunks, yielding between them, so that the system's dispatcher runs while events arrive. */
const CHUNK = 500;

export async function drive(adapter, cfg) {
  const rss = rssSampler();
  let nextSeq = 0;
  const enqueuedAt = new Map();
  const deliveredAt = new Map();
  let deliveredCount = 0;
  await adapter.start({
    onDelivered(seq, at = performance.now()) {
      if (deliveredAt.has(seq)) return; // at-least-once systems may report twice; count once
      deliveredAt.set(seq, at);
      deliveredCount++;
    },
  });

  async function burst(n, timeoutMs) {
    const first = nextSeq;
    const target = deliveredCount + n;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const main0 = process.threadCpuUsage?.();
    const threads0 = threadCpuUs();
    const marks0 = await adapter.cpuMark?.();
    const elu0 = performance.eventLoopUtilization();
    const gc = gcPauses();
    for (let i = 0; i < n; i++) {
      await adapter.enqueue(nextSeq++);
      if (i % CHUNK === CHUNK - 1) await tick();
    }
    const eluFired = performance.eventLoopUtilization();
    const firedAt = performance.now();
    const complete = await waitUntil(() => deliveredCount >= target, timeoutMs);
    const eluDone = performance.eventLoopUtilization();
    const gcDone = gc.stop();
    let last = t0;
    for (let s = first; s < nextSeq; s++) last = Math.max(last, deliveredAt.get(s) ?? last);
    const cpu = process.cpuUsage(cpu0);
    const main = main0 && process.threadCpuUsage(main0);
    const threads1 = threadCpuUs();
    const marks1 = marks0 && (await adapter.cpuMark());
    const done = nextSeq - first - countMissing(first, nextSeq);
    const seconds = ((complete ? last : performance.now()) - t0) / 1000;
    // CPU time of this process per delivery: steadier than wall time on a shared machine.
    const perDelivery = (c) => (c ? (c.user + c.system) / Math.max(1, done) : null);
    // the whole process (every thread), and its main thread alone (where the engine's SQLite work runs; Node >= 23.9)
    return {
      complete,
      delivered: done,
      seconds,
      cpuUsPerDelivery: perDelivery(cpu),
      mainCpuUsPerDelivery: perDelivery(main),
      threadsCpuUsPerDelivery:
        threads0 &&
        threads1 &&
        Object.fromEntries(
          Object.keys(threads1).map((k) => [k, round((threads1[k] - threads0[k]) / Math.max(1, done), 0)]),
        ),
      processes: marks0 && cpuPerDelivery(marks0, marks1, done),
      // how busy this process's main thread (its event loop) was while the events were fired, and after, until the
      // last delivery: 1 means it never waited (the thread, not the machine, set the pace)
      mainBusy: {
        firing: round(performance.eventLoopUtilization(eluFired, elu0).utilization, 2),
        after: round(performance.eventLoopUtilization(eluDone, eluFired).utilization, 2),
        whole: round(performance.eventLoopUtilization(eluDone, elu0).utilization, 2),
        firingSeconds: round((firedAt - t0) / 1000, 2),
      },
      mainGcPauses: gcDone,
    };
  }

  /** Each other process's CPU between two marks, per delivery. */
  function cpuPerDelivery(before, after, done) {
    const per = (a, b) => (a == null || b == null ? null : round((b - a) / Math.max(1, done), 0));
    return Object.fromEntries(
      Object.entries(after).map(([name, m]) => [
        name,
        {
          cpuUsPerDelivery: per(before[name]?.cpuUs, m.cpuUs),
          mainCpuUsPerDelivery: per(before[name]?.mainCpuUs, m.mainCpuUs),
        },
      ]),
    );
  }

  function countMissing(from, to) {
    let missing = 0;
    for (let s = from; s < to; s++) if (!deliveredAt.has(s)) missing++;
    return missing;
  }

  async function paced(rate, seconds, timeoutMs) {
    const total = Math.round(rate * seconds);
    const first = nextSeq;
    const t0 = performance.now();
    const gc = gcPauses();
    let fired = 0;
    while (fired < total) {
      const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1);
      while (fired < due) {
        const seq = nextSeq++;
        enqueuedAt.set(seq, performance.now());
        await adapter.enqueue(seq);
        fired++;
      }
      await sleep(1);
    }
    const sendSeconds = (performance.now() - t0) / 1000;
    const complete = await waitUntil(() => countMissing(first, nextSeq) === 0, timeoutMs, 10);
    const gcDone = gc.stop();
    const lat = [];
    for (let s = first; s < nextSeq; s++) {
      const d = deliveredAt.get(s);
      if (d !== undefined) lat.push(d - enqueuedAt.get(s));
    }
    return {
      complete,
      offeredPerSec: round(total / sendSeconds, 0),
      p50Ms: round(quantile(lat, 0.5), 2),
      p99Ms: round(quantile(lat, 0.99), 2),
      maxMs: round(quantile(lat, 1), 2),
      samples: lat.length,
      // a pause of the main thread holds every delivery in flight: the p99 of a paced run often is the longest one
      gcPauses: gcDone,
    };
  }

  const out = { system: adapter.name };
  try {
    await burst(cfg.warmup, cfg.timeoutMs); // JIT, pools and caches warm for everyone alike
    await sleep(300);
    const t = await burst(cfg.events, cfg.timeoutMs);
    out.events = cfg.events;
    out.complete = t.complete;
    out.deliveriesPerSec = round(t.delivered / t.seconds, 0);
    out.throughputSeconds = round(t.seconds, 2);
    out.cpuUsPerDelivery = round(t.cpuUsPerDelivery, 0);
    out.mainCpuUsPerDelivery = t.mainCpuUsPerDelivery === null ? null : round(t.mainCpuUsPerDelivery, 0);
    if (t.threadsCpuUsPerDelivery) out.threadsCpuUsPerDelivery = t.threadsCpuUsPerDelivery;
    if (t.processes) out.processes = t.processes;
    out.mainBusy = t.mainBusy;
    out.mainGcPauses = t.mainGcPauses;
    await sleep(500);
    const p = await paced(cfg.rate, cfg.seconds, cfg.timeoutMs);
    Object.assign(out, {
      p50Ms: p.p50Ms,
      p99Ms: p.p99Ms,
      maxMs: p.maxMs,
      pacedPerSec: p.offeredPerSec,
      pacedComplete: p.complete,
      pacedGcPauses: p.gcPauses,
    });
    out.totalDelivered = deliveredCount;
    out.totalEnqueued = nextSeq;
  } finally {
    const mem = rss.stop();
    out.peakRssMiB = round(mem.rssMiB, 1);
    out.peakHeapMiB = round(mem.heapMiB, 1);
    Object.assign(out, (await adapter.stop()) ?? {});
  }
  return out;
}

/** Child-process entry: config from argv[2], result to the parent over IPC, then exit. */
export async function runChild(makeAdapter) {
  const cfg = JSON.parse(process.argv[2] ?? '{}');
  let result;
  try {
    result = await drive(await makeAdapter(cfg), cfg);
  } catch (err) {
    result = { error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  process.send?.({ type: 'result', result }, () => process.exit(0));
  if (!process.send) {
    console.log(JSON.stringify(result));
    process.exit(0);
  }
}
