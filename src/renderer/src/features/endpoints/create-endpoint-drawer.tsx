import type { EndpointWithSecret } from '@shared';
import { useState } from 'react';
import { navigate } from '../../app/router';
import { CopyButton, FormFooter, Modal, toast } from '../../components';
import { useRouteMutation } from '../../lib/query';
import { draftToFields, emptyDraft } from './endpoint-draft';
import { EndpointForm } from './endpoint-form';

const FORM_ID = 'create-endpoint-form';

/** The secret, shown once after creating (it can be revealed again on the endpoint's page). */
export function SecretOnce({ endpoint, onDone }: { endpoint: EndpointWithSecret; onDone: () => void }) {
  return (
    <div className="stack secret-once">
      <div className="banner banner-info" role="status">
        Endpoint created. Copy its signing secret into your receiver to verify signatures.
      </div>
      <div className="field">
        <span className="label">Signing secret</span>
        <div className="secret-row">
          <code className="secret-value" data-testid="created-secret">
            {endpoint.secret}
          </code>
          <CopyButton text={endpoint.secret} ariaLabel="Copy signing secret" />
        </div>
        <span className="field-hint">You can reveal it again later from the endpoint's page.</span>
      </div>
      <div className="row">
        <button type="button" className="btn btn-primary" onClick={onDone} autoFocus>
          Open endpoint
        </button>
      </div>
    </div>
  );
}

/** "New endpoint" in a drawer: the form, then the secret once. */
export function CreateEndpointDrawer({ onClose }: { onClose: () => void }) {
  const [created, setCreated] = useState<EndpointWithSecret | null>(null);
  const create = useRouteMutation('endpoints.create', {
    invalidates: ['endpoints.list', 'system.status'],
    onSuccess: (endpoint) => {
      setCreated(endpoint);
      toast('Endpoint created', 'success');
    },
  });
  const openCreated = () => {
    if (!created) return;
    onClose();
    navigate(`/endpoints/${encodeURIComponent(created.id)}`);
  };
  return (
    <Modal
      variant="drawer"
      title={created ? 'Endpoint created' : 'New endpoint'}
      onClose={onClose}
      footer={
        created ? null : (
          <FormFooter
            formId={FORM_ID}
            onCancel={onClose}
            submitLabel="Create endpoint"
            pendingLabel="Creating…"
            pending={create.isPending}
          />
        )
      }
    >
      {created ? (
        <SecretOnce endpoint={created} onDone={openCreated} />
      ) : (
        <EndpointForm
          formId={FORM_ID}
          initial={emptyDraft}
          submitLabel="Create endpoint"
          busy={create.isPending}
          serverError={create.error}
          onSubmit={(draft) => create.mutate(draftToFields(draft))}
          onCancel={onClose}
        />
      )}
    </Modal>
  );
}
