// Graceful quit: the first `before-quit` is held back while the engine stops (no new claims, in-flight attempts
// finish and are recorded, the database closes), then the app quits for real. A stop that hangs does not keep
// the app open forever: after the deadline it quits anyway, and the delivery leases make anything unfinished
// claimable again at the next start (at-least-once).

export interface GracefulQuitOptions {
  /** engine.stop */
  stop(): Promise<void>;
  /** app.quit; called once the engine has stopped */
  quit(): void;
  /** longest wait for stop() before quitting regardless (default 15 s) */
  deadlineMs?: number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  onError?: (err: unknown) => void;
}

/** Returns the `before-quit` listener. */
export function gracefulQuit(opts: GracefulQuitOptions): (event: { preventDefault(): void }) => void {
  let state: 'running' | 'stopping' | 'stopped' = 'running';
  const later = opts.setTimeout ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const finish = () => {
    if (state === 'stopped') return;
    state = 'stopped';
    opts.quit();
  };
  return (event) => {
    if (state === 'stopped') return;
    event.preventDefault();
    if (state === 'stopping') return;
    state = 'stopping';
    later(finish, opts.deadlineMs ?? 15_000);
    opts.stop().then(finish, (err: unknown) => {
      opts.onError?.(err);
      finish();
    });
  };
}
