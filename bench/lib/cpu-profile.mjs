// Summarises the .cpuprofile files `node --cpu-prof` wrote: top functions by self and by total (inclusive)
// time, and self time per area (engine, SQLite, undici, zod, Node internals, GC, idle).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { table } from './report.mjs';

function area(url, name) {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)') return 'idle';
  if (name === '(program)') return 'native/program';
  if (!url) return 'native (SQLite, crypto, ...)';
  if (url.includes('better-sqlite3')) return 'better-sqlite3 (JS)';
  if (url.includes('/undici/')) return 'undici';
  if (url.includes('/zod/')) return 'zod';
  if (url.includes('.bench/build')) return 'hookbench engine';
  if (url.startsWith('node:')) return 'node internals';
  return basename(url);
}

export function summarizeProfile(file, top = 25) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  for (let i = 0; i < prof.samples.length; i++) {
    const id = prof.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
  }
  const key = (n) => {
    const f = n.callFrame;
    const where = f.url ? `${basename(f.url)}:${f.lineNumber + 1}` : '';
    return `${f.functionName || '(anonymous)'} ${where}`.trim();
  };
  const self = new Map();
  const total = new Map();
  const areas = new Map();
  let all = 0;
  // Inclusive time: a function's subtree counted once per path even when it recurses.
  const walk = (id, onStack) => {
    const n = byId.get(id);
    const k = key(n);
    const s = selfUs.get(id) ?? 0;
    all += s;
    self.set(k, (self.get(k) ?? 0) + s);
    const a = area(n.callFrame.url, n.callFrame.functionName);
    areas.set(a, (areas.get(a) ?? 0) + s);
    const fresh = !onStack.has(k);
    if (fresh) onStack.add(k);
    let sub = s;
    for (const c of n.children ?? []) sub += walk(c, onStack);
    if (fresh) {
      onStack.delete(k);
      total.set(k, (total.get(k) ?? 0) + sub);
    }
    return sub;
  };
  walk(prof.nodes[0].id, new Set());
  const busy = all - (areas.get('idle') ?? 0);
  const pct = (us, of) => `${((100 * us) / of).toFixed(1)}%`;
  const ms = (us) => `${(us / 1000).toFixed(0)} ms`;
  const rank = (m, skip) =>
    [...m.entries()]
      .filter(([k]) => !skip.some((s) => k.startsWith(s)))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top);
  return [
    `${basename(file)}: ${ms(all)} sampled, ${ms(busy)} busy (not idle)`,
    '',
    'self time by area (share of busy time)',
    table(
      ['area', 'self', 'share'],
      rank(areas, ['idle']).map(([k, v]) => [k, ms(v), pct(v, busy)]),
    ),
    '',
    `top ${top} functions by self time`,
    table(
      ['function', 'self', 'share'],
      rank(self, ['(idle)', '(root)']).map(([k, v]) => [k, ms(v), pct(v, busy)]),
    ),
    '',
    `top ${top} functions by total (inclusive) time`,
    table(
      ['function', 'total', 'share'],
      rank(total, ['(idle)', '(root)', '(program)']).map(([k, v]) => [k, ms(v), pct(v, busy)]),
    ),
  ].join('\n');
}

/** Summaries of the profiles in dir written since `sinceMs`. */
export function summarizeProfiles(dir, sinceMs = 0) {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).mtimeMs >= sinceMs);
  if (files.length === 0) return `no .cpuprofile in ${dir}`;
  return files.map((f) => `${summarizeProfile(f)}\n(profile: ${f})`).join('\n\n');
}

// `node bench/lib/cpu-profile.mjs FILE.cpuprofile [TOP]`
if (process.argv[1] && import.meta.url.endsWith(basename(process.argv[1]))) {
  console.log(summarizeProfile(process.argv[2], Number(process.argv[3] ?? 25)));
}
