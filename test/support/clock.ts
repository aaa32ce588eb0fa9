// A test clock: time moves only when the test advances it, and timers fire in order as it does.
import type { Clock } from '../../src/main/engine/types';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

export class FakeClock implements Clock {
  private t: number;
  /** the monotonic clock: moves with advance(), never with step() */
  private mono = 1_000;
  private timers: Timer[] = [];
  private nextId = 1;

  constructor(start = Date.parse('2026-01-01T00:00:00.000Z')) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  monotonic(): number {
    return this.mono;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, at: this.t + Math.max(0, ms), fn };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Moves time forward, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      const at = Math.max(this.t, due.at);
      this.mono += at - this.t;
      this.t = at;
      due.fn();
    }
    this.mono += end - this.t;
    this.t = end;
  }

  /**
   * Steps the wall clock (suspend/resume, NTP) by `ms`, forward or back, without time passing: the monotonic clock
   * and the timers (which run on it) do not move.
   */
  step(ms: number): void {
    this.t += ms;
    for (const timer of this.timers) timer.at += ms;
  }

  /** timers armed now (for assertions on what the engine scheduled) */
  pendingTimers(): number[] {
    return this.timers.map((t) => t.at - this.t);
  }
}
