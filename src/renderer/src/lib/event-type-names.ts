// The event type names a type filter offers: the catalog's and every type fired so far (`events.types`: an event of a
// type nobody catalogued is still filtered by), each once, sorted. `event.created` makes the fired ones stale.
import type { EventType } from '@shared';
import { useMemo } from 'react';
import { useRoute } from './query';

/** Catalog names and fired types, each once, sorted by code unit (as the engine sorts the fired ones). */
export function mergeTypeNames(catalog: readonly Pick<EventType, 'name'>[], fired: readonly string[]): string[] {
  return [...new Set([...catalog.map((t) => t.name), ...fired])].sort();
}

export function useEventTypeNames(): string[] {
  const catalog = useRoute('eventTypes.list', {}).data;
  const fired = useRoute('events.types', {}).data;
  return useMemo(() => mergeTypeNames(catalog?.data ?? [], fired?.data ?? []), [catalog, fired]);
}
