// The Events view's list: pages of 50 by cursor, keyed under `events.list` so push topics refresh it.
import type { RouteOutput } from '@shared';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useClient } from '../../lib/query';

export const EVENT_PAGE_SIZE = 50;
type Page = RouteOutput<'events.list'>;

export function useEventPages(q: string, type: string | null) {
  const client = useClient();
  const filter = useMemo(() => ({ ...(q.trim() ? { q: q.trim() } : {}), ...(type ? { type } : {}) }), [q, type]);
  const query = useInfiniteQuery({
    // the third element keeps this infinite query apart from a plain `useRoute('events.list', ...)`
    queryKey: ['events.list', filter, 'pages'] as const,
    queryFn: ({ pageParam }) =>
      client.call('events.list', { ...filter, limit: EVENT_PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: null as string | null,
    getNextPageParam: (last: Page) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
  const events = useMemo(() => query.data?.pages.flatMap((p) => p.data) ?? [], [query.data]);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  return {
    events,
    loadMore,
    hasMore: !!hasNextPage,
    loadingMore: isFetchingNextPage,
    isLoading: query.isPending,
    isPlaceholder: query.isPlaceholderData,
    error: query.error,
  };
}
