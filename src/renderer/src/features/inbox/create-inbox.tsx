import type { RouteOutput } from '@shared';
import { useState } from 'react';
import { navigate } from '../../app/router';
import { CopyButton, Modal, toast } from '../../components';
import { useRouteMutation } from '../../lib/query';

type Created = RouteOutput<'inboxes.create'>;

/**
 * "Create endpoint with a new inbox" (the zero-setup loop: an endpoint pointed at a fresh inbox, linked so its
 * requests are verified) and a plain "New inbox". The endpoint's secret is shown once, as endpoints.create does.
 */
export function CreateInboxActions({ receiverRunning }: { receiverRunning: boolean }) {
  const [created, setCreated] = useState<Created | null>(null);
  const create = useRouteMutation('inboxes.create', {
    invalidates: ['inboxes.list', 'endpoints.list', 'system.status'],
    onSuccess: (inbox) => {
      navigate(`/inbox/${inbox.id}`);
      if (inbox.endpointSecret) setCreated(inbox);
      else toast('Inbox created', 'success');
    },
    onError: (err) => toast(err.message, 'error'),
  });
  return (
    <>
      <button
        type="button"
        className="btn btn-primary"
        disabled={create.isPending || !receiverRunning}
        title={receiverRunning ? undefined : 'The inbox receiver is not running'}
        onClick={() => create.mutate({ createEndpoint: {} })}
      >
        Create endpoint with a new inbox
      </button>
      <button type="button" className="btn" disabled={create.isPending} onClick={() => create.mutate({})}>
        New inbox
      </button>
      {created ? <CreatedDialog created={created} onClose={() => setCreated(null)} /> : null}
    </>
  );
}

function CreatedDialog({ created, onClose }: { created: Created; onClose: () => void }) {
  return (
    <Modal
      title="Endpoint and inbox created"
      onClose={onClose}
      footer={
        <button type="button" className="btn btn-primary" onClick={onClose}>
          Done
        </button>
      }
    >
      <div className="stack">
        <p>
          A new endpoint delivers to this inbox, and the inbox verifies every request with the endpoint's secret. Fire
          an event from Compose and watch it arrive here.
        </p>
        <div className="field">
          <span className="label">Inbox URL</span>
          <div className="secret-box">
            <code>{created.url}</code>
            <CopyButton text={created.url} ariaLabel="Copy inbox URL" />
          </div>
        </div>
        <div className="field">
          <span className="label">Endpoint signing secret (shown once)</span>
          <div className="secret-box">
            <code data-testid="endpoint-secret">{created.endpointSecret}</code>
            <CopyButton text={created.endpointSecret ?? ''} ariaLabel="Copy secret" />
          </div>
        </div>
      </div>
    </Modal>
  );
}
