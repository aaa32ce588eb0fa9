// Before and after, by turns: two builds of the engine (a git revision and the working tree, or two revisions) run
// the Hookbench system alternately against one receiver, and the runner compares them pair by pair. On a shared VM
// the same engine moves ±10-20% from one run to the next, far more than most single changes; runs taken by turns
// (ABBA: the first of each pair alternates, so a drift of the machine weighs on both alike) are the figure to read.
//
//   node bench/ab.mjs --base HEAD~3                 # that revision against the working tree, 5 pairs
//   node bench/ab.mjs --base v1 --head v2 --pairs 8 --json ab.json
//
// Each side is built like the main runner's engine (bench/lib/build-engine.mjs), from `git archive REV src` under
// .bench/ab/<side>/ (the working tree's src/ as it is for the default head).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { intOption, PHASE_OPTIONS, parseOptions, phaseConfig } from './lib/args.mjs';
import { buildEngine, ROOT } from './lib/build-engine.mjs';
import { round } from './lib/measure.mjs';
import { killStarted, runSystem, startReceiver } from './lib/procs.mjs';
import { table } from './lib/report.mjs';
import { verdict } from './lib/stats.mjs';

const USAGE =
  'node bench/ab.mjs --base REV [--head REV] [--pairs N] [--events N] [--rate N] [--seconds N] [--warmup N] [--json FILE]';
const opts = parseOptions(
  {
    base: { type: 'string' },
    head: { type: 'string' },
    pairs: { type: 'string', default: '5' },
    ...PHASE_OPTIONS,
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
  USAGE,
);
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
const fail = (message) => {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
};
const int = (name, min, max) => intOption(opts, name, min, max, USAGE);
if (!opts.base) fail('--base is required: the revision to compare against');
const pairs = int('pairs', 1, 20);
const { cfg, childTimeoutMs } = phaseConfig(opts, USAGE);

/** The full commit id of a revision, or a clear error (nothing built, nothing run). */
function commitOf(rev) {
  if (rev.startsWith('-')) fail(`not a revision: ${rev}`);
  const r = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) fail(`not a revision of this repository: ${rev}`);
  return r.stdout.trim();
}

const AB_DIR = join(ROOT, '.bench', 'ab');
const sides = [
  { key: 'base', rev: opts.base, commit: commitOf(opts.base) },
  opts.head ? { key: 'head', rev: opts.head, commit: commitOf(opts.head) } : { key: 'head', rev: 'working tree' },
];

/** Builds a side: the revision's src/ extracted under .bench/ab/<key>/, or the working tree's. */
async function buildSide(side) {
  const dir = join(AB_DIR, side.key);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let root = ROOT;
  if (side.commit) {
    const tar = join(dir, 'src.tar');
    for (const [cmd, args] of [
      ['git', ['archive', '--format=tar', '-o', tar, side.commit, 'src']],
      ['tar', ['-xf', tar, '-C', dir]],
    ]) {
      const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || `exit ${r.status}`}`);
    }
    root = dir;
  }
  const built = await buildEngine({ root, outDir: join(dir, 'build'), parts: 'engine' });
  return { ...side, enginePath: built.engine, sharedPath: built.shared };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mean = (xs) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
const span = (xs, unit = '') =>
  xs.length === 0 ? '—' : `${round(Math.min(...xs), 1)}–${round(Math.max(...xs), 1)}${unit}`;
const longestPause = (r) => r.pacedGcPauses?.maxMs ?? null;

const rounded = (v) => ({
  geometricMean: round(v.geometricMean, 3),
  interval: v.interval?.map((x) => round(x, 3)) ?? null,
  signTestP: round(v.signTestP, 3),
  beyond: v.beyond,
});
const sayVerdict = (v) =>
  v.interval === null
    ? 'too few pairs to say how sure'
    : `geometric mean ×${v.geometricMean}, 95% interval ×${v.interval[0]}–×${v.interval[1]}, sign test p = ` +
      `${v.signTestP}: ${v.beyond ? 'beyond' : 'within'} the spread`;

/** Per side: means and ranges; per pair: head over base. */
function compare(runs) {
  const of = (key) => runs.map((p) => p[key]);
  const base = of('base');
  const head = of('head');
  const field = (rs, f) => rs.map(f).filter((v) => v != null);
  const side = (rs) => ({
    deliveriesPerSec: round(mean(field(rs, (r) => r.deliveriesPerSec)), 0),
    cpuUsPerDelivery: round(mean(field(rs, (r) => r.cpuUsPerDelivery)), 1),
    mainCpuUsPerDelivery: round(mean(field(rs, (r) => r.mainCpuUsPerDelivery)), 1),
    workersCpuUsPerDelivery: round(mean(field(rs, (r) => r.threadsCpuUsPerDelivery?.workers)), 1),
    gcCpuUsPerDelivery: round(mean(field(rs, (r) => r.threadsCpuUsPerDelivery?.v8)), 1),
    p99Ms: field(rs, (r) => r.p99Ms),
    peakRssMiB: field(rs, (r) => r.peakRssMiB),
    pacedLongestGcPauseMs: field(rs, longestPause),
  });
  const ratios = runs.map((p) => p.head.deliveriesPerSec / p.base.deliveriesPerSec);
  const cpuRatios = runs.map((p) => p.head.cpuUsPerDelivery / p.base.cpuUsPerDelivery);
  return {
    base: side(base),
    head: side(head),
    headOverBase: {
      deliveriesPerSec: round(mean(ratios), 3),
      deliveriesPerSecMedian: round(median(ratios), 3),
      deliveriesPerSecRange: [round(Math.min(...ratios), 3), round(Math.max(...ratios), 3)],
      headFasterInPairs: ratios.filter((r) => r > 1).length,
      cpuUsPerDelivery: round(mean(cpuRatios), 3),
      cpuUsPerDeliveryMedian: round(median(cpuRatios), 3),
      headLeanerInPairs: cpuRatios.filter((r) => r < 1).length,
      pairs: runs.length,
      // how sure: the geometric mean ratio's bootstrap interval and the sign test (bench/lib/stats.mjs)
      deliveriesPerSecVerdict: rounded(verdict(ratios)),
      cpuUsPerDeliveryVerdict: rounded(verdict(cpuRatios)),
    },
  };
}

function print(runs, cmp) {
  const label = (s) => (s.commit ? `${s.rev} (${s.commit.slice(0, 9)})` : s.rev);
  const rows = [];
  runs.forEach((p, i) => {
    for (const key of p.order)
      rows.push([
        `pair ${i + 1} ${key}`,
        p[key].deliveriesPerSec.toLocaleString('en-US'),
        `${p[key].cpuUsPerDelivery} µs (${p[key].mainCpuUsPerDelivery ?? '—'})`,
        `${p[key].p99Ms} ms`,
        `${longestPause(p[key]) ?? '—'} ms`,
        `${p[key].peakRssMiB} MiB`,
      ]);
  });
  console.log(
    table(['run', 'deliveries/s', 'CPU/delivery (main)', 'p99 @rate', 'paced longest GC pause', 'peak RSS'], rows),
  );
  console.log('');
  const sideRow = (key) => {
    const s = cmp[key];
    return [
      `${key}: ${label(sides.find((x) => x.key === key))}`,
      s.deliveriesPerSec.toLocaleString('en-US'),
      `${s.cpuUsPerDelivery} µs (${s.mainCpuUsPerDelivery}, ${s.workersCpuUsPerDelivery}, ${s.gcCpuUsPerDelivery})`,
      span(s.p99Ms, ' ms'),
      span(s.peakRssMiB, ' MiB'),
    ];
  };
  console.log(
    table(
      [
        'side (mean of the pairs)',
        'deliveries/s',
        'CPU/delivery (main, workers, V8: GC + JIT)',
        'p99 range',
        'peak RSS range',
      ],
      [sideRow('base'), sideRow('head')],
    ),
  );
  const h = cmp.headOverBase;
  console.log(
    `\nhead / base, pair by pair: deliveries/s ×${h.deliveriesPerSec} mean, ×${h.deliveriesPerSecMedian} median ` +
      `(${h.deliveriesPerSecRange.join('–')}), head faster in ${h.headFasterInPairs} of ${h.pairs} pairs; ` +
      `CPU per delivery ×${h.cpuUsPerDelivery} mean, ×${h.cpuUsPerDeliveryMedian} median, head leaner in ` +
      `${h.headLeanerInPairs} of ${h.pairs}`,
  );
  console.log(`how sure, deliveries/s: ${sayVerdict(h.deliveriesPerSecVerdict)}`);
  console.log(`how sure, CPU per delivery: ${sayVerdict(h.cpuUsPerDeliveryVerdict)}`);
}

async function main() {
  console.log(`Hookbench A/B — node ${process.version}; base ${sides[0].rev}, head ${sides[1].rev}; ${pairs} pairs`);
  process.stdout.write('building both engines ... ');
  const built = [];
  for (const s of sides) built.push(await buildSide(s));
  console.log('done');
  const receiver = await startReceiver(join(ROOT, 'bench/receiver.mjs'));
  const runs = [];
  try {
    for (let i = 0; i < pairs; i++) {
      // ABBA: which side goes first alternates, so that a machine speeding up or slowing down weighs on both
      const order = i % 2 === 0 ? built : [built[1], built[0]];
      const pair = { order: order.map((s) => s.key) };
      for (const s of order) {
        process.stdout.write(`pair ${i + 1}/${pairs}: ${s.key} ... `);
        pair[s.key] = await runSystem(
          join(ROOT, 'bench/systems/hookbench.mjs'),
          { ...cfg, receiverUrl: receiver.url, enginePath: s.enginePath, sharedPath: s.sharedPath },
          { timeoutMs: childTimeoutMs },
        );
        console.log(`${pair[s.key].deliveriesPerSec.toLocaleString('en-US')}/s`);
      }
      runs.push(pair);
    }
  } finally {
    receiver.stop();
  }
  const cmp = compare(runs);
  console.log('');
  print(runs, cmp);
  if (opts.json) {
    const meta = { ...cfg, pairs, base: sides[0], head: sides[1], node: process.version, date: new Date() };
    writeFileSync(opts.json, `${JSON.stringify({ meta, ...cmp, runs }, null, 2)}\n`);
    console.log(`wrote ${opts.json}`);
  }
}

main()
  .catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  })
  .finally(killStarted);
