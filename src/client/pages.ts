// A paged list route followed to its end: each page asked for with the cursor of the one before, its items handed
// out one by one as they come (a long list is never held whole). Used by `hookbench/client` (`paginate`) and by
// `hookbench api --paginate`, over anything that calls routes by name.
import type { PagedRouteName, RouteCallInput, RouteOutput } from '../shared/routes';
import type { CallClient } from './http-transport';

export type { PagedRouteName };

/** One item of a paged route's answer. */
export type PageItem<N extends PagedRouteName> = RouteOutput<N>['data'][number];

/** Every item of a paged route from `input` on (its own `cursor`, if any, is where it starts), page after page. */
export async function* paginate<N extends PagedRouteName>(
  client: Pick<CallClient, 'call'>,
  name: N,
  input: RouteCallInput<N>,
): AsyncGenerator<PageItem<N>, void, undefined> {
  let cursor = (input as { cursor?: string }).cursor;
  for (;;) {
    const page = (await client.call(name, { ...input, ...(cursor ? { cursor } : {}) })) as {
      data: PageItem<N>[];
      nextCursor: string | null;
    };
    yield* page.data;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}
