// A small subsequence matcher for the quick switcher: every query character must appear in order;
// contiguous runs, word starts and early matches score higher. Good enough for a few thousand items.

/** Score of `query` in `text` (higher is better), or null when it does not match. */
export function fuzzyScore(query: string, text: string): number | null {
  const q = query.trim().toLowerCase();
  if (q === '') return 0;
  const t = text.toLowerCase();
  const direct = t.indexOf(q);
  // a plain substring beats any scattered match
  if (direct >= 0) return 1000 - direct + (direct === 0 || /[\s./_:-]/.test(t[direct - 1] ?? '') ? 100 : 0);
  let score = 0;
  let ti = 0;
  let run = 0;
  for (const ch of q) {
    if (ch === ' ') continue;
    const found = t.indexOf(ch, ti);
    if (found < 0) return null;
    run = found === ti ? run + 1 : 0;
    score += 1 + run * 2 + (found === 0 || /[\s./_:-]/.test(t[found - 1] ?? '') ? 3 : 0);
    ti = found + 1;
  }
  return score - ti * 0.01;
}

/** Items matching `query` best first; `keys` gives the texts an item can match on. */
export function fuzzyFilter<T>(items: T[], query: string, keys: (item: T) => string[]): T[] {
  if (query.trim() === '') return items;
  const scored: Array<{ item: T; score: number }> = [];
  for (const item of items) {
    let best: number | null = null;
    for (const k of keys(item)) {
      const s = fuzzyScore(query, k);
      if (s !== null && (best === null || s > best)) best = s;
    }
    if (best !== null) scored.push({ item, score: best });
  }
  return scored.sort((a, b) => b.score - a.score).map((s) => s.item);
}
