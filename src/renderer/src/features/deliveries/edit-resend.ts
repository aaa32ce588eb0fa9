// "Edit and resend": a delivered payload opened in Compose as a draft, aimed at one endpoint (from a delivery) or at
// every subscribed endpoint (from an event). Uses the compose store's public state (zustand setState) only: Compose
// then shows it like any draft the user typed.
import type { EventType, Profile } from '@shared';
import { navigate } from '../../app/router';
import { useRoute } from '../../lib/query';
import { fixtureSource, type SourceKey, typeSource, useComposeStore } from '../compose/compose-store';

/** The Compose source for an event type: the catalog entry, else a provider fixture of that type, else the type as
 * it was fired (Compose composes a type the catalog lacks too). */
export function composeSourceFor(type: string, types: EventType[], profiles: Profile[]): SourceKey {
  if (types.some((t) => t.name === type)) return typeSource(type);
  for (const p of profiles) if (p.fixtures.some((f) => f.type === type)) return fixtureSource(p.name, type);
  return typeSource(type);
}

/** The Compose source of a type once the catalog and the fixtures, which decide it, are known; null until then. */
export function useComposeSource(type: string | undefined): SourceKey | null {
  const types = useRoute('eventTypes.list', {}).data?.data;
  const profiles = useRoute('profiles.list', {}).data?.data;
  return type !== undefined && types && profiles ? composeSourceFor(type, types, profiles) : null;
}

/** Puts `data` in Compose as the draft of `source`, targets only `endpointId` (else every subscribed endpoint), and
 * goes there. */
export function openInCompose(source: SourceKey, data: unknown, endpointId?: string): void {
  useComposeStore.setState((s) => ({
    source,
    drafts: { ...s.drafts, [source]: JSON.stringify(data, null, 2) },
    ...(endpointId
      ? { targetMode: 'chosen' as const, chosenEndpointIds: [endpointId], testEndpointId: endpointId }
      : { targetMode: 'subscribed' as const }),
  }));
  navigate('/compose');
}
