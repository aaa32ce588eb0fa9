// `node bench/perf.mjs [--events N] [--warmup N] [--freq HZ] [--top N]`: where the engine's CPU goes, native code included.
// The V8 profiles of `run.mjs --profile` see SQLite as one call per statement; Linux `perf` sees inside it (how the
// claim's re-preparation, the group's savepoint and the page cache's walk at commit were found). One engine, built as
// the runner builds it, in a child under `node --perf-basic-prof`, fires N events at the bench's receiver on 127.0.0.1;
// `perf record -g` covers that burst only (from the first event to the last delivery), and the samples are grouped by
// thread and, on the engine thread, by what their stacks show; `--top N` lists the busiest symbols of the engine
// thread and of the HTTP worker. Needs `perf` (Debian: apt-get install -y linux-perf).
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { intOption, parseOptions } from './lib/args.mjs';
import { buildEngine, ROOT } from './lib/build-engine.mjs';
import { sleep } from './lib/measure.mjs';
import { BENCH_SECRET, EVENT_TYPE, makeData } from './lib/payload.mjs';
import { startReceiver } from './lib/procs.mjs';

const USAGE = 'node bench/perf.mjs [--events N] [--warmup N] [--freq HZ] [--top N]';
const HTTP_WORKER = 'HTTP worker (and other workers)';

/** What a sample of the engine thread is counted as: the first rule whose frame a stack holds (innermost first). */
const RULES = [
  ['SQLite: WAL frames written (commits)', (f) => f.sym.startsWith('walWriteOneFrame') || f.sym === 'pagerWalFrames'],
  ['SQLite: page cache walked (commits)', (f) => f.sym.startsWith('pcache1Truncate')],
  ['SQLite: statement prepared again', (f) => f.sym.startsWith('sqlite3Reprepare')],
  [
    'SQLite: savepoints, statement journal',
    (f) =>
      f.sym.startsWith('sqlite3BtreeSavepoint') || f.sym.startsWith('subjournalPage') || f.sym.startsWith('memjrnl'),
  ],
  ['SQLite: pages read from the file', (f) => f.sym.startsWith('readDbPage')],
  ['SQLite: statements (the rest)', (f) => f.dso.includes('better_sqlite3')],
  ['V8 GC on this thread', (f) => /Scavenger|MarkCompact|IncrementalMarking|Heap::CollectGarbage/.test(f.sym)],
  [
    'messages to/from the HTTP worker (copying)',
    (f) => /Message::Serialize|Message::Deserialize|ValueSerializer|ValueDeserializer|TriggerAsync/.test(f.sym),
  ],
  ['idle (waiting in epoll)', (f) => f.sym.startsWith('epoll_pwait')],
];

/**
 * A V8 platform thread's sample spent compiling (V8 runs its optimizing compilers on the same threads as the parallel
 * and concurrent GC: code the engine first runs late gets compiled during the burst).
 */
const compiling = (f) => /^v8::internal::(compiler|maglev)::|OptimizedCompilationJob|OptimizingCompile/.test(f.sym);

if (process.env.HOOKBENCH_PERF_CHILD) await child();
else await main();

async function main() {
  const values = parseOptions(
    {
      events: { type: 'string', default: '30000' },
      warmup: { type: 'string', default: '2000' },
      freq: { type: 'string', default: '1999' },
      top: { type: 'string', default: '0' },
    },
    USAGE,
  );
  const events = intOption(values, 'events', 1000, 200_000, USAGE);
  const warmup = intOption(values, 'warmup', 0, 200_000, USAGE);
  const freq = intOption(values, 'freq', 99, 4999, USAGE);
  const top = intOption(values, 'top', 0, 200, USAGE);
  if (spawnSync('perf', ['--version']).status !== 0) {
    console.error('perf is not installed here (Debian: apt-get install -y linux-perf)');
    process.exit(2);
  }
  process.stdout.write('building the engine ... ');
  const built = await buildEngine({ outDir: join(ROOT, '.bench', 'perf'), parts: 'engine' });
  console.log('done');
  const receiver = await startReceiver(join(ROOT, 'bench', 'receiver.mjs'));
  const dir = mkdtempSync(join(tmpdir(), 'hookbench-perf-'));
  const data = join(dir, 'perf.data');
  const engine = spawn(process.execPath, ['--perf-basic-prof', new URL(import.meta.url).pathname], {
    env: {
      ...process.env,
      HOOKBENCH_PERF_CHILD: JSON.stringify({
        engine: built.engine,
        shared: built.shared,
        url: receiver.url,
        events,
        warmup,
      }),
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let perf = null;
  const killAll = () => {
    for (const p of [perf, engine]) if (p && p.exitCode === null) p.kill('SIGKILL');
  };
  process.once('exit', killAll);
  try {
    const lines = lineReader(engine);
    const ready = JSON.parse(await lines.next(60_000, 'the engine child did not warm up'));
    perf = spawn('perf', ['record', '-F', String(freq), '-g', '-p', String(engine.pid), '-o', data], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    await sleep(1_500); // perf attaches to every thread before the burst starts
    engine.stdin.write('go\n');
    const done = JSON.parse(await lines.next(Math.max(120_000, events * 10), 'the burst did not finish'));
    perf.kill('SIGINT');
    await once(perf, 'exit');
    engine.stdin.end();
    await once(engine, 'exit');
    const script = spawnSync('perf', ['script', '-i', data, '-F', 'comm,tid,ip,sym,dso'], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    if (script.status !== 0) throw new Error(`perf script failed: ${script.stderr}`);
    report(parseSamples(script.stdout), { ...done, pid: ready.pid, freq, events, top });
  } finally {
    killAll();
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The engine child: warm up, say its pid, fire the burst on "go", say how long it took once all is delivered. */
async function child() {
  const cfg = JSON.parse(process.env.HOOKBENCH_PERF_CHILD);
  const { createEngine } = await import(pathToFileURL(cfg.engine).href);
  const { routes } = await import(pathToFileURL(cfg.shared).href);
  const dir = mkdtempSync(join(tmpdir(), 'hookbench-perf-db-'));
  // one endpoint with the 32 in flight the bench gives every system
  const engine = await createEngine({ dbPath: join(dir, 'perf.db'), inbox: false, perEndpointConcurrency: 32 });
  const parse = (name, input) => routes[name].input.parse(input);
  await engine.handlers['endpoints.create'](parse('endpoints.create', { url: cfg.url, secret: BENCH_SECRET }));
  const input = parse('events.create', { type: EVENT_TYPE, data: makeData(), validate: false });
  let delivered = 0;
  let target = 0;
  let reached = () => {};
  engine.on('delivery.updated', (d) => {
    if (d.status === 'succeeded' && ++delivered === target) reached();
  });
  const burst = async (n) => {
    const all = new Promise((resolve) => {
      reached = resolve;
    });
    target = delivered + n;
    // in chunks of 500, a turn of the event loop between them, as the bench's driver fires
    for (let i = 0; i < n; i++) {
      engine.handlers['events.create']({ ...input });
      if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
    }
    await all;
  };
  // warm-up: bursts of at most 2,000, each delivered before the next (V8 compiles what the engine runs often enough)
  for (let left = cfg.warmup; left > 0; left -= 2_000) await burst(Math.min(2_000, left));
  process.stdout.write(`${JSON.stringify({ pid: process.pid })}\n`);
  const lines = lineReader({ stdout: process.stdin });
  await lines.next(60_000, 'no go from the runner');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await burst(cfg.events);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`${JSON.stringify({ ms, cpuUs: cpu.user + cpu.system })}\n`);
  await lines.next(60_000, 'the runner went away').catch(() => {});
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
}

/** Samples from `perf script -F comm,tid,ip,sym,dso`: { comm, tid, frames: [{ sym, dso }] }, innermost frame first. */
function parseSamples(text) {
  const samples = [];
  let cur = null;
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    if (!line.startsWith('\t') && !line.startsWith(' ')) {
      const m = /^(.*\S)\s+(\d+)\s*$/.exec(line);
      cur = m ? { comm: m[1], tid: Number(m[2]), frames: [] } : null;
      if (cur) samples.push(cur);
      continue;
    }
    const m = /^\s*[0-9a-f]+\s+(.*)\s+\((.*)\)$/.exec(line);
    if (cur && m) cur.frames.push({ sym: m[1], dso: m[2] });
  }
  return samples;
}

/** Which thread a sample is from: the engine's, a worker (by what it runs), or V8's own (compiling or collecting). */
function kindOf(s, pid) {
  if (s.tid === pid) return 'engine thread';
  if (s.comm === 'WorkerThread') {
    return s.frames.some((f) => f.dso.includes('better_sqlite3')) ? 'checkpoint thread' : HTTP_WORKER;
  }
  if (s.comm === 'V8Worker') {
    return s.frames.some(compiling) ? "V8's compilers (Maglev, TurboFan)" : "V8's GC helper threads";
  }
  return s.comm;
}

function report(samples, { pid, ms, cpuUs, freq, events, top }) {
  const usPerSample = 1e6 / freq;
  const perDelivery = (n) => ((n * usPerSample) / events).toFixed(1);
  const byThread = new Map();
  for (const s of samples) {
    const kind = kindOf(s, pid);
    byThread.set(kind, (byThread.get(kind) ?? 0) + 1);
  }
  console.log(
    `\n${events.toLocaleString('en-US')} events in ${(ms / 1000).toFixed(2)} s (${Math.round((events / ms) * 1000).toLocaleString('en-US')} deliveries/s), ` +
      `process CPU ${Math.round(cpuUs / events)} µs per delivery (sampling adds to it); ${samples.length.toLocaleString('en-US')} samples at ${freq} Hz`,
  );
  console.log('\nsamples by thread                              share   µs per delivery');
  for (const [kind, n] of [...byThread].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${kind.padEnd(42)} ${pct(n, samples.length)}   ${perDelivery(n).padStart(6)}`);
  }
  const engine = samples.filter((s) => s.tid === pid);
  const counts = new Map(RULES.map(([name]) => [name, 0]));
  let rest = 0;
  for (const s of engine) {
    const rule = RULES.find(([, test]) => s.frames.some(test));
    if (rule) counts.set(rule[0], (counts.get(rule[0]) ?? 0) + 1);
    else rest++;
  }
  console.log('\non the engine thread                          share   µs per delivery');
  for (const [name, n] of [...counts, ['JavaScript and the rest', rest]]) {
    console.log(`  ${name.padEnd(42)} ${pct(n, engine.length)}   ${perDelivery(n).padStart(6)}`);
  }
  if (top > 0) {
    const http = samples.filter((s) => kindOf(s, pid) === HTTP_WORKER);
    printTop('engine thread', engine, top, perDelivery);
    printTop('HTTP worker', http, top, perDelivery);
  }
}

/**
 * A thread's `top` busiest symbols, twice: by the innermost frame (self), and by the innermost JavaScript frame
 * (perf-basic-prof names them `JS:*fn file:line` or `LazyCompile:`), so native time (SQLite, crypto, copying, the
 * kernel's socket work) lands on the code that asked.
 */
function printTop(thread, samples, top, perDelivery) {
  const isJs = (f) => /^(JS|LazyCompile|Function|Builtin|InterpretedFunction|BytecodeHandler):/.test(f.sym);
  for (const [title, key] of [
    ['self', (s) => s.frames[0]],
    ['by JavaScript caller', (s) => s.frames.find(isJs) ?? s.frames[0]],
  ]) {
    const tally = new Map();
    for (const s of samples) {
      const f = key(s);
      const name = f ? `${f.sym.slice(0, 70)}` : '?';
      tally.set(name, (tally.get(name) ?? 0) + 1);
    }
    console.log(`\n${`${thread}, top ${top} ${title}`.padEnd(46)} share   µs per delivery`);
    for (const [name, n] of [...tally].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`  ${name.padEnd(72)} ${pct(n, samples.length)}   ${perDelivery(n).padStart(6)}`);
    }
  }
}

function pct(n, total) {
  return `${total === 0 ? '0.0' : ((100 * n) / total).toFixed(1)}%`.padStart(6);
}

/** Lines from a child's stdout (or stdin), one at a time, each within a time limit. */
function lineReader(proc) {
  let buf = '';
  const waiting = [];
  const ready = [];
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (chunk) => {
    buf += chunk;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const w = waiting.shift();
      if (w) w.resolve(line);
      else ready.push(line);
    }
  });
  proc.stdout.on('end', () => {
    for (const w of waiting.splice(0)) w.reject(new Error('closed'));
  });
  return {
    next(timeoutMs, what) {
      if (ready.length > 0) return Promise.resolve(ready.shift());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(what)), timeoutMs);
        timer.unref();
        waiting.push({
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
          reject: (err) => {
            clearTimeout(timer);
            reject(err);
          },
        });
      });
    },
  };
}
