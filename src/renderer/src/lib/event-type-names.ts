// The event type names a type filter offers: the catalog's and every type fired so far (`events.types`: an event of a
// type nobody catalogued is still filtered by), each once, sorted, and the families they make (`invoice.*`).
// `event.created` makes the fired ones stale.
import type { EventType } from '@shared';
import { useMemo } from 'react';
import { useRoute } from './query';

/** Catalog names and fired types, each once, sorted by code unit (as the engine sorts the fired ones). */
export function mergeTypeNames(catalog: readonly Pick<EventType, 'name'>[], fired: readonly string[]): string[] {
  return [...new Set([...catalog.map((t) => t.name), ...fired])].sort();
}

/** The names among `names` that the catalog lacks, each once, sorted (what the UI offers "fired, not in the catalog"). */
export function uncataloguedNames(catalog: readonly Pick<EventType, 'name'>[], names: readonly string[]): string[] {
  const catalogued = new Set(catalog.map((t) => t.name));
  return [...new Set(names)].filter((name) => !catalogued.has(name)).sort();
}

export function useEventTypeNames(): string[] {
  const catalog = useRoute('eventTypes.list', {}).data;
  const fired = useRoute('events.types', {}).data;
  return useMemo(() => mergeTypeNames(catalog?.data ?? [], fired?.data ?? []), [catalog, fired]);
}

/** The family pattern a type belongs to (`invoice.paid` → `invoice.*`, `orders/create` → `orders/*`), or null. */
export function typeFamily(name: string): string | null {
  const m = /^(.+?)[./]/.exec(name);
  return m?.[1] ? `${m[1]}${name[m[1].length]}*` : null;
}

/** The families of two types or more among `names`, sorted: the ones a family filter narrows to more than one. */
export function typeFamilies(names: readonly string[]): string[] {
  const count = new Map<string, number>();
  for (const name of names) {
    const family = typeFamily(name);
    if (family) count.set(family, (count.get(family) ?? 0) + 1);
  }
  return [...count]
    .filter(([, n]) => n > 1)
    .map(([family]) => family)
    .sort();
}
