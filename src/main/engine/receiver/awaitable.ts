// Values that are there now (SQLite) or later (PostgreSQL). The inbox code continues synchronously on a value, so
// the SQLite engine keeps its order of effects (stored before answered, in one turn of the event loop) and only a
// PostgreSQL store's answers are awaited.
import type { Awaitable } from '../delivery/state-store';

export type { Awaitable } from '../delivery/state-store';

export function isPromise<T>(v: Awaitable<T>): v is Promise<T> {
  return typeof (v as Promise<T> | null)?.then === 'function';
}

/** `f(v)` now when `v` is a value, once it resolves when it is a promise. */
export function andThen<T, U>(v: Awaitable<T>, f: (t: T) => Awaitable<U>): Awaitable<U> {
  return isPromise(v) ? v.then(f) : f(v);
}
