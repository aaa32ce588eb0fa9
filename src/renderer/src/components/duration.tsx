import { formatDuration } from './format';

/** A measured duration: "123 ms", "1.2 s"; "—" when unknown. */
export function Duration({ ms }: { ms: number | null | undefined }) {
  if (ms == null) return <span className="muted">—</span>;
  return <span className="duration">{formatDuration(ms)}</span>;
}
