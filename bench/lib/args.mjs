// The runners' options: the phases every system child runs (declared once for run.mjs and ab.mjs), and options
// (unknown ones, missing values, integers out of range) refused with a clear message (exit 2) before anything runs.
import { parseArgs } from 'node:util';

/** parseArgs options of the phases: N events for deliveries/s, then a paced rate for some seconds, after a warm-up. */
export const PHASE_OPTIONS = {
  events: { type: 'string', default: '20000' },
  rate: { type: 'string', default: '2000' },
  seconds: { type: 'string', default: '5' },
  warmup: { type: 'string', default: '1000' },
};

/** parseArgs' values for `options`, or its message (and `usage`, when given) and exit code 2 (an unknown option, a
 * missing or dash-led value). */
export function parseOptions(options, usage = '') {
  try {
    return parseArgs({ options }).values;
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}${usage ? `\n${usage}` : ''}`);
    process.exit(2);
  }
}

/** `values[name]` as an integer in min..max, or the message (and `usage`, when given) and exit code 2. */
export function intOption(values, name, min, max, usage = '') {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`--${name} must be an integer in ${min}..${max}${usage ? `\n${usage}` : ''}`);
    process.exit(2);
  }
  return n;
}

/**
 * The phases' config for a system child: { events, rate, seconds, warmup, timeoutMs }, bounded (a system that cannot
 * finish its events in timeoutMs is reported incomplete, not waited for), and `childTimeoutMs`, past which the child
 * is killed by PID.
 */
export function phaseConfig(values, usage = '') {
  const int = (name, min, max) => intOption(values, name, min, max, usage);
  const cfg = {
    events: int('events', 100, 1_000_000),
    rate: int('rate', 10, 50_000),
    seconds: int('seconds', 1, 60),
    warmup: int('warmup', 0, 100_000),
  };
  cfg.timeoutMs = Math.max(60_000, cfg.events * 5);
  return { cfg, childTimeoutMs: cfg.timeoutMs * 2 + cfg.seconds * 1000 + 60_000 };
}
