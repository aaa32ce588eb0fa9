// react-query over the contract: query keys are `[routeName, input]`, so invalidation is by route name.
import type { RouteCallInput, RouteName, RouteOutput, TopicName } from '@shared';
import {
  type QueryClient,
  type UseMutationOptions,
  type UseQueryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { createContext, createElement, type ReactNode, useContext, useEffect } from 'react';
import type { ApiError, Client } from './client';

const ClientContext = createContext<Client | null>(null);

export function ClientProvider({ client, children }: { client: Client; children: ReactNode }) {
  return createElement(ClientContext.Provider, { value: client }, children);
}

export function useClient(): Client {
  const c = useContext(ClientContext);
  if (!c) throw new Error('useClient outside <ClientProvider>');
  return c;
}

export const routeKey = <N extends RouteName>(name: N, input?: RouteCallInput<N>) => [name, input ?? {}] as const;

/** A query on one contract route. */
export function useRoute<N extends RouteName>(
  name: N,
  input: RouteCallInput<N>,
  options?: Omit<UseQueryOptions<RouteOutput<N>, ApiError>, 'queryKey' | 'queryFn'>,
) {
  const client = useClient();
  return useQuery<RouteOutput<N>, ApiError>({
    queryKey: routeKey(name, input),
    queryFn: () => client.call(name, input),
    ...options,
  });
}

/** A mutation on one contract route; on success, every query of the routes in `invalidates` is refetched. */
export function useRouteMutation<N extends RouteName>(
  name: N,
  options: { invalidates?: RouteName[] } & Omit<
    UseMutationOptions<RouteOutput<N>, ApiError, RouteCallInput<N>>,
    'mutationFn'
  > = {},
) {
  const client = useClient();
  const qc = useQueryClient();
  const { invalidates = [], onSuccess, ...rest } = options;
  return useMutation<RouteOutput<N>, ApiError, RouteCallInput<N>>({
    mutationFn: (input) => client.call(name, input),
    onSuccess: async (...args) => {
      await Promise.all(invalidates.map((r) => qc.invalidateQueries({ queryKey: [r] })));
      await onSuccess?.(...args);
    },
    ...rest,
  });
}

/** Which cached routes each push topic makes stale (`stream.gap`: all of them, see below). */
const staleOnTopic: Record<Exclude<TopicName, 'stream.gap'>, RouteName[]> = {
  'event.created': ['events.list', 'events.types', 'deliveries.list', 'deliveries.count', 'system.status'],
  'delivery.updated': [
    'deliveries.list',
    'deliveries.count',
    'deliveries.retryMatching',
    'events.list',
    'deliveries.get',
    'events.get',
    'system.status',
    'endpoints.list',
    'endpoints.get',
  ],
  // an endpoint deleted takes its failed deliveries out of what Retry all matching retries
  'endpoint.updated': ['endpoints.list', 'endpoints.get', 'system.status', 'deliveries.retryMatching'],
  'endpoint.disabled': ['endpoints.list', 'endpoints.get', 'deliveries.list', 'deliveries.count', 'system.status'],
  'inbox.request': ['inboxes.requests', 'inboxes.list'],
  'inbox.forwarded': ['inboxes.requests'],
  'settings.updated': ['settings.get'],
};

/** The endpoint of an `endpoints.stats` query (its key is `routeKey`'s `[name, input]`); undefined: every endpoint. */
const statsEndpointOf = (key: readonly unknown[]): string | undefined =>
  (key[1] as { endpointId?: string } | undefined)?.endpointId;

/** Calls `fn` with what was collected at most once per `windowMs`, the first call `windowMs` after the first add. */
function coalesce<T>(windowMs: number, fn: (items: Set<T>) => void) {
  const pending = new Set<T>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  return {
    add(items: Iterable<T>) {
      for (const item of items) pending.add(item);
      if (!timer) {
        timer = setTimeout(() => {
          timer = null;
          const batch = new Set(pending);
          pending.clear();
          fn(batch);
        }, windowMs);
      }
    },
    cancel() {
      if (timer) clearTimeout(timer);
    },
  };
}

/**
 * Keeps react-query fresh from push topics. Bursts (thousands of delivery updates a second) are coalesced:
 * each stale route is invalidated at most once per `windowMs`, and one endpoint's stats at most once per
 * `statsWindowMs`: each is an aggregate over the window's attempts (up to 500,000 rows read for 7 days), and a chart
 * of minute-to-hour buckets a second or two behind is still live.
 */
export function subscribeInvalidation(
  client: Client,
  qc: QueryClient,
  windowMs = 300,
  statsWindowMs = 2_000,
): () => void {
  const routes = coalesce<RouteName>(windowMs, (stale) => {
    for (const r of stale) void qc.invalidateQueries({ queryKey: [r] });
  });
  // The stats of the endpoint whose deliveries moved (its health charts); the all-endpoints aggregate (the list's
  // sparklines) keeps its own interval.
  const stats = coalesce<string>(statsWindowMs, (endpointIds) => {
    void qc.invalidateQueries({
      queryKey: ['endpoints.stats'],
      predicate: (q) => endpointIds.has(statsEndpointOf(q.queryKey) ?? ''),
    });
  });
  const offs = (Object.keys(staleOnTopic) as (keyof typeof staleOnTopic)[]).map((topic) =>
    client.on(topic, () => routes.add(staleOnTopic[topic])),
  );
  offs.push(
    client.on('delivery.updated', (p) => stats.add([p.endpointId])),
    client.on('endpoint.updated', (p) => stats.add([p.id])),
  );
  // Pushes were lost (a reader that fell behind, a reconnected stream): nobody knows which routes went stale, so
  // every query is; react-query refetches at once only those on screen, the others when they are shown again.
  offs.push(
    client.on('stream.gap', () => {
      void qc.invalidateQueries();
    }),
  );
  return () => {
    for (const off of offs) off();
    routes.cancel();
    stats.cancel();
  };
}

export function usePushInvalidation(windowMs?: number, statsWindowMs?: number): void {
  const client = useClient();
  const qc = useQueryClient();
  useEffect(() => subscribeInvalidation(client, qc, windowMs, statsWindowMs), [client, qc, windowMs, statsWindowMs]);
}
