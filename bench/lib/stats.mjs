// How sure an A/B comparison is. On this VM the same engine moves by 10-20% from one run to the next, and a change
// is usually worth a few percent: "faster in 7 of 10 pairs" alone reads as more than it is. Two figures over the
// pairs' ratios (head over base), both free of any assumption about how the runs are distributed:
// - the exact two-sided sign test: the chance of a split at least as uneven as the one seen if head and base were
//   alike (each pair a coin toss);
// - a bootstrap percentile interval of the geometric mean ratio (the pairs resampled with replacement, from a seeded
//   generator, so that the same runs always print the same interval).
// A change is beyond the spread when that interval leaves out 1. With the 6-10 pairs an A/B run has, a percentile
// bootstrap is somewhat narrower than it should be: read a bare "beyond" together with the sign test.

/** Exact two-sided sign test: P(a split at least this uneven | each pair a fair coin). Ties count as neither. */
export function signTestP(wins, losses) {
  const n = wins + losses;
  if (n === 0) return 1;
  const k = Math.min(wins, losses);
  let tail = 0;
  let c = 1; // C(n, 0)
  for (let i = 0; i <= k; i++) {
    tail += c;
    c = (c * (n - i)) / (i + 1);
  }
  return Math.min(1, (2 * tail) / 2 ** n);
}

/** The geometric mean of positive ratios. */
export function geometricMean(ratios) {
  if (ratios.length === 0) return null;
  return Math.exp(ratios.reduce((s, r) => s + Math.log(r), 0) / ratios.length);
}

/** mulberry32: a small seeded generator, uniform in [0, 1). */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Bootstrap percentile interval of the geometric mean of `ratios`: [low, high], or null with fewer than 2 pairs. */
export function bootstrapInterval(ratios, { level = 0.95, resamples = 10_000, seed = 1 } = {}) {
  if (ratios.length < 2) return null;
  const random = seeded(seed);
  const logs = ratios.map(Math.log);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < logs.length; i++) sum += logs[Math.floor(random() * logs.length)];
    means[b] = sum / logs.length;
  }
  means.sort();
  const at = (q) => Math.exp(means[Math.min(resamples - 1, Math.max(0, Math.floor(q * resamples)))]);
  return [at((1 - level) / 2), at(1 - (1 - level) / 2)];
}

/** The verdict over the pairs' ratios (head over base; above 1 is head faster, or head costlier for a cost). */
export function verdict(ratios) {
  const above = ratios.filter((r) => r > 1).length;
  const below = ratios.filter((r) => r < 1).length;
  const interval = bootstrapInterval(ratios);
  const beyond = interval !== null && (interval[0] > 1 || interval[1] < 1);
  return { geometricMean: geometricMean(ratios), interval, signTestP: signTestP(above, below), beyond };
}
