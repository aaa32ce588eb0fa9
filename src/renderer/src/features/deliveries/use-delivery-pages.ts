// The delivery log's rows: pages of 200 by cursor (useInfiniteQuery keyed under `deliveries.list`, so push
// topics refresh it). An invalidation refetches every loaded page, so live refresh is kept to the first few
// pages; a user browsing deeper pauses it until they return to the top, where the log is cut back to the
// newest page and goes live again.
import type { Delivery, DeliveryFilter, RouteOutput } from '@shared';
import { type InfiniteData, keepPreviousData, useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useClient } from '../../lib/query';
import { type DeliveryFilters, toContractFilter } from './filters';

export const PAGE_SIZE = 200;
/** pages that may be loaded while the log stays live (each invalidation refetches them all) */
export const LIVE_PAGES = 5;
const REANCHOR_MS = 60_000;

type Page = RouteOutput<'deliveries.list'>;

export function deliveriesKey(filter: DeliveryFilter) {
  // the third element keeps this infinite query apart from any plain `useRoute('deliveries.list', ...)`
  return ['deliveries.list', filter, 'pages'] as const;
}

export function useDeliveryPages(filters: DeliveryFilters, atTop: boolean) {
  const client = useClient();
  const qc = useQueryClient();
  // "Last 15 min" counts back from an anchor that moves only while the newest rows are on screen.
  const [anchor, setAnchor] = useState(() => Date.now());
  const relative = filters.range !== 'all' && filters.range !== 'custom';
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new range re-anchors it
  useEffect(() => setAnchor(Date.now()), [filters.range]);
  useEffect(() => {
    if (!relative || !atTop) return;
    const t = setInterval(() => setAnchor(Date.now()), REANCHOR_MS);
    return () => clearInterval(t);
  }, [relative, atTop]);

  const filter = useMemo(() => toContractFilter(filters, anchor), [filters, anchor]);
  const queryKey = useMemo(() => deliveriesKey(filter), [filter]);
  const cached = qc.getQueryData<InfiniteData<Page, string | null>>(queryKey);
  const live = (cached?.pages.length ?? 0) <= LIVE_PAGES;

  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) =>
      client.call('deliveries.list', { ...filter, limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: null as string | null,
    getNextPageParam: (last: Page) => last.nextCursor,
    enabled: live,
    placeholderData: keepPreviousData,
  });
  const pageCount = query.data?.pages.length ?? 0;

  // Back at the top with many pages loaded: keep the newest page only, which turns live refresh back on.
  useEffect(() => {
    if (!atTop || pageCount <= LIVE_PAGES || query.isFetching) return;
    qc.setQueryData<InfiniteData<Page, string | null>>(queryKey, (d) =>
      d ? { pages: d.pages.slice(0, 1), pageParams: d.pageParams.slice(0, 1) } : d,
    );
  }, [atTop, pageCount, query.isFetching, qc, queryKey]);

  const rows: Delivery[] = useMemo(() => query.data?.pages.flatMap((p) => p.data) ?? [], [query.data]);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  return {
    filter,
    rows,
    live: pageCount <= LIVE_PAGES,
    /** every matching row is loaded, so rows.length is the total */
    complete: query.isSuccess && !hasNextPage,
    loadMore,
    isLoading: query.isPending,
    isPlaceholder: query.isPlaceholderData,
    isFetchingMore: isFetchingNextPage,
    error: query.error,
  };
}
