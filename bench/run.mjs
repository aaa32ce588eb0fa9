// `npm run bench`: Hookbench against the raw-HTTP ceiling and a BullMQ peer, same receiver, same payloads.
// Each system runs in its own child process (so peak RSS is per system); see bench/README.md for the method.
//
//   node bench/run.mjs [--events 20000] [--rate 2000] [--seconds 5] [--rounds 1] [--json FILE] [--scale]
//                      [--profile] [--only raw,hookbench,bullmq,fairness] [--hanging 8]
//                      [--store sqlite|postgres] [--nodes 1..4] [--pg-async-commit]
import { mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { FAIRNESS_DEFAULTS, runFairness } from './fairness.mjs';
import { intOption, PHASE_OPTIONS, parseOptions, phaseConfig } from './lib/args.mjs';
import { buildEngine, ROOT } from './lib/build-engine.mjs';
import { summarizeProfiles } from './lib/cpu-profile.mjs';
import { pgBinDir, startPgCluster } from './lib/pg-cluster.mjs';
import { hasRedisServer, killStarted, runSystem, startReceiver, startRedis } from './lib/procs.mjs';
import { medianOf, summary, writeJson } from './lib/report.mjs';

const USAGE =
  'node bench/run.mjs [--events N] [--rate N] [--seconds N] [--warmup N] [--rounds N] [--json FILE] [--scale] [--profile] [--only LIST] [--hanging N] [--store sqlite|postgres] [--nodes N] [--pg-async-commit]';
const opts = parseOptions(
  {
    ...PHASE_OPTIONS,
    rounds: { type: 'string', default: '1' },
    json: { type: 'string' },
    scale: { type: 'boolean', default: false },
    'scale-sizes': { type: 'string', default: '10000,100000,1000000' },
    profile: { type: 'boolean', default: false },
    only: { type: 'string', default: 'raw,hookbench,bullmq,fairness' },
    hanging: { type: 'string', default: String(FAIRNESS_DEFAULTS.hanging) },
    store: { type: 'string', default: 'sqlite' },
    nodes: { type: 'string', default: '1' },
    'pg-async-commit': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  USAGE,
);
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
const int = (name, min, max) => intOption(opts, name, min, max, USAGE);
const { cfg, childTimeoutMs } = phaseConfig(opts, USAGE);
const rounds = int('rounds', 1, 10);
const hanging = int('hanging', 0, 64);
const nodes = int('nodes', 1, 4);
const store = opts.store;
if (store !== 'sqlite' && store !== 'postgres') {
  console.error('--store must be sqlite or postgres');
  process.exit(2);
}
if (store === 'sqlite' && nodes !== 1) {
  console.error('--nodes needs --store postgres (SQLite runs in one process)');
  process.exit(2);
}
if (store === 'sqlite' && opts['pg-async-commit']) {
  console.error('--pg-async-commit needs --store postgres');
  process.exit(2);
}
if (store === 'postgres' && (opts.scale || opts.profile)) {
  console.error('--scale and --profile measure the SQLite engine: run them without --store postgres');
  process.exit(2);
}
if (store === 'postgres' && !pgBinDir()) {
  console.error('--store postgres needs a PostgreSQL server (apt-get install -y postgresql)');
  process.exit(2);
}
const only = new Set(opts.only.split(','));
const sys = (name) => join(ROOT, 'bench/systems', `${name}.mjs`);
const profileDir = join(ROOT, '.bench', 'profiles');

async function receivedSoFar(url) {
  const res = await request(new URL('/__stats', url));
  return res.body.json();
}

/** Runs one system child and checks with the receiver that it really sent what it reports delivered. */
async function measure(name, receiverUrl, config, options) {
  const before = await receivedSoFar(receiverUrl);
  const r = await runSystem(sys(name), { ...config, receiverUrl }, { timeoutMs: childTimeoutMs, ...options });
  const after = await receivedSoFar(receiverUrl);
  r.received = after.requests - before.requests;
  // the receiver's CPU per request over the whole run (warm-up, throughput, paced): what each request costs the
  // machine on the receiving side, shared by every system
  r.receiverCpuUsPerRequest = r.received > 0 ? Math.round((after.cpuUs - before.cpuUs) / r.received) : null;
  if (r.received < r.totalDelivered)
    console.log(`WARNING: ${name} reports ${r.totalDelivered} delivered, the receiver got ${r.received}`);
  if (after.badSignatures > before.badSignatures) console.log(`WARNING: ${name} sent requests with invalid signatures`);
  return r;
}

/** The PostgreSQL row's CPU/delivery is every node's together (node 1's own kept apart); PostgreSQL's is not in it. */
function sumNodes(r) {
  const others = Object.entries(r.processes ?? {}).filter(([name]) => name !== 'postgres');
  const sum = (own, key) =>
    own == null || others.some(([, p]) => p[key] == null) ? null : own + others.reduce((a, [, p]) => a + p[key], 0);
  r.node1CpuUsPerDelivery = r.cpuUsPerDelivery;
  r.node1MainCpuUsPerDelivery = r.mainCpuUsPerDelivery;
  r.cpuUsPerDelivery = sum(r.cpuUsPerDelivery, 'cpuUsPerDelivery');
  r.mainCpuUsPerDelivery = sum(r.mainCpuUsPerDelivery, 'mainCpuUsPerDelivery');
}

async function round(receiverUrl, built) {
  const out = { raw: null, hookbench: null, bullmq: null };
  if (only.has('raw')) {
    console.log('raw: undici Pool.request, concurrency 32 ...');
    out.raw = await measure('raw', receiverUrl, cfg);
  }
  if (only.has('hookbench') && store === 'postgres') {
    const commit = opts['pg-async-commit'] ? 'synchronous_commit off' : 'synchronous_commit on';
    console.log(
      `hookbench: the engine core on PostgreSQL (fsync on, ${commit}), ${nodes} node(s), events round-robin ...`,
    );
    // a fresh cluster per round: every round starts from an empty database; stopped by PID even on failure
    const cluster = await startPgCluster({ synchronousCommit: !opts['pg-async-commit'] });
    try {
      out.hookbench = await measure('hookbench-pg', receiverUrl, {
        ...cfg,
        nodes,
        databaseUrl: cluster.url,
        postmasterPid: cluster.pid,
        pgCorePath: built.pgCore,
        sharedPath: built.shared,
        httpWorkerPath: built.httpWorker,
      });
      sumNodes(out.hookbench);
    } finally {
      await cluster.stop();
    }
  } else if (only.has('hookbench')) {
    console.log('hookbench: the engine end to end (SQLite WAL, full attempt log) ...');
    if (opts.profile) mkdirSync(profileDir, { recursive: true });
    const started = Date.now();
    out.hookbench = await measure(
      'hookbench',
      receiverUrl,
      { ...cfg, enginePath: built.engine, sharedPath: built.shared },
      {
        execArgv: [
          ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []),
          ...(opts.profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
        ],
      },
    );
    if (opts.profile) console.log(`\n${summarizeProfiles(profileDir, started)}\n`);
  }
  if (only.has('bullmq')) {
    if (!hasRedisServer()) {
      console.log('bullmq: SKIPPED — redis-server is not installed (apt-get install -y redis-server to compare)');
    } else {
      console.log('bullmq: Queue + Worker (concurrency 32) on a private redis-server ...');
      const redis = await startRedis();
      try {
        out.bullmq = await measure('bullmq', receiverUrl, { ...cfg, redisPort: redis.port });
        const redisPeak = redis.peakRssMiB();
        out.bullmq.redisPeakRssMiB = redisPeak === null ? null : Math.round(redisPeak * 10) / 10;
      } finally {
        await redis.stop();
      }
    }
  }
  return out;
}

async function main() {
  console.log(`Hookbench bench — node ${process.version}, ${cpus().length} CPUs`);
  let built;
  if (only.has('hookbench') || only.has('fairness') || opts.scale) {
    process.stdout.write('building the engine from source into .bench/build ... ');
    built = await buildEngine();
    console.log('done');
  }
  const receiver = await startReceiver(join(ROOT, 'bench/receiver.mjs'));
  const all = [];
  let fairness = null;
  try {
    for (let i = 0; i < rounds; i++) {
      if (rounds > 1) console.log(`— round ${i + 1} of ${rounds}`);
      all.push(await round(receiver.url, built));
    }
    if (opts.scale) {
      const { runScale } = await import('./scale.mjs');
      await runScale({ built, receiverUrl: receiver.url, sizes: opts['scale-sizes'].split(',').map(Number) });
    }
    // once, not per round: its figures are latencies under a fixed load, not a throughput that varies by round
    if (only.has('fairness') && store === 'postgres')
      console.log('fairness: SQLite only, skipped with --store postgres');
    else if (only.has('fairness')) fairness = await runFairness(built, { hanging });
  } finally {
    await receiver.stop();
  }
  // With several rounds, each figure is the median of the rounds (the machine may be shared).
  const results = Object.fromEntries(['raw', 'hookbench', 'bullmq'].map((k) => [k, medianOf(all.map((r) => r[k]))]));
  for (const [name, r] of Object.entries(results)) {
    if (r && !(r.complete && r.pacedComplete)) console.log(`WARNING: ${name} did not deliver every event in time`);
  }
  if (!Object.values(results).some(Boolean) && !opts.json) return;
  const { text, ratios } = summary(results, { ...cfg, store, nodes });
  console.log(`\n${text}`);
  // Ratios within each round are steadier than ratios of medians when the machine's load changes between rounds.
  const perRound = all.map((r) => summary(r, { ...cfg, store, nodes }).ratios);
  if (rounds > 1)
    console.log(`per round: ${perRound.map((r) => `raw ${r.vsRaw}× / BullMQ ${r.vsBullmq}×`).join('; ')}`);
  if (opts.json) {
    writeJson(
      opts.json,
      results,
      ratios,
      {
        ...cfg,
        rounds,
        hanging,
        store,
        nodes,
        pgAsyncCommit: opts['pg-async-commit'],
        node: process.version,
        cpus: cpus().length,
        date: new Date().toISOString(),
      },
      fairness,
    );
    console.log(`wrote ${opts.json}`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  killStarted();
  process.exit(1);
});
