import { type Endpoint, hideUrlPassword } from '@shared';
import { useMemo } from 'react';
import { fuzzyFilter } from '../../app/fuzzy';
import { navigate } from '../../app/router';
import { useShortcut } from '../../app/shortcuts';
import { EmptyState, ErrorText, PageHeader, toast } from '../../components';
import { useRoute, useRouteMutation } from '../../lib/query';
import { DisabledEndpointsBanner } from './disabled-banner';
import { EndpointStatus, MiddleEllipsis, P50, QueueCounts, SuccessRate, TypeChips } from './endpoint-cells';
import { schemeLabels } from './endpoint-draft';
import { useEndpointsUi } from './endpoints-ui';
import { Sparkline } from './sparkline';

const detailPath = (e: Endpoint) => `/endpoints/${encodeURIComponent(e.id)}`;

/** Zero endpoints: create one, or get an inbox with an endpoint pointed at it in one click. */
function NoEndpoints({ onCreate }: { onCreate: () => void }) {
  const withInbox = useRouteMutation('inboxes.create', {
    invalidates: ['endpoints.list', 'inboxes.list', 'system.status'],
    onSuccess: (inbox) => {
      toast('Inbox and endpoint created: events you send now land in the Inbox', 'success');
      if (inbox.endpointId) navigate(`/endpoints/${encodeURIComponent(inbox.endpointId)}`);
    },
  });
  return (
    <EmptyState
      title="No endpoints yet"
      text="An endpoint is a URL Hookbench signs and delivers events to, with retries. No receiver yet? Start with the built-in inbox: it captures every request and checks its signature."
      action={
        <>
          <button type="button" className="btn btn-primary" onClick={onCreate}>
            Create endpoint
          </button>
          <button
            type="button"
            className="btn"
            disabled={withInbox.isPending}
            onClick={() => withInbox.mutate({ name: 'My inbox', createEndpoint: {} })}
          >
            {withInbox.isPending ? 'Creating…' : 'Create endpoint with a new inbox'}
          </button>
          {withInbox.error ? <ErrorText error={withInbox.error} /> : null}
        </>
      }
    />
  );
}

export function EndpointList({ onCreate }: { onCreate: () => void }) {
  const { data, error, isPending } = useRoute('endpoints.list', {});
  const filter = useEndpointsUi((s) => s.filter);
  const setFilter = useEndpointsUi((s) => s.setFilter);
  const endpoints = data?.data ?? [];
  // one aggregate for every row's sparkline
  const stats = useRoute('endpoints.stats', { window: '24h' }, { refetchInterval: 60_000 });
  const healthOf = useMemo(() => new Map((stats.data?.endpoints ?? []).map((h) => [h.endpointId, h])), [stats.data]);
  const shown = useMemo(
    () => fuzzyFilter(endpoints, filter, (e) => [e.url, e.description, ...e.eventTypes]),
    [endpoints, filter],
  );
  useShortcut(
    'n',
    () => {
      onCreate();
      return true;
    },
    { description: 'New endpoint (on Endpoints)' },
  );

  return (
    <>
      <PageHeader
        title="Endpoints"
        subtitle={data ? `${endpoints.length}` : undefined}
        actions={
          <>
            {endpoints.length > 0 ? (
              <input
                className="input list-filter"
                type="search"
                aria-label="Filter endpoints"
                placeholder="Filter…"
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
              />
            ) : null}
            <button type="button" className="btn btn-primary" onClick={onCreate}>
              New endpoint
            </button>
          </>
        }
      />
      <div className="page-body">
        {error ? <ErrorText error={error} /> : null}
        <DisabledEndpointsBanner endpoints={endpoints} />
        {isPending ? <p className="muted">Loading endpoints…</p> : null}
        {data && endpoints.length === 0 ? <NoEndpoints onCreate={onCreate} /> : null}
        {endpoints.length > 0 ? (
          <div className="table-scroll endpoints-table-wrap">
            <table className="table endpoints-table">
              <thead>
                <tr>
                  <th>URL</th>
                  <th>Event types</th>
                  <th className="col-scheme">Scheme</th>
                  <th>Status</th>
                  <th className="num">Success</th>
                  <th>Last 24 h</th>
                  <th className="num">p50</th>
                  <th>Queue</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((e) => (
                  <tr key={e.id} className="selectable" onClick={() => navigate(detailPath(e))}>
                    <td className="cell-url">
                      <a
                        href={`#${detailPath(e)}`}
                        className="mono endpoint-url"
                        title={hideUrlPassword(e.url)}
                        onClick={(ev) => ev.stopPropagation()}
                      >
                        <MiddleEllipsis text={hideUrlPassword(e.url)} />
                      </a>
                      {e.description ? <div className="muted cell-sub">{e.description}</div> : null}
                    </td>
                    <td>
                      <TypeChips types={e.eventTypes} />
                    </td>
                    <td className="muted col-scheme">{schemeLabels[e.scheme].short}</td>
                    <td>
                      <EndpointStatus endpoint={e} />
                    </td>
                    <td className="num">
                      <SuccessRate endpoint={e} />
                    </td>
                    <td>
                      <Sparkline health={healthOf.get(e.id)} />
                    </td>
                    <td className="num">
                      <P50 endpoint={e} />
                    </td>
                    <td>
                      <QueueCounts endpoint={e} />
                    </td>
                  </tr>
                ))}
                {shown.length === 0 ? (
                  <tr>
                    <td colSpan={8} className="muted">
                      No endpoint matches “{filter}”.
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
    </>
  );
}
