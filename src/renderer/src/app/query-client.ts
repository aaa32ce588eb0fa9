import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../lib/client';

/** Errors that will not change on retry: the input or the id is wrong. */
const permanent = new Set(['invalid_input', 'not_found', 'unauthorized', 'forbidden', 'unprocessable']);

/**
 * Push topics keep caches fresh, so a short staleTime is enough to collapse duplicate fetches when several
 * components mount at once, and focus refetches are off (they would storm on every alt-tab).
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 2_000,
        gcTime: 5 * 60_000,
        refetchOnWindowFocus: false,
        retry: (count, error) => count < 1 && !(error instanceof ApiError && permanent.has(error.code)),
      },
      mutations: { retry: false },
    },
  });
}
