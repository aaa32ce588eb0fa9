// What the composer is working on, resolved from the store and the catalog: the source, its type, its
// schema, the text (draft or template) and what is wrong with it.
import type { Endpoint, EventInput, EventType, Profile } from '@shared';
import { useDeferredValue, useEffect, useMemo } from 'react';
import { useRoute } from '../../lib/query';
import { parseSource, type SourceKey, typeSource, useComposeStore } from './compose-store';
import { checkJson, type JsonCheck } from './json-problems';

export interface SourceInfo {
  type: string;
  description: string;
  /** the JSON Schema `data` is checked against (catalog types only: fixtures follow the provider's shape) */
  schema: Record<string, unknown> | null;
  template: string;
  /** `Stripe fixture`, `Catalog`, ... */
  origin: string;
}

export function resolveSource(source: SourceKey | null, types: EventType[], profiles: Profile[]): SourceInfo | null {
  const parsed = source ? parseSource(source) : null;
  if (!parsed) return null;
  if (parsed.kind === 'type') {
    const t = types.find((x) => x.name === parsed.type);
    if (!t) return null;
    return {
      type: t.name,
      description: t.description,
      schema: t.schema,
      template: JSON.stringify(t.example, null, 2),
      origin: t.builtIn ? 'Built-in event type' : 'Your event type',
    };
  }
  const profile = profiles.find((p) => p.name === parsed.profile);
  const fixture = profile?.fixtures.find((f) => f.type === parsed.type);
  if (!profile || !fixture) return null;
  return {
    type: fixture.type,
    description: fixture.description,
    schema: null,
    template: JSON.stringify(fixture.data, null, 2),
    origin: `${profile.name} fixture (${profile.description})`,
  };
}

/** The first type to compose: invoice.paid when the catalog has it. */
function defaultSource(types: EventType[]): SourceKey | null {
  const t = types.find((x) => x.name === 'invoice.paid') ?? types[0];
  return t ? typeSource(t.name) : null;
}

const NONE_TYPES: EventType[] = [];
const NONE_PROFILES: Profile[] = [];
const NONE_ENDPOINTS: Endpoint[] = [];

export function useComposer() {
  const typesQuery = useRoute('eventTypes.list', {});
  const profilesQuery = useRoute('profiles.list', {});
  const endpointsQuery = useRoute('endpoints.list', {});
  const source = useComposeStore((s) => s.source);
  const drafts = useComposeStore((s) => s.drafts);
  const setSource = useComposeStore((s) => s.setSource);
  const targetMode = useComposeStore((s) => s.targetMode);
  const chosen = useComposeStore((s) => s.chosenEndpointIds);

  const types = typesQuery.data?.data ?? NONE_TYPES;
  const profiles = profilesQuery.data?.data ?? NONE_PROFILES;
  const endpoints = endpointsQuery.data?.data ?? NONE_ENDPOINTS;
  const info = useMemo(() => resolveSource(source, types, profiles), [source, types, profiles]);

  // Pick a source once the catalog is known, or replace one that no longer exists (a deleted type).
  const loaded = typesQuery.isSuccess && profilesQuery.isSuccess;
  useEffect(() => {
    if (!loaded || info) return;
    const fallback = defaultSource(types);
    if (fallback && fallback !== source) setSource(fallback);
  }, [loaded, info, types, source, setSource]);

  const text = source && info ? (drafts[source] ?? info.template) : '';
  const edited = !!source && drafts[source] !== undefined && drafts[source] !== info?.template;
  // Checking runs on a deferred copy so typing never waits for validation of a large payload.
  const deferredText = useDeferredValue(text);
  const check: JsonCheck = useMemo(() => checkJson(deferredText, info?.schema ?? null), [deferredText, info]);

  const chosenIds = chosen.filter((id) => endpoints.some((e) => e.id === id));
  const input: EventInput | null =
    info && check.ok
      ? { type: info.type, data: check.value, ...(targetMode === 'chosen' ? { endpointIds: chosenIds } : {}) }
      : null;

  let blocked: string | null = null;
  if (!info) blocked = 'Pick an event type';
  else if (deferredText !== text) blocked = 'Checking…';
  else if (!check.ok) blocked = `Fix the JSON: ${check.problems[0]?.message ?? 'invalid'}`;
  else if (check.problems.length > 0)
    blocked = `${check.problems.length} schema ${check.problems.length === 1 ? 'violation' : 'violations'} to fix`;
  else if (targetMode === 'chosen' && chosenIds.length === 0) blocked = 'Choose at least one endpoint';

  return {
    source,
    info,
    /** the check is of an older text (the deferred copy lags a render): its problems are not shown yet */
    checking: deferredText !== text,
    text,
    edited,
    check,
    input,
    blocked,
    types,
    profiles,
    endpoints,
    loading: !loaded,
    loadError: typesQuery.error ?? profilesQuery.error ?? endpointsQuery.error ?? null,
  };
}
