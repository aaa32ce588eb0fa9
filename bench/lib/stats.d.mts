// Types of stats.mjs (the bench is plain JavaScript; its tests are TypeScript).
export function signTestP(wins: number, losses: number): number;
export function geometricMean(ratios: readonly number[]): number | null;
export function bootstrapInterval(
  ratios: readonly number[],
  opts?: { level?: number; resamples?: number; seed?: number },
): [number, number] | null;
export interface Verdict {
  geometricMean: number | null;
  interval: [number, number] | null;
  signTestP: number;
  beyond: boolean;
}
export function verdict(ratios: readonly number[]): Verdict;
