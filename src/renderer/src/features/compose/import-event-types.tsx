// "Import": event types from an OpenAPI 3.1 document (webhooks) or an AsyncAPI 3 document (send operations).
// Paste the document or pick a file, Preview (a dry run: the engine says what it would create, update and skip),
// then Import. The engine does the parsing and $ref bundling; the page only shows its answer.
import type { EventTypeImportOutput } from '@shared';
import { useState } from 'react';
import { ErrorText, Field, Modal } from '../../components';
import { useRouteMutation } from '../../lib/query';

export interface ImportEventTypesProps {
  onClose: () => void;
  onImported: (result: EventTypeImportOutput) => void;
}

function ImportPlan({ plan }: { plan: EventTypeImportOutput }) {
  const kind = plan.format === 'openapi' ? 'OpenAPI' : 'AsyncAPI';
  return (
    <section className="import-plan" aria-label="Import preview">
      <p className="muted">
        {kind}
        {plan.title ? ` "${plan.title}"` : ''}: {plan.created.length} to create, {plan.updated.length} to update,{' '}
        {plan.skipped.length} skipped
      </p>
      <ul className="import-list">
        {plan.created.map((t) => (
          <li key={`c-${t.name}`}>
            <span className="import-kind import-new">new</span> <code>{t.name}</code>{' '}
            <span className="muted">{t.description}</span>
          </li>
        ))}
        {plan.updated.map((t) => (
          <li key={`u-${t.name}`}>
            <span className="import-kind import-update">update</span> <code>{t.name}</code>{' '}
            <span className="muted">{t.description}</span>
          </li>
        ))}
        {plan.skipped.map((t) => (
          <li key={`s-${t.name}`}>
            <span className="import-kind import-skip">skip</span> <code>{t.name}</code>{' '}
            <span className="muted">{t.reason}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ImportEventTypes({ onClose, onImported }: ImportEventTypesProps) {
  const [source, setSource] = useState('');
  const [plan, setPlan] = useState<EventTypeImportOutput | null>(null);
  const preview = useRouteMutation('eventTypes.import', { onSuccess: setPlan });
  const commit = useRouteMutation('eventTypes.import', {
    invalidates: ['eventTypes.list'],
    onSuccess: onImported,
  });
  const error = commit.error ?? preview.error;
  const changes = plan ? plan.created.length + plan.updated.length : 0;

  const edit = (text: string) => {
    setSource(text);
    setPlan(null);
    preview.reset();
    commit.reset();
  };
  const pickFile = async (file: File | undefined) => {
    if (file) edit(await file.text());
  };
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (source.trim() === '') return;
    if (plan && changes > 0) commit.mutate({ source, dryRun: false });
    else preview.mutate({ source, dryRun: true });
  };

  const pending = preview.isPending || commit.isPending;
  const label = plan
    ? changes > 0
      ? `Import ${changes} event type${changes === 1 ? '' : 's'}`
      : 'Nothing to import'
    : 'Preview';
  return (
    <Modal
      title="Import event types"
      onClose={onClose}
      className="modal-wide"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            form="import-event-types"
            className="btn btn-primary"
            disabled={pending || source.trim() === '' || (plan !== null && changes === 0)}
          >
            {pending ? 'Working…' : label}
          </button>
        </>
      }
    >
      <form id="import-event-types" onSubmit={submit} noValidate>
        <Field
          label="OpenAPI 3.1 or AsyncAPI 3 document (YAML or JSON)"
          htmlFor="import-source"
          hint="Each webhook (OpenAPI) or send operation (AsyncAPI) becomes an event type with its JSON Schema; $refs are resolved."
        >
          <textarea
            id="import-source"
            className="textarea mono"
            rows={plan ? 6 : 12}
            value={source}
            placeholder={'openapi: 3.1.0\nwebhooks:\n  invoice.paid:\n    post: …'}
            onChange={(e) => edit(e.target.value)}
          />
        </Field>
        <Field label="Or a file" htmlFor="import-file">
          <input
            id="import-file"
            type="file"
            accept=".yaml,.yml,.json,application/json,application/yaml"
            onChange={(e) => void pickFile(e.target.files?.[0])}
          />
        </Field>
        {plan ? <ImportPlan plan={plan} /> : null}
        <ErrorText error={error} />
      </form>
    </Modal>
  );
}
