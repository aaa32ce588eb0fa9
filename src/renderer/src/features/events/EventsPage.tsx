// Events (`#/events/<id>`): every event fired, with one dot per endpoint for how its delivery stands, a search over
// ids and what the data says, and the selected event's fate per endpoint.
import type { Endpoint } from '@shared';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { hrefTo, navigate, useParsedRoute } from '../../app/router';
import { EmptyState, ErrorText, PageHeader, TypeOptions } from '../../components';
import { useEventTypeNames } from '../../lib/event-type-names';
import { useRoute } from '../../lib/query';
import { shortUrl } from '../deliveries/DeliveriesPage';
import { EventDetail } from './event-detail';
import { EventList } from './event-list';
import { useEventPages } from './use-event-pages';
import './events.css';

const NO_ENDPOINTS: Endpoint[] = [];

export function EventsPage() {
  const route = useParsedRoute();
  const selectedId = route.page === 'events' ? route.id : null;
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [type, setType] = useState<string | null>(null);
  // a query per pause in typing, not per keystroke
  useEffect(() => {
    const t = setTimeout(() => setQ(text), 250);
    return () => clearTimeout(t);
  }, [text]);
  const list = useEventPages(q, type);
  const endpoints = useRoute('endpoints.list', {}).data?.data ?? NO_ENDPOINTS;
  const types = useEventTypeNames();
  const byId = useMemo(() => new Map(endpoints.map((e) => [e.id, e])), [endpoints]);
  const endpointOf = useCallback((id: string) => byId.get(id), [byId]);
  const endpointLabel = useCallback(
    (id: string) => {
      const e = byId.get(id);
      return e ? e.description.trim() || shortUrl(e.url) : id;
    },
    [byId],
  );
  const close = useCallback(() => navigate('/events', { replace: true }), []);

  let content: React.ReactNode;
  if (list.error && list.events.length === 0) content = <ErrorText error={list.error} />;
  else if (!list.isLoading && list.events.length === 0)
    content =
      q || type ? (
        <EmptyState title="No events match" text="The search looks at event ids and the words of their data." />
      ) : (
        <EmptyState
          title="No events yet"
          text="Every event you fire shows up here with what became of it at each endpoint."
          action={
            <a className="btn btn-primary" href={hrefTo('/compose')}>
              Compose an event
            </a>
          }
        />
      );
  else
    content = (
      <>
        <EventList events={list.events} selectedId={selectedId} endpointLabel={endpointLabel} />
        {list.hasMore ? (
          <button type="button" className="btn btn-sm ev-more" disabled={list.loadingMore} onClick={list.loadMore}>
            {list.loadingMore ? 'Loading…' : 'Load older events'}
          </button>
        ) : null}
      </>
    );

  return (
    <>
      <PageHeader
        title="Events"
        subtitle={list.isLoading ? '' : `${list.events.length.toLocaleString()}${list.hasMore ? '+' : ''} shown`}
        actions={
          <>
            <select
              className="select ev-type-filter"
              aria-label="Event type"
              value={type ?? ''}
              onChange={(e) => setType(e.target.value || null)}
            >
              <TypeOptions names={types} selected={type} />
            </select>
            <input
              type="search"
              className="input ev-search"
              placeholder="Search ids and payloads"
              aria-label="Search events by id or payload"
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          </>
        }
      />
      <div className={selectedId ? 'ev-split with-detail' : 'ev-split'}>
        <div className={list.isPlaceholder ? 'ev-main dl-stale' : 'ev-main'}>{content}</div>
        {selectedId ? (
          <EventDetail id={selectedId} endpointOf={endpointOf} endpointLabel={endpointLabel} onClose={close} />
        ) : null}
      </div>
    </>
  );
}
