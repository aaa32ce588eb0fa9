import { describe, expect, it } from 'vitest';
import { gracefulQuit } from '../../src/main/app/quit';

function quitEvent() {
  const e = { prevented: 0, preventDefault: () => e.prevented++ };
  return e;
}

function harness(stop: () => Promise<void>) {
  const log: string[] = [];
  const timers: Array<() => void> = [];
  const onBeforeQuit = gracefulQuit({
    stop: () => {
      log.push('stop');
      return stop();
    },
    quit: () => log.push('quit'),
    setTimeout: (fn) => timers.push(fn),
    onError: (err) => log.push(`error: ${(err as Error).message}`),
  });
  return { log, timers, onBeforeQuit };
}

describe('graceful quit', () => {
  it('holds the first quit until the engine has stopped, then lets the real quit through', async () => {
    let release!: () => void;
    const { log, onBeforeQuit } = harness(() => new Promise<void>((r) => (release = r)));
    const first = quitEvent();
    onBeforeQuit(first);
    expect(first.prevented).toBe(1);
    expect(log).toEqual(['stop']);

    // a second Cmd+Q while stopping is held too, and does not stop twice
    const second = quitEvent();
    onBeforeQuit(second);
    expect(second.prevented).toBe(1);
    expect(log).toEqual(['stop']);

    release();
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['stop', 'quit']);

    // app.quit() fires before-quit again: this time nothing holds it
    const final = quitEvent();
    onBeforeQuit(final);
    expect(final.prevented).toBe(0);
    expect(log).toEqual(['stop', 'quit']);
  });

  it('still quits when stop fails, and reports the failure', async () => {
    const { log, onBeforeQuit } = harness(() => Promise.reject(new Error('database is locked')));
    onBeforeQuit(quitEvent());
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['stop', 'error: database is locked', 'quit']);
  });

  it('quits after the deadline when stop hangs, once', async () => {
    const { log, timers, onBeforeQuit } = harness(() => new Promise<void>(() => {}));
    onBeforeQuit(quitEvent());
    expect(timers).toHaveLength(1);
    timers[0]?.();
    expect(log).toEqual(['stop', 'quit']);
    timers[0]?.();
    expect(log).toEqual(['stop', 'quit']);
  });
});
