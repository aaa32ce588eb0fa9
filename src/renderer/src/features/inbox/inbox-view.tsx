import type { Inbox } from '@shared';
import { useState } from 'react';
import { hrefTo, navigate } from '../../app/router';
import { ConfirmDialog, CopyButton, EmptyState, ErrorText, toast } from '../../components';
import { useRoute, useRouteMutation } from '../../lib/query';
import { RequestDetail } from './request-detail';
import { RequestList } from './request-list';
import { ScriptEditor } from './script-editor';

type Tab = 'requests' | 'script';

/** An inbox's display name: its name, or a short form of its id. */
export const inboxLabel = (inbox: Pick<Inbox, 'id' | 'name'>) => inbox.name || `Inbox ${inbox.id.slice(0, 8)}`;

/** One inbox: its URL and actions, then either the live request list with a detail panel or the script editor. */
export function InboxView({ inbox }: { inbox: Inbox }) {
  const [tab, setTab] = useState<Tab>('requests');
  const [confirm, setConfirm] = useState<'clear' | 'delete' | null>(null);
  const clear = useRouteMutation('inboxes.clear', {
    invalidates: ['inboxes.requests', 'inboxes.list'],
    onSuccess: () => {
      setConfirm(null);
      toast('Requests cleared', 'success');
    },
  });
  const remove = useRouteMutation('inboxes.delete', {
    invalidates: ['inboxes.list'],
    onSuccess: () => {
      setConfirm(null);
      navigate('/inbox', { replace: true });
      toast('Inbox deleted', 'success');
    },
  });

  return (
    <div className="inbox-main">
      <div className="inbox-head">
        <div className="row">
          <h2 style={{ margin: 0 }}>{inboxLabel(inbox)}</h2>
          {inbox.endpointId ? (
            <a className="badge badge-info" href={hrefTo(`/endpoints/${inbox.endpointId}`)}>
              verifies for endpoint
            </a>
          ) : (
            <span className="badge">not linked to an endpoint</span>
          )}
          <span style={{ flex: 1 }} />
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => setConfirm('clear')}
            disabled={inbox.requestCount === 0}
          >
            Clear requests
          </button>
          <button type="button" className="btn btn-sm btn-danger" onClick={() => setConfirm('delete')}>
            Delete inbox
          </button>
        </div>
        <div className="inbox-url">
          <input
            className="input mono"
            aria-label="Inbox URL"
            value={inbox.url}
            readOnly
            onFocus={(e) => e.target.select()}
          />
          <CopyButton text={inbox.url} label="Copy URL" ariaLabel="Copy inbox URL" />
        </div>
        <div className="tabs" role="tablist">
          <button
            type="button"
            role="tab"
            className="tab"
            aria-selected={tab === 'requests'}
            onClick={() => setTab('requests')}
          >
            Requests ({inbox.requestCount})
          </button>
          <button
            type="button"
            role="tab"
            className="tab"
            aria-selected={tab === 'script'}
            onClick={() => setTab('script')}
          >
            Response script
          </button>
        </div>
      </div>
      {tab === 'requests' ? <InboxRequests inbox={inbox} /> : <ScriptEditor key={inbox.id} inbox={inbox} />}
      {confirm === 'clear' ? (
        <ConfirmDialog
          title="Clear requests"
          message={`Forget the ${inbox.requestCount} requests this inbox captured?`}
          confirmLabel="Clear requests"
          danger
          busy={clear.isPending}
          error={<ErrorText error={clear.error} />}
          onConfirm={() => clear.mutate({ id: inbox.id })}
          onCancel={() => setConfirm(null)}
        />
      ) : null}
      {confirm === 'delete' ? (
        <ConfirmDialog
          title="Delete inbox"
          message="Delete this inbox and its captured requests? An endpoint pointed at it will get 404 answers."
          confirmLabel="Delete inbox"
          danger
          busy={remove.isPending}
          error={<ErrorText error={remove.error} />}
          onConfirm={() => remove.mutate({ id: inbox.id })}
          onCancel={() => setConfirm(null)}
        />
      ) : null}
    </div>
  );
}

/** Live: `inbox.request` pushes invalidate this query (lib/query.ts), so new requests appear as they arrive. */
function InboxRequests({ inbox }: { inbox: Inbox }) {
  const requests = useRoute('inboxes.requests', { id: inbox.id, limit: 200 });
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const rows = requests.data?.data ?? [];
  // Until the user picks one, the newest request is shown: sending from Compose then shows what just arrived.
  const selected = rows.find((r) => r.id === selectedId) ?? rows[0] ?? null;
  if (requests.error) return <ErrorText error={requests.error} />;
  if (requests.isPending) return <p className="muted inbox-script">Loading requests…</p>;
  if (rows.length === 0) {
    return (
      <EmptyState
        title="No requests yet"
        text={
          <>
            Send anything to <code>{inbox.url}</code>
            {inbox.endpointId ? ', or fire an event from Compose to the linked endpoint.' : '.'}
          </>
        }
      />
    );
  }
  return (
    <div className="inbox-requests">
      <div className="inbox-table-wrap">
        <RequestList requests={rows} selectedId={selected?.id ?? null} onSelect={setSelectedId} />
      </div>
      <div className="panel">{selected ? <RequestDetail request={selected} /> : null}</div>
    </div>
  );
}
