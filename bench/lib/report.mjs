// Printing: the per-system table, the ratios and the JSON file the issue asks for.
import { writeFileSync } from 'node:fs';
import { round } from './measure.mjs';

const fmt = (v, unit = '') => (v == null ? '—' : `${v.toLocaleString('en-US')}${unit}`);
const pct = (v) => (v == null ? '—' : `${Math.round(v * 100)}%`);

export function table(headers, rows) {
  const cells = [headers, ...rows.map((r) => r.map((c) => String(c)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function summary(results, { events, rate, seconds, store = 'sqlite', nodes = 1 }) {
  const pg = store === 'postgres';
  const { raw, hookbench, bullmq } = results;
  const ratio = (a, b) =>
    a?.deliveriesPerSec && b?.deliveriesPerSec ? round(a.deliveriesPerSec / b.deliveriesPerSec, 2) : null;
  const ratios = { vsRaw: ratio(hookbench, raw), vsBullmq: ratio(hookbench, bullmq) };
  const rows = [
    ['raw undici (ceiling)', raw],
    [pg ? `Hookbench PostgreSQL ×${nodes}` : 'Hookbench', hookbench],
    ['BullMQ + Redis', bullmq],
  ].map(([label, r]) =>
    r
      ? [
          label,
          fmt(r.deliveriesPerSec),
          fmt(r.p50Ms, ' ms'),
          fmt(r.p99Ms, ' ms'),
          fmt(r.peakRssMiB, ' MiB'),
          fmt(r.cpuUsPerDelivery, ' µs'),
          fmt(r.mainCpuUsPerDelivery, ' µs'),
          r.complete && r.pacedComplete ? 'yes' : 'NO',
        ]
      : [label, 'skipped', '—', '—', '—', '—', '—', '—'],
  );
  const text = [
    `${fmt(events)} events of 1 KiB for deliveries/s; latency enqueue→delivered at ${fmt(rate)}/s paced for ${seconds} s`,
    table(['system', 'deliveries/s', 'p50', 'p99', 'peak RSS', 'CPU/delivery', 'main thread', 'all delivered'], rows),
    "(CPU/delivery: CPU time of the system's own process during the throughput run, receiver and Redis excluded;",
    ' main thread: the part spent on its main thread, where the engine and its SQLite work run)',
    ...threadLines(results),
    '',
    `Hookbench / raw:    ${fmt(ratios.vsRaw, '×')}   (target ≥ 0.5×)`,
    `Hookbench / BullMQ: ${fmt(ratios.vsBullmq, '×')}   (target ≥ 2.0×)`,
  ];
  if (pg && hookbench) text.push('', ...postgresLines(hookbench));
  if (bullmq?.redisPeakRssMiB)
    text.push(`(redis-server itself peaked at ${fmt(bullmq.redisPeakRssMiB, ' MiB')}, not counted above)`);
  return { text: text.join('\n'), ratios };
}

/**
 * Where each system's CPU per delivery went, by kind of thread (Linux), and what each request cost the shared
 * receiver: with both cores busy, a system's rate is about the machine's CPU over (its CPU + the receiver's).
 */
function threadLines(results) {
  const lines = [];
  const names = { raw: 'raw undici', hookbench: 'Hookbench', bullmq: 'BullMQ' };
  for (const [key, label] of Object.entries(names)) {
    const t = results[key]?.threadsCpuUsPerDelivery;
    if (!t) continue;
    const parts = [
      `main ${fmt(t.main, ' µs')}`,
      `worker threads ${fmt(t.workers, ' µs')}`,
      `V8 (GC, JIT) ${fmt(t.v8, ' µs')}`,
    ];
    if (t.other) parts.push(`other ${fmt(t.other, ' µs')}`);
    const busy = results[key]?.mainBusy;
    if (busy)
      parts.push(
        `main thread busy ${pct(busy.firing)} while firing (${busy.firingSeconds} s), ${pct(busy.after)} after`,
      );
    const gc = results[key]?.mainGcPauses;
    if (gc)
      parts.push(
        `GC pauses on it ${gc.count} (${fmt(gc.totalMs, ' ms')} in all, longest ${fmt(gc.maxMs, ' ms')}${kinds(gc)})`,
      );
    const paced = results[key]?.pacedGcPauses;
    if (paced) parts.push(`in the paced run ${paced.count} (longest ${fmt(paced.maxMs, ' ms')}${kinds(paced)})`);
    lines.push(`  ${label}: ${parts.join(', ')}`);
  }
  if (lines.length > 0) lines.unshift('CPU per delivery by thread (throughput run):');
  const receiver = Object.entries(names)
    .filter(([key]) => results[key]?.receiverCpuUsPerRequest != null)
    .map(([key, label]) => `${label} ${fmt(results[key].receiverCpuUsPerRequest, ' µs')}`);
  if (receiver.length > 0)
    lines.push(`The receiver's CPU per request, over each system's whole run: ${receiver.join(', ')}`);
  return lines;
}

/** "; scavenge 5, longest 7 ms; full 1, longest 6.9 ms": each kind of pause that happened, how many, its longest */
function kinds(gc) {
  const seen = Object.entries(gc.byKind ?? {}).filter(([, k]) => k.count > 0);
  return seen.map(([name, k]) => `; ${name} ${k.count}, longest ${fmt(k.maxMs, ' ms')}`).join('');
}

/** --store postgres: each process's CPU per delivery in the throughput run, so the scaling can be read. */
function postgresLines(r) {
  const us = (v) => fmt(v, ' µs');
  const lines = [
    'Hookbench on PostgreSQL, CPU per delivery in the throughput run (its row above sums the nodes, PostgreSQL apart):',
    `  node 1 (also the driver): ${us(r.node1CpuUsPerDelivery)}, main thread ${us(r.node1MainCpuUsPerDelivery)}`,
  ];
  for (const [name, p] of Object.entries(r.processes ?? {})) {
    if (name === 'postgres') continue;
    lines.push(`  ${name}: ${us(p.cpuUsPerDelivery)}, main thread ${us(p.mainCpuUsPerDelivery)}`);
  }
  lines.push(`  PostgreSQL (postmaster and its children): ${us(r.processes?.postgres?.cpuUsPerDelivery)}`);
  const rss = (r.nodePeakRss ?? []).map((n) => `node ${n.node} ${fmt(n.peakRssMiB, ' MiB')}`);
  if (rss.length > 0) lines.push(`  peak RSS of the other nodes: ${rss.join(', ')} (node 1's is in the row)`);
  return lines;
}

/** Per field, the median over rounds (numbers) or whether every round had it (booleans); null when absent. */
export function medianOf(runs) {
  const present = runs.filter(Boolean);
  if (present.length === 0) return null;
  if (present.length === 1) return present[0];
  const out = {};
  for (const key of Object.keys(present[0])) {
    const vals = present.map((r) => r[key]);
    if (vals.every((v) => typeof v === 'number')) {
      const sorted = [...vals].sort((a, b) => a - b);
      out[key] = sorted[Math.floor((sorted.length - 1) / 2)];
    } else if (vals.every((v) => typeof v === 'boolean')) out[key] = vals.every(Boolean);
    else if (vals.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) out[key] = medianOf(vals);
    else out[key] = vals[0];
  }
  return out;
}

const pick = (r) =>
  r && {
    deliveriesPerSec: r.deliveriesPerSec,
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    peakRssMiB: r.peakRssMiB,
    maxMs: r.maxMs,
    cpuUsPerDelivery: r.cpuUsPerDelivery,
    mainCpuUsPerDelivery: r.mainCpuUsPerDelivery,
    ...(r.threadsCpuUsPerDelivery ? { threadsCpuUsPerDelivery: r.threadsCpuUsPerDelivery } : {}),
    ...(r.receiverCpuUsPerRequest != null ? { receiverCpuUsPerRequest: r.receiverCpuUsPerRequest } : {}),
    ...(r.mainBusy ? { mainBusy: r.mainBusy } : {}),
    ...(r.mainGcPauses ? { mainGcPauses: r.mainGcPauses } : {}),
    ...(r.pacedGcPauses ? { pacedGcPauses: r.pacedGcPauses } : {}),
    peakHeapMiB: r.peakHeapMiB,
    pacedPerSec: r.pacedPerSec,
    complete: Boolean(r.complete && r.pacedComplete),
    ...(r.redisPeakRssMiB != null ? { redisPeakRssMiB: r.redisPeakRssMiB } : {}),
  };

/** The JSON's `postgres` object (--store postgres): nodes, per-process CPU per delivery, PostgreSQL's own. */
function postgresOf(r, meta) {
  const { postgres: server, ...others } = r.processes;
  return {
    nodes: r.nodes,
    firing: 'round-robin',
    fsync: true,
    synchronousCommit: meta.pgAsyncCommit ? 'off' : 'on',
    cpuUsPerDelivery: r.cpuUsPerDelivery,
    perNode: [
      {
        node: 1,
        cpuUsPerDelivery: r.node1CpuUsPerDelivery,
        mainCpuUsPerDelivery: r.node1MainCpuUsPerDelivery,
        peakRssMiB: r.peakRssMiB,
      },
      ...Object.entries(others).map(([name, p], i) => ({
        node: Number(name.split(' ')[1]),
        ...p,
        peakRssMiB: r.nodePeakRss?.[i]?.peakRssMiB ?? null,
      })),
    ],
    postgresCpuUsPerDelivery: server?.cpuUsPerDelivery ?? null,
    failures: r.failures,
    enqueueErrors: r.enqueueErrors,
  };
}

/** `fairness`: bench/fairness.mjs's result (healthy endpoint p50/p99 beside hanging and backlogged ones), or null. */
export function writeJson(file, results, ratios, meta, fairness = null) {
  const doc = {
    raw: pick(results.raw),
    hookbench: pick(results.hookbench),
    bullmq: pick(results.bullmq) ?? null,
    ratios,
    fairness,
    postgres: results.hookbench?.processes ? postgresOf(results.hookbench, meta) : null,
    meta,
  };
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
}
