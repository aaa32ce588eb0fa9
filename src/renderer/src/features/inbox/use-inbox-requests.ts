// Captured requests page by page (200 at a time, newest first). Push topics invalidate every query of
// `inboxes.requests` (lib/query.ts); react-query then refetches the loaded pages in order, computing each
// cursor afresh, so a live list never repeats or skips a row.
import type { InboxRequest, RouteOutput } from '@shared';
import { useInfiniteQuery } from '@tanstack/react-query';
import type { ApiError } from '../../lib/client';
import { useClient } from '../../lib/query';

export const INBOX_PAGE = 200;

export function useInboxRequests(inboxId: string) {
  const client = useClient();
  const query = useInfiniteQuery<
    RouteOutput<'inboxes.requests'>,
    ApiError,
    { pages: RouteOutput<'inboxes.requests'>[] },
    readonly unknown[],
    string | null
  >({
    queryKey: ['inboxes.requests', { id: inboxId, limit: INBOX_PAGE, paged: true }],
    queryFn: ({ pageParam }) =>
      client.call('inboxes.requests', { id: inboxId, limit: INBOX_PAGE, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const rows: InboxRequest[] = query.data?.pages.flatMap((p) => p.data) ?? [];
  return { ...query, rows };
}
