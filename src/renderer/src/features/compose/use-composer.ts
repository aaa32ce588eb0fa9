// What the composer is working on, resolved from the store and the catalog: the source, its type, its
// schema, the text (draft or template) and what is wrong with it. Schema problems come from the engine's own
// validator (eventTypes.validate): the renderer's CSP rules out Ajv here, and one validator means the composer
// flags exactly what events.create would refuse.
import { type Endpoint, type EventInput, type EventType, EventTypeName, type Profile } from '@shared';
import { keepPreviousData } from '@tanstack/react-query';
import { useDeferredValue, useEffect, useMemo } from 'react';
import { uncataloguedNames } from '../../lib/event-type-names';
import { useRoute } from '../../lib/query';
import { parseSource, type SourceKey, typeSource, useComposeStore } from './compose-store';
import { checkJson, type JsonCheck, type JsonProblem, placeSchemaIssues } from './json-problems';

export interface SourceInfo {
  type: string;
  description: string;
  /** the JSON Schema `data` is checked against (catalog types only: fixtures follow the provider's shape) */
  schema: Record<string, unknown> | null;
  template: string;
  /** `Stripe fixture`, `Catalog`, ... */
  origin: string;
  /** a type the catalog lacks (fired through the API, or its entry deleted): it can be added from here */
  uncatalogued?: boolean;
}

/** What Compose says of a type that is not in the catalog (fired through the API, or its catalog entry deleted). */
export const UNCATALOGUED_DESCRIPTION = 'Not in the catalog: no description, example or schema';

/** `catalogKnown`: the catalog has loaded, so a type missing from it is really not in it. */
export function resolveSource(
  source: SourceKey | null,
  types: EventType[],
  profiles: Profile[],
  catalogKnown = true,
): SourceInfo | null {
  const parsed = source ? parseSource(source) : null;
  if (!parsed) return null;
  if (parsed.kind === 'type') {
    const t = types.find((x) => x.name === parsed.type);
    // any valid type can be fired: one the catalog lacks is composed from an empty object, unchecked
    if (!t) {
      if (!catalogKnown || !EventTypeName.safeParse(parsed.type).success) return null;
      return {
        type: parsed.type,
        description: UNCATALOGUED_DESCRIPTION,
        schema: null,
        template: '{}',
        origin: 'Not in the catalog',
        uncatalogued: true,
      };
    }
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
const NONE_FIRED: string[] = [];

export function useComposer() {
  const typesQuery = useRoute('eventTypes.list', {});
  const profilesQuery = useRoute('profiles.list', {});
  const endpointsQuery = useRoute('endpoints.list', {});
  const firedQuery = useRoute('events.types', {});
  const source = useComposeStore((s) => s.source);
  const drafts = useComposeStore((s) => s.drafts);
  const setSource = useComposeStore((s) => s.setSource);
  const targetMode = useComposeStore((s) => s.targetMode);
  const chosen = useComposeStore((s) => s.chosenEndpointIds);

  const types = typesQuery.data?.data ?? NONE_TYPES;
  const profiles = profilesQuery.data?.data ?? NONE_PROFILES;
  const endpoints = endpointsQuery.data?.data ?? NONE_ENDPOINTS;
  const fired = firedQuery.data?.data ?? NONE_FIRED;
  const loaded = typesQuery.isSuccess && profilesQuery.isSuccess;
  const info = useMemo(() => resolveSource(source, types, profiles, loaded), [source, types, profiles, loaded]);
  // the types fired that the catalog lacks (offered apart), and the one being composed when it is such a type
  const uncatalogued = useMemo(
    () => uncataloguedNames(types, info?.uncatalogued ? [...fired, info.type] : fired),
    [types, fired, info],
  );

  // Pick a source once the catalog is known, or replace one that cannot be composed (a fixture no longer offered).
  useEffect(() => {
    if (!loaded || info) return;
    const fallback = defaultSource(types);
    if (fallback && fallback !== source) setSource(fallback);
  }, [loaded, info, types, source, setSource]);

  const text = source && info ? (drafts[source] ?? info.template) : '';
  const edited = !!source && drafts[source] !== undefined && drafts[source] !== info?.template;
  // Checking runs on a deferred copy so typing never waits for validation of a large payload.
  const deferredText = useDeferredValue(text);
  const check: JsonCheck = useMemo(() => checkJson(deferredText), [deferredText]);
  const schemaWanted = !!info?.schema && check.ok;
  const schemaCheck = useRoute(
    'eventTypes.validate',
    { type: info?.type ?? '', data: check.ok ? check.value : null },
    { enabled: schemaWanted, placeholderData: keepPreviousData, staleTime: 60_000 },
  );
  // the verdict for this exact text (a kept previous one only while the next is on its way)
  const verdict = schemaWanted && !schemaCheck.isPlaceholderData ? schemaCheck.data : undefined;
  const schemaProblems: JsonProblem[] = useMemo(
    () => (verdict ? placeSchemaIssues(deferredText, verdict.issues) : []),
    [verdict, deferredText],
  );
  const problems: JsonProblem[] = check.ok ? schemaProblems : check.problems;
  const violations = schemaProblems.length;

  const chosenIds = chosen.filter((id) => endpoints.some((e) => e.id === id));
  const input: EventInput | null =
    info && check.ok
      ? { type: info.type, data: check.value, ...(targetMode === 'chosen' ? { endpointIds: chosenIds } : {}) }
      : null;

  // blocked: nothing can be sent; a schema violation only holds back Send (Send anyway sends it on purpose)
  let blocked: string | null = null;
  if (!info) blocked = 'Pick an event type';
  else if (deferredText !== text || (schemaWanted && !verdict && !schemaCheck.isError)) blocked = 'Checking…';
  else if (!check.ok) blocked = `Fix the JSON: ${check.problems[0]?.message ?? 'invalid'}`;
  else if (targetMode === 'chosen' && chosenIds.length === 0) blocked = 'Choose at least one endpoint';
  const schemaNote =
    violations > 0 ? `${violations} schema ${violations === 1 ? 'violation' : 'violations'} to fix` : null;

  return {
    source,
    info,
    /** the check is of an older text (the deferred copy lags a render): its problems are not shown yet */
    checking: deferredText !== text,
    text,
    edited,
    check,
    /** syntax or schema problems of the checked text */
    problems,
    violations,
    schemaNote,
    input,
    blocked,
    types,
    /** types fired (or being composed) that the catalog lacks */
    uncatalogued,
    profiles,
    endpoints,
    loading: !loaded,
    loadError: typesQuery.error ?? profilesQuery.error ?? endpointsQuery.error ?? null,
  };
}
