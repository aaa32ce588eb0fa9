// Bounded polling: tests wait for observable state instead of sleeping a fixed time.

export interface WaitOptions {
  /** give up after this long (default 10 s) */
  timeoutMs?: number;
  /** poll interval (default 20 ms) */
  intervalMs?: number;
  /** what was awaited, for the timeout message */
  message?: string;
}

/**
 * Calls fn until it returns a value other than undefined/false/null (or stops throwing); resolves to that
 * value. Rejects with the last error after timeoutMs.
 */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  opts: WaitOptions = {},
): Promise<NonNullable<Exclude<T, false>>> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  let lastError: unknown = null;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== null && v !== false) return v as NonNullable<Exclude<T, false>>;
      lastError = null;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(
        `waitFor timed out after ${opts.timeoutMs ?? 10_000} ms${opts.message ? ` (${opts.message})` : ''}${why}`,
      );
    }
    await sleep(opts.intervalMs ?? 20);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
