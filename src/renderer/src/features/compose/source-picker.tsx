// Picks what to compose: an event type of the catalog, one fired that the catalog lacks, or a provider's fixture event.
import type { EventType, Profile } from '@shared';
import { fixtureSource, type SourceKey, typeSource } from './compose-store';

const PROFILE_LABELS: Record<string, string> = { stripe: 'Stripe', github: 'GitHub', shopify: 'Shopify' };

export interface SourcePickerProps {
  value: SourceKey | null;
  onChange: (source: SourceKey) => void;
  eventTypes: EventType[];
  /** types fired (or being composed) that the catalog lacks */
  uncatalogued: string[];
  /** provider profiles; the generic one duplicates the catalog and is left out */
  profiles: Profile[];
}

export function SourcePicker({ value, onChange, eventTypes, uncatalogued, profiles }: SourcePickerProps) {
  const builtIn = eventTypes.filter((t) => t.builtIn);
  const own = eventTypes.filter((t) => !t.builtIn);
  return (
    <select
      id="compose-source"
      className="select source-picker"
      aria-label="Event type"
      value={value ?? ''}
      onChange={(e) => onChange(e.target.value)}
    >
      {value === null ? <option value="">Loading…</option> : null}
      <optgroup label="Catalog">
        {builtIn.map((t) => (
          <option key={t.name} value={typeSource(t.name)}>
            {t.name}
          </option>
        ))}
      </optgroup>
      {own.length > 0 ? (
        <optgroup label="Your event types">
          {own.map((t) => (
            <option key={t.name} value={typeSource(t.name)}>
              {t.name}
            </option>
          ))}
        </optgroup>
      ) : null}
      {uncatalogued.length > 0 ? (
        <optgroup label="Fired, not in the catalog">
          {uncatalogued.map((name) => (
            <option key={name} value={typeSource(name)}>
              {name}
            </option>
          ))}
        </optgroup>
      ) : null}
      {profiles
        .filter((p) => p.name !== 'generic' && p.fixtures.length > 0)
        .map((p) => (
          <optgroup key={p.name} label={`${PROFILE_LABELS[p.name] ?? p.name} fixtures`}>
            {p.fixtures.map((f) => (
              <option key={f.type} value={fixtureSource(p.name, f.type)}>
                {`${PROFILE_LABELS[p.name] ?? p.name} · ${f.type}`}
              </option>
            ))}
          </optgroup>
        ))}
    </select>
  );
}
