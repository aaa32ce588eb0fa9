// The options of an event type filter: all types, the families of the types offered (`invoice.*`, when two types or
// more share one), and the types. A type or family from a link that nothing offers stays selectable.
import { typeFamilies } from '../lib/event-type-names';

export interface TypeOptionsProps {
  /** the types to offer (lib/event-type-names.ts: the catalog's and the fired ones) */
  names: readonly string[];
  /** the filter's value, null for all types */
  selected: string | null;
}

export function TypeOptions({ names, selected }: TypeOptionsProps) {
  const offeredFamilies = typeFamilies(names);
  const linked = selected && !names.includes(selected) && !offeredFamilies.includes(selected) ? selected : null;
  const families = linked?.endsWith('*') ? [...offeredFamilies, linked] : offeredFamilies;
  const types = linked && !linked.endsWith('*') ? [...names, linked] : names;
  return (
    <>
      <option value="">All event types</option>
      {families.length > 0 ? (
        <optgroup label="Families">
          {families.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </optgroup>
      ) : null}
      <optgroup label="Types">
        {types.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </optgroup>
    </>
  );
}
