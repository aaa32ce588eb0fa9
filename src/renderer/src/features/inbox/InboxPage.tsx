// The Inbox page: inboxes of the built-in receiver, the requests each captured (live), their signature verdicts,
// and the response script that decides how each inbox answers.
import { useEffect } from 'react';
import { hrefTo, navigate, useParsedRoute } from '../../app/router';
import { EmptyState, ErrorText, PageHeader } from '../../components';
import { useRoute } from '../../lib/query';
import { CreateInboxActions } from './create-inbox';
import { InboxView, inboxLabel } from './inbox-view';
import './inbox.css';

export function InboxPage() {
  const route = useParsedRoute();
  const status = useRoute('system.status', {});
  const list = useRoute('inboxes.list', {});
  const inboxes = list.data?.data ?? [];
  const selected = inboxes.find((i) => i.id === route.id) ?? null;
  // While the status is loading, assume the receiver runs rather than flash a warning.
  const receiverRunning = status.data ? status.data.inboxBaseUrl !== null : true;
  const firstId = inboxes[0]?.id;

  // Open the first inbox when none (or a deleted one) is in the URL. Only while the Inbox page is the route:
  // a render that already sees another page's hash (a click on "verifies for endpoint") must not pull it back.
  useEffect(() => {
    if (!list.isSuccess || route.page !== 'inbox') return;
    if ((!route.id || !selected) && firstId) navigate(`/inbox/${firstId}`, { replace: true, from: route.path });
  }, [list.isSuccess, route, selected, firstId]);

  const actions = <CreateInboxActions receiverRunning={receiverRunning} />;
  return (
    <>
      <PageHeader
        title="Inbox"
        subtitle={list.data ? `${inboxes.length} inbox${inboxes.length === 1 ? '' : 'es'}` : undefined}
        actions={actions}
      />
      {!receiverRunning ? (
        <div className="banner banner-warn" role="alert" style={{ margin: '12px 20px 0' }}>
          The inbox receiver is not running: inboxes cannot receive requests until the engine starts it.
        </div>
      ) : null}
      {list.error ? (
        <div className="page-body">
          <ErrorText error={list.error} />
        </div>
      ) : list.isPending ? (
        <div className="page-body muted">Loading inboxes…</div>
      ) : inboxes.length === 0 ? (
        <div className="page-body">
          <EmptyState
            title="No inboxes yet"
            text="An inbox is a local URL that captures every request, checks its signature and answers the way you script it: make it fail twice, answer slowly, or hang. Create one above."
          />
        </div>
      ) : (
        <div className="inbox-layout">
          <ul className="inbox-list" aria-label="Inboxes">
            {inboxes.map((inbox) => (
              <li key={inbox.id}>
                <a
                  className="inbox-list-item"
                  href={hrefTo(`/inbox/${inbox.id}`)}
                  aria-current={inbox.id === selected?.id ? 'true' : undefined}
                >
                  <span className="inbox-list-name">{inboxLabel(inbox)}</span>
                  <span className="muted inbox-list-meta">
                    {inbox.requestCount} request{inbox.requestCount === 1 ? '' : 's'}
                    {inbox.endpointId ? ' · linked' : ''}
                  </span>
                </a>
              </li>
            ))}
          </ul>
          {selected ? <InboxView key={selected.id} inbox={selected} /> : <div />}
        </div>
      )}
    </>
  );
}
