// Keeps the filters in zustand and the hash query in step. A changed URL (a link, back/forward) wins; a
// bare `#/deliveries` (the sidebar) keeps the filters already set; a changed filter rewrites the URL in place.
import { useEffect, useRef } from 'react';
import { navigate, useParsedRoute } from '../../app/router';
import { useDeliveriesStore } from './deliveries-store';
import { type DeliveryFilters, deliveriesPath, filtersFromParams, filtersToQuery } from './filters';

/**
 * Returns the filters to query with: those of a URL that just changed (before the store caught up, so a
 * link never fetches the unfiltered log first), else the store's.
 */
export function useFilterSync(): { selectedId: string | null; filters: DeliveryFilters } {
  const route = useParsedRoute();
  const filters = useDeliveriesStore((s) => s.filters);
  const replaceFilters = useDeliveriesStore((s) => s.replaceFilters);
  const lastUrlQuery = useRef<string | null>(null);
  const selectedId = route.page === 'deliveries' ? route.id : null;

  useEffect(() => {
    if (route.page !== 'deliveries') return;
    const fromUrl = filtersFromParams(route.params);
    const urlQuery = filtersToQuery(fromUrl);
    const storeQuery = filtersToQuery(filters);
    if (urlQuery !== lastUrlQuery.current) {
      lastUrlQuery.current = urlQuery;
      if (urlQuery === '' && storeQuery !== '') {
        lastUrlQuery.current = storeQuery;
        navigate(deliveriesPath(filters, selectedId), { replace: true, from: route.path });
      } else if (urlQuery !== storeQuery) {
        replaceFilters(fromUrl);
      }
      return;
    }
    if (storeQuery !== urlQuery) {
      lastUrlQuery.current = storeQuery;
      navigate(deliveriesPath(filters, selectedId), { replace: true, from: route.path });
    }
  }, [route, filters, replaceFilters, selectedId]);

  const fromUrl = filtersFromParams(route.params);
  const urlQuery = filtersToQuery(fromUrl);
  const pending = route.page === 'deliveries' && urlQuery !== '' && urlQuery !== lastUrlQuery.current;
  return { selectedId, filters: pending && urlQuery !== filtersToQuery(filters) ? fromUrl : filters };
}
