// Small measuring helpers shared by the system children: percentiles, peak RSS, CPU by thread, bounded waits.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** The q-quantile (0..1) of an unsorted array of numbers, nearest-rank; null when empty. */
export function quantile(values, q) {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** Peak resident set of a process in MiB: the kernel's high-water mark (VmHWM) on Linux, else null. */
export function peakRssOfPid(pid = 'self') {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Samples process.memoryUsage.rss() every `everyMs` (the fallback where /proc is missing) and reports the
 * larger of the sampled peak and the kernel's high-water mark.
 */
export function rssSampler(everyMs = 25) {
  let peak = process.memoryUsage.rss();
  let heap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
    heap = Math.max(heap, process.memoryUsage().heapUsed);
  }, everyMs);
  timer.unref();
  return {
    /** { rssMiB, heapMiB }: peak resident set (what the target is about) and peak JS heap in use */
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      return { rssMiB: Math.max(peak / 1024 / 1024, peakRssOfPid() ?? 0), heapMiB: heap / 1024 / 1024 };
    },
  };
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime in µs from a /proc …/stat line (0 when it cannot be read). */
function statCpuUs(file) {
  try {
    const stat = readFileSync(file, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime and stime are fields 14 and 15
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** One process's CPU time in µs (0 when it is gone). */
export function cpuOfPid(pid) {
  return statCpuUs(`/proc/${pid}/stat`);
}

/**
 * This process's CPU time in µs by kind of thread, from /proc/self/task (Linux; null elsewhere): `main`, `workers`
 * (worker_threads: Hookbench's HTTP and checkpoint workers), `v8` (V8's platform threads: parallel and concurrent
 * GC, compilation), `other` (libuv's pool, …). Ticks of 1/CLK_TCK s: read over a whole phase, not a moment.
 */
export function threadCpuUs() {
  let tasks;
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return null;
  }
  const out = { main: 0, workers: 0, v8: 0, other: 0 };
  for (const tid of tasks) {
    let name = '';
    try {
      name = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    const kind =
      name === 'MainThread' || Number(tid) === process.pid
        ? 'main'
        : name === 'WorkerThread'
          ? 'workers'
          : /^V8|^DelayedTaskSch/.test(name)
            ? 'v8'
            : 'other';
    out[kind] += statCpuUs(`/proc/self/task/${tid}/stat`);
  }
  return out;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const tick = () => new Promise((r) => setImmediate(r));

/** Polls `done()` every `everyMs` until true or `timeoutMs` passes; resolves to whether it became true. */
export async function waitUntil(done, timeoutMs, everyMs = 5) {
  const end = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > end) return false;
    await sleep(everyMs);
  }
  return true;
}

export const round = (n, digits = 1) => (n == null ? null : Math.round(n * 10 ** digits) / 10 ** digits);
