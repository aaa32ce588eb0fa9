// Ctrl+C for commands that change a database or a serve while they run (run, send): the first SIGINT or SIGTERM
// stops the work where it is, which then leaves its target as it found it; a second one exits at once.

/** Exit code of a command stopped by SIGINT or SIGTERM (128 + SIGINT, as shells report it). */
export const EXIT_INTERRUPTED = 130;

/** The command was interrupted: the work stops where it is; its cleanup still runs. */
export class Interrupted extends Error {}

/**
 * Runs `work` with a signal that SIGINT or SIGTERM aborts, saying on stderr what happens next (`then`); a second
 * signal exits at once with EXIT_INTERRUPTED. The handlers are removed when `work` settles.
 */
export async function withInterrupt<T>(
  command: string,
  then: string,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupt.signal.aborted) {
      process.stderr.write(`hookbench ${command}: ${signal} again: exiting now\n`);
      process.exit(EXIT_INTERRUPTED);
    }
    process.stderr.write(`hookbench ${command}: ${signal}: stopping; ${then} first (${signal} again to exit now)\n`);
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(interrupt.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** `p`, or Interrupted (made by `interrupted`) as soon as `signal` aborts; p's own outcome is then dropped. */
export function unlessInterrupted<T>(
  p: Promise<T>,
  signal: AbortSignal | undefined,
  interrupted: () => Interrupted = () => new Interrupted('interrupted'),
): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      p.catch(() => {});
      reject(interrupted());
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
