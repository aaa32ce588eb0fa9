// Types for dist.mjs (a plain ES module run by `npm run dist`).
export function downloadFailureLine(
  output: string,
  target: { electronVersion: string; platform: string; arch: string },
): string | null;
