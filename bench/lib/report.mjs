// Printing: the per-system table, the ratios and the JSON file the issue asks for.
import { writeFileSync } from 'node:fs';
import { round } from './measure.mjs';

const fmt = (v, unit = '') => (v == null ? '—' : `${v.toLocaleString('en-US')}${unit}`);

export function table(headers, rows) {
  const cells = [headers, ...rows.map((r) => r.map((c) => String(c)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function summary(results, { events, rate, seconds }) {
  const { raw, hookbench, bullmq } = results;
  const ratio = (a, b) =>
    a?.deliveriesPerSec && b?.deliveriesPerSec ? round(a.deliveriesPerSec / b.deliveriesPerSec, 2) : null;
  const ratios = { vsRaw: ratio(hookbench, raw), vsBullmq: ratio(hookbench, bullmq) };
  const rows = [
    ['raw undici (ceiling)', raw],
    ['Hookbench', hookbench],
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
    '',
    `Hookbench / raw:    ${fmt(ratios.vsRaw, '×')}   (target ≥ 0.5×)`,
    `Hookbench / BullMQ: ${fmt(ratios.vsBullmq, '×')}   (target ≥ 2.0×)`,
  ];
  if (bullmq?.redisPeakRssMiB)
    text.push(`(redis-server itself peaked at ${fmt(bullmq.redisPeakRssMiB, ' MiB')}, not counted above)`);
  return { text: text.join('\n'), ratios };
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
    peakHeapMiB: r.peakHeapMiB,
    pacedPerSec: r.pacedPerSec,
    complete: Boolean(r.complete && r.pacedComplete),
    ...(r.redisPeakRssMiB != null ? { redisPeakRssMiB: r.redisPeakRssMiB } : {}),
  };

/** `fairness`: bench/fairness.mjs's result (healthy endpoint p50/p99 beside hanging and backlogged ones), or null. */
export function writeJson(file, results, ratios, meta, fairness = null) {
  const doc = {
    raw: pick(results.raw),
    hookbench: pick(results.hookbench),
    bullmq: pick(results.bullmq) ?? null,
    ratios,
    fairness,
    meta,
  };
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
}
