// "Edit and resend": a delivered payload opened in Compose as a draft, aimed at one endpoint. Uses the compose
// store's public state (zustand setState) only: Compose then shows it like any draft the user typed.
import type { EventType, Profile } from '@shared';
import { navigate } from '../../app/router';
import { fixtureSource, type SourceKey, typeSource, useComposeStore } from '../compose/compose-store';

/** The Compose source for an event type: the catalog entry, else a provider fixture of that type; null if neither. */
export function composeSourceFor(type: string, types: EventType[], profiles: Profile[]): SourceKey | null {
  if (types.some((t) => t.name === type)) return typeSource(type);
  for (const p of profiles) if (p.fixtures.some((f) => f.type === type)) return fixtureSource(p.name, type);
  return null;
}

/** Puts `data` in Compose as the draft of `source`, targets only `endpointId`, and goes there. */
export function openInCompose(source: SourceKey, data: unknown, endpointId: string): void {
  useComposeStore.setState((s) => ({
    source,
    drafts: { ...s.drafts, [source]: JSON.stringify(data, null, 2) },
    targetMode: 'chosen',
    chosenEndpointIds: [endpointId],
    testEndpointId: endpointId,
  }));
  navigate('/compose');
}
