import type { Inbox } from '@shared';
import { useState } from 'react';
import { hrefTo, navigate } from '../../app/router';
import {
  ConfirmDialog,
  CopyButton,
  EmptyState,
  ErrorText,
  Tabs,
  tabPanelProps,
  toast,
  useTabs,
} from '../../components';
import { useClient, useRouteMutation } from '../../lib/query';
import { ForwardBar, useForward, useForwardUrl, validForwardUrl } from './forward-bar';
import { downloadExport } from './inbox-export';
import { InboxLink } from './inbox-link';
import { RequestDetail } from './request-detail';
import { RequestList } from './request-list';
import { ScriptEditor } from './script-editor';
import { INBOX_PAGE, useInboxRequests } from './use-inbox-requests';

type Tab = 'requests' | 'script';

/** An inbox's display name: its name, or a short form of its id. */
export const inboxLabel = (inbox: Pick<Inbox, 'id' | 'name'>) => inbox.name || `Inbox ${inbox.id.slice(0, 8)}`;

/** One inbox: its URL and actions, then either the live request list with a detail panel or the script editor. */
export function InboxView({ inbox }: { inbox: Inbox }) {
  const [tab, setTab] = useState<Tab>('requests');
  const ids = useTabs<Tab>();
  const [confirm, setConfirm] = useState<'clear' | 'delete' | null>(null);
  const client = useClient();
  const exportAs = (format: 'json' | 'har') =>
    downloadExport(client, inbox, format).then(
      () => toast(`Exported as ${format.toUpperCase()}`, 'success'),
      (err: Error) => toast(err.message, 'error'),
    );
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
        <div className="row inbox-title-row">
          <h2 style={{ margin: 0 }}>{inboxLabel(inbox)}</h2>
          {inbox.endpointId ? (
            <a className="badge badge-info" href={hrefTo(`/endpoints/${inbox.endpointId}`)}>
              verifies for endpoint
            </a>
          ) : (
            <span className="badge">not linked to an endpoint</span>
          )}
          <span style={{ flex: 1 }} />
          {(['json', 'har'] as const).map((format) => (
            <button
              key={format}
              type="button"
              className="btn btn-sm"
              disabled={inbox.requestCount === 0}
              onClick={() => exportAs(format)}
            >
              Export {format.toUpperCase()}
            </button>
          ))}
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
          <CopyButton text={inbox.url} label="Copy URL" />
        </div>
        <InboxLink inbox={inbox} />
        <Tabs
          label="Inbox"
          tabs={[
            { id: 'requests', label: `Requests (${inbox.requestCount})` },
            { id: 'script', label: 'Response script' },
          ]}
          selected={tab}
          onSelect={setTab}
          ids={ids}
        />
      </div>
      <div className="inbox-tab-panel" {...tabPanelProps(ids, tab)}>
        {tab === 'requests' ? <InboxRequests inbox={inbox} /> : <ScriptEditor key={inbox.id} inbox={inbox} />}
      </div>
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

/**
 * Live: `inbox.request` pushes invalidate this query (lib/query.ts), so new requests appear as they arrive.
 * Pages of 200, newest first; the footer says how many of the inbox's requests are loaded and loads older ones.
 */
function InboxRequests({ inbox }: { inbox: Inbox }) {
  const requests = useInboxRequests(inbox.id);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [forwardUrl, setForwardUrl] = useForwardUrl(inbox);
  const forward = useForward();
  const rows = requests.rows;
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
  // Forwarded oldest first, the order they arrived in.
  const selectedIds = rows
    .filter((r) => checked.has(r.id))
    .map((r) => r.id)
    .reverse();
  const urlOk = validForwardUrl(forwardUrl);
  const total = Math.max(inbox.requestCount, rows.length);
  return (
    <div className="inbox-requests">
      <div className="inbox-table-wrap">
        <ForwardBar inbox={inbox} url={forwardUrl} onUrl={setForwardUrl} selectedIds={selectedIds} forward={forward} />
        <RequestList
          requests={rows}
          selectedId={selected?.id ?? null}
          onSelect={setSelectedId}
          checked={checked}
          onCheck={(id, on) =>
            setChecked((prev) => {
              const next = new Set(prev);
              if (on) next.add(id);
              else next.delete(id);
              return next;
            })
          }
          onCheckAll={(on) => setChecked(on ? new Set(rows.map((r) => r.id)) : new Set())}
        />
        <div className="inbox-list-footer" role="status" aria-label="Loaded requests">
          {requests.hasNextPage ? (
            <>
              <span>
                Showing the latest {rows.length.toLocaleString()} of {total.toLocaleString()} requests
              </span>
              <button
                type="button"
                className="btn btn-sm"
                disabled={requests.isFetchingNextPage}
                onClick={() => void requests.fetchNextPage()}
              >
                {requests.isFetchingNextPage ? 'Loading…' : `Load ${INBOX_PAGE} older`}
              </button>
            </>
          ) : (
            <span className="muted">
              All {rows.length.toLocaleString()} request{rows.length === 1 ? '' : 's'} shown
            </span>
          )}
        </div>
      </div>
      <div className="panel">
        {selected ? (
          <RequestDetail
            request={selected}
            forwarding={forward.isPending}
            onForward={
              urlOk
                ? () => forward.mutate({ id: inbox.id, url: forwardUrl.trim(), requestIds: [selected.id] })
                : undefined
            }
          />
        ) : null}
      </div>
    </div>
  );
}
