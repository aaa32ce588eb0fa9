// Deliveries: the live, filterable log of every delivery, and the inspector of one (`#/deliveries/<id>`).
import { type Endpoint, hideUrlPassword } from '@shared';
import { keepPreviousData } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { hrefTo, navigate } from '../../app/router';
import { useShortcut } from '../../app/shortcuts';
import { EmptyState, ErrorText, PageHeader } from '../../components';
import { useEventTypeNames } from '../../lib/event-type-names';
import { useRoute } from '../../lib/query';
import { useDeliveriesStore } from './deliveries-store';
import { DeliveryList } from './delivery-list';
import { FilterBar, SEARCH_ID, SearchBox } from './filter-bar';
import { deliveriesPath, isFiltered } from './filters';
import { Inspector } from './inspector';
import { RetryMatching } from './retry-matching';
import { useDeliveryPages } from './use-delivery-pages';
import { useFilterSync } from './use-filter-sync';
import './deliveries.css';

const NO_ENDPOINTS: Endpoint[] = [];

/** `http://127.0.0.1:4000/hooks` -> `127.0.0.1:4000/hooks`: the scheme only costs column width. */
export function shortUrl(url: string): string {
  return hideUrlPassword(url).replace(/^https?:\/\//, '');
}

/** A deleted endpoint's deliveries name it by the start of its id (several may have been deleted). */
export function deletedEndpointLabel(id: string): string {
  return `deleted endpoint ${id.slice(0, 8)}`;
}

/** "1,234 matching · 200 loaded"; just "12 matching" once every match is loaded. */
export function deliveryCountText(matching: number | undefined, loaded: number, complete: boolean, loading: boolean) {
  if (loading) return '';
  const total = matching ?? (complete ? loaded : null);
  if (total === null) return `${loaded.toLocaleString()} loaded`;
  const text = `${total.toLocaleString()} matching`;
  return complete && loaded === total ? text : `${text} · ${loaded.toLocaleString()} loaded`;
}

export function DeliveriesPage() {
  const { selectedId, filters } = useFilterSync();
  const clearFilters = useDeliveriesStore((s) => s.clearFilters);
  const endpointsQuery = useRoute('endpoints.list', {});
  const typeNames = useEventTypeNames();
  const endpoints = endpointsQuery.data?.data ?? NO_ENDPOINTS;
  const [atTop, setAtTop] = useState(true);
  const [toTop, setToTop] = useState(0);
  const log = useDeliveryPages(filters, atTop);

  const byId = useMemo(() => new Map(endpoints.map((e) => [e.id, e])), [endpoints]);
  const endpointLabel = useCallback(
    (id: string) => {
      const e = byId.get(id);
      if (e) return e.description.trim() || shortUrl(e.url);
      // once the endpoints are known, one that is not among them was deleted (its deliveries stay in the log)
      return endpointsQuery.data ? deletedEndpointLabel(id) : id;
    },
    [byId, endpointsQuery.data],
  );
  const endpointOf = useCallback((id: string) => byId.get(id), [byId]);
  const select = useCallback(
    (id: string) => navigate(deliveriesPath(useDeliveriesStore.getState().filters, id), { replace: true }),
    [],
  );
  const close = useCallback(
    () => navigate(deliveriesPath(useDeliveriesStore.getState().filters), { replace: true }),
    [],
  );

  useShortcut(
    '/',
    () => {
      document.getElementById(SEARCH_ID)?.focus();
      return true;
    },
    { description: 'Search deliveries: ids, payloads, responses (Deliveries)' },
  );

  const knownFailed = log.complete ? log.rows.filter((r) => r.status === 'failed').length : null;
  // The number matching the filter is a COUNT in the engine; the loaded number is how far the log has paged.
  const count = useRoute('deliveries.count', log.filter, { placeholderData: keepPreviousData });
  const countText = deliveryCountText(count.data?.count, log.rows.length, log.complete, log.isLoading);
  const filtered = isFiltered(filters);

  let content: React.ReactNode;
  if (log.error && log.rows.length === 0) content = <ErrorText error={log.error} />;
  else if (!log.isLoading && log.rows.length === 0)
    content = filtered ? (
      <EmptyState
        title="No deliveries match these filters"
        action={
          <button type="button" className="btn" onClick={clearFilters}>
            Clear filters
          </button>
        }
      />
    ) : (
      <EmptyState
        title="No deliveries yet"
        text="Every attempt to deliver an event shows up here live: status, response, timing and retries."
        action={
          <a className="btn btn-primary" href={hrefTo('/compose')}>
            Compose an event
          </a>
        }
      />
    );
  else
    content = (
      <DeliveryList
        rows={log.rows}
        endpointLabel={endpointLabel}
        endpointOf={endpointOf}
        selectedId={selectedId}
        onSelect={select}
        complete={log.complete}
        loadMore={log.loadMore}
        loadingMore={log.isFetchingMore}
        onAtTopChange={setAtTop}
        scrollToTopSignal={toTop}
      />
    );

  return (
    <>
      <PageHeader
        title="Deliveries"
        subtitle={countText}
        actions={
          <>
            <SearchBox />
            <RetryMatching filter={log.filter} knownFailed={knownFailed} />
          </>
        }
      />
      <FilterBar endpoints={endpoints} typeNames={typeNames} />
      <div className={selectedId ? 'dl-split with-inspector' : 'dl-split'}>
        <div className={log.isPlaceholder ? 'dl-main dl-stale' : 'dl-main'}>
          {!log.live ? (
            <div className="dl-paused" role="status">
              Live updates paused while you browse older deliveries.
              <button type="button" className="btn btn-sm" onClick={() => setToTop((n) => n + 1)}>
                Back to newest
              </button>
            </div>
          ) : null}
          {content}
        </div>
        {selectedId ? <Inspector id={selectedId} endpointOf={endpointOf} onClose={close} /> : null}
      </div>
    </>
  );
}
