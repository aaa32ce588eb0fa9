// Which endpoints an event type reaches: the same rule the dispatcher applies to an endpoint's eventTypes
// (`*`, an exact type, or a prefix pattern `invoice.*` / `orders/*`; an empty list means every type).
import type { Endpoint } from '@shared';

export function filterMatches(filter: string, type: string): boolean {
  if (filter === '*') return true;
  if (filter.endsWith('.*') || filter.endsWith('/*')) return type.startsWith(filter.slice(0, -1));
  return filter === type;
}

export function subscribes(endpoint: Pick<Endpoint, 'eventTypes'>, type: string): boolean {
  return endpoint.eventTypes.length === 0 || endpoint.eventTypes.some((f) => filterMatches(f, type));
}
