// Human-readable numbers for durations and times; used by Duration, RelativeTime and the retry preview.

/** 87 -> "87 ms", 1234 -> "1.2 s", 95_000 -> "1 min 35 s". For measured durations. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 10) return `${Number(ms.toFixed(1))} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  return humanizeMs(ms);
}

/** A span in the largest two units: 0 -> "0 s", 2_000 -> "2 s", 5_400_000 -> "1 h 30 min", 90_000_000 -> "1 d 1 h". */
export function humanizeMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1000) return ms <= 0 ? '0 s' : `${Math.round(ms)} ms`;
  const units: Array<[string, number]> = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['min', 60_000],
    ['s', 1000],
  ];
  // one decimal under 10 s, where jitter ranges would otherwise round to "2 s – 2 s"
  if (ms < 10_000) return `${Number((ms / 1000).toFixed(1))} s`;
  const rest = Math.round(ms / 1000) * 1000;
  for (let i = 0; i < units.length; i++) {
    const [name, size] = units[i] as [string, number];
    const n = Math.floor(rest / size);
    if (n === 0) continue;
    const next = units[i + 1];
    const m = next ? Math.floor((rest - n * size) / next[1]) : 0;
    return next && m > 0 ? `${n} ${name} ${m} ${next[0]}` : `${n} ${name}`;
  }
  return '0 s';
}

/**
 * "just now", "12 s ago", "3 min ago", "in 40 s" (future), then a date after a week. Rounded to the nearest unit
 * both ways: a secret kept "for 24 hours" expires "in 24 h" a second later, not "in 23 h" (24 h stays in hours).
 */
export function formatRelative(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const diff = t - now;
  const abs = Math.abs(diff);
  if (abs < 1500) return diff > 0 ? 'in 1 s' : 'just now';
  if (abs >= 7 * 86_400_000) return new Date(t).toLocaleDateString();
  const s = Math.round(abs / 1000);
  const min = Math.round(abs / 60_000);
  const h = Math.round(abs / 3_600_000);
  let text: string;
  if (s < 60) text = `${s} s`;
  else if (min < 60) text = `${min} min`;
  else if (h <= 24) text = `${h} h`;
  else text = `${Math.round(abs / 86_400_000)} d`;
  return diff > 0 ? `in ${text}` : `${text} ago`;
}

/** 0.9734 -> "97.3%", 1 -> "100%". */
export function formatPercent(rate: number): string {
  const pct = rate * 100;
  return pct === 100 || pct === 0 ? `${pct}%` : `${pct.toFixed(1)}%`;
}

/** `datetime-local` speaks local time without a zone: an ISO time (or ms) as its `YYYY-MM-DDTHH:mm` value. */
export function toLocalInput(at: string | number | null): string {
  if (at === null || at === '') return '';
  const ms = typeof at === 'number' ? at : Date.parse(at);
  return new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** A `datetime-local` value back to ISO; null when empty. */
export const fromLocalInput = (v: string): string | null => (v ? new Date(v).toISOString() : null);
