// bench/lib/stats.mjs: how sure an A/B comparison of the engine is (bench/ab.mjs prints it under every comparison).
import { describe, expect, it } from 'vitest';
import { bootstrapInterval, geometricMean, signTestP, verdict } from '../../bench/lib/stats.mjs';

describe('signTestP', () => {
  it('is the exact two-sided binomial tail', () => {
    expect(signTestP(10, 0)).toBeCloseTo(2 / 1024, 10); // all ten one way
    expect(signTestP(7, 3)).toBeCloseTo((2 * (1 + 10 + 45 + 120)) / 1024, 10); // 0.34375
    expect(signTestP(3, 7)).toBeCloseTo(signTestP(7, 3), 10);
    expect(signTestP(5, 5)).toBe(1);
    expect(signTestP(0, 0)).toBe(1);
  });
});

describe('geometricMean', () => {
  it('averages ratios on a log scale, so x2 and x0.5 cancel', () => {
    expect(geometricMean([2, 0.5])).toBeCloseTo(1, 12);
    expect(geometricMean([1.1, 1.1, 1.1])).toBeCloseTo(1.1, 12);
    expect(geometricMean([])).toBeNull();
  });
});

describe('bootstrapInterval', () => {
  const ratios = [0.97, 1.05, 1.12, 0.99, 1.08, 1.02, 1.2, 0.95];

  it('is the same for the same pairs (seeded) and holds the geometric mean', () => {
    const a = bootstrapInterval(ratios);
    const b = bootstrapInterval(ratios);
    expect(a).toEqual(b);
    const [low, high] = a as [number, number];
    expect(low).toBeLessThan(geometricMean(ratios) as number);
    expect(high).toBeGreaterThan(geometricMean(ratios) as number);
    expect(low).toBeGreaterThanOrEqual(Math.min(...ratios));
    expect(high).toBeLessThanOrEqual(Math.max(...ratios));
  });

  it('narrows as the level drops, and needs two pairs', () => {
    const [l95, h95] = bootstrapInterval(ratios) as [number, number];
    const [l50, h50] = bootstrapInterval(ratios, { level: 0.5 }) as [number, number];
    expect(h50 - l50).toBeLessThan(h95 - l95);
    expect(bootstrapInterval([1.1])).toBeNull();
  });
});

describe('verdict', () => {
  it('says beyond the spread only when the interval leaves out 1', () => {
    const steady = verdict([1.08, 1.1, 1.12, 1.09, 1.11, 1.1, 1.07, 1.13]);
    expect(steady.beyond).toBe(true);
    expect(steady.signTestP).toBeLessThan(0.01);

    const mixed = verdict([0.97, 1.05, 1.12, 0.99, 1.08, 1.02, 1.2, 0.95]);
    expect(mixed.beyond).toBe(false);
    expect((mixed.interval as number[])[0]).toBeLessThan(1);

    const slower = verdict([0.9, 0.92, 0.88, 0.91, 0.93, 0.9]);
    expect(slower.beyond).toBe(true);
    expect((slower.interval as number[])[1]).toBeLessThan(1);
  });
});
