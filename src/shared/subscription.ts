/**
 * Does an endpoint's subscription list accept an event type? Each filter is `*`, an exact type, or a prefix
 * pattern `invoice.*` / `orders/*`; an empty list means every type (as the contract's EndpointCreateInput says).
 * The engine's fan-out and Compose's target list both use this, so they never disagree.
 */
/**
 * How an event fired now reaches an endpoint: `now` when it is enabled; `paused` when it was auto-disabled (the
 * delivery is stored paused and goes out once it is enabled again); null when a person disabled it (none is stored).
 * The engine's fan-out and Compose's target list both use this.
 */
export function firedEventReach(e: {
  enabled: boolean;
  disabledBy: 'manual' | 'auto' | null;
}): 'now' | 'paused' | null {
  if (e.enabled) return 'now';
  return e.disabledBy === 'auto' ? 'paused' : null;
}

export function subscribes(filters: readonly string[], type: string): boolean {
  if (filters.length === 0) return true;
  for (const f of filters) {
    if (f === '*' || f === type) return true;
    if ((f.endsWith('.*') || f.endsWith('/*')) && type.startsWith(f.slice(0, -1))) return true;
  }
  return false;
}
