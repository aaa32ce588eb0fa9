// Small measuring helpers shared by the system children: percentiles, peak RSS, bounded waits.
import { readFileSync } from 'node:fs';

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
