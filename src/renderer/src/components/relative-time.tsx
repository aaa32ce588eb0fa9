import { useSyncExternalStore } from 'react';
import { formatRelative } from './format';

// One shared 1 s ticker for every RelativeTime on screen, running only while one is mounted.
const subscribers = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(fn: () => void): () => void {
  subscribers.add(fn);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const s of subscribers) s();
    }, 1000);
  }
  return () => {
    subscribers.delete(fn);
    if (subscribers.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** The current time, refreshed every second while a component uses it. */
export function useNow(): number {
  return useSyncExternalStore(
    subscribe,
    () => now,
    () => now,
  );
}

/** "3 s ago" / "in 12 s", updating; hover shows the ISO time. */
export function RelativeTime({ iso }: { iso: string | null | undefined }) {
  const current = useNow();
  if (!iso) return <span className="muted">—</span>;
  return (
    <time dateTime={iso} title={iso}>
      {formatRelative(iso, current)}
    </time>
  );
}
