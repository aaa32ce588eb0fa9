// "Add event type": a name, a description, an optional JSON Schema for `data`, and the example Compose loads.
import type { EventType } from '@shared';
import { useState } from 'react';
import { ErrorText, Field, FormFooter, invalidProps, issuesByPath, Modal } from '../../components';
import { useRoute, useRouteMutation } from '../../lib/query';
import { displayPointer } from './json-locate';

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.:/-]*$/;

function parseJsonField(text: string, what: string): { value?: unknown; error?: string } {
  if (text.trim() === '') return {};
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    return { error: `${what} is not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export interface AddEventTypeProps {
  onClose: () => void;
  onCreated: (type: EventType) => void;
  /** prefills the example, e.g. with the data being composed */
  initialExample?: string;
  /** prefills the name, e.g. with a type fired that the catalog lacks */
  initialName?: string;
}

export function AddEventType({ onClose, onCreated, initialExample = '{}', initialName = '' }: AddEventTypeProps) {
  const [name, setName] = useState(initialName);
  const [description, setDescription] = useState('');
  const [schemaText, setSchemaText] = useState('');
  const [exampleText, setExampleText] = useState(initialExample);
  const [touched, setTouched] = useState(false);
  const create = useRouteMutation('eventTypes.create', { invalidates: ['eventTypes.list'], onSuccess: onCreated });

  const schema = parseJsonField(schemaText, 'The schema');
  const example = parseJsonField(exampleText, 'The example');
  const schemaIsObject =
    schema.value === undefined ||
    (typeof schema.value === 'object' && schema.value !== null && !Array.isArray(schema.value));
  // the engine's validator checks the schema compiles and the example fits it, as eventTypes.create will
  const checkable = schemaIsObject && schema.value !== undefined && example.value !== undefined;
  const verdict = useRoute(
    'eventTypes.validate',
    { schema: (schema.value ?? {}) as Record<string, unknown>, data: example.value ?? null },
    { enabled: checkable, staleTime: 60_000 },
  ).data;
  const exampleIssues = checkable && verdict ? verdict.issues.slice(0, 3) : [];
  const schemaError = checkable && verdict?.schemaError ? `The schema does not compile: ${verdict.schemaError}` : null;
  const server = issuesByPath(create.error?.issues ?? []);
  const errors = {
    name:
      name === ''
        ? touched
          ? 'A name is required'
          : null
        : !NAME.test(name)
          ? 'Letters, digits and _ . : / - only'
          : (server.name ?? null),
    schema: schema.error ?? (!schemaIsObject ? 'A JSON Schema is an object' : (schemaError ?? server.schema ?? null)),
    example:
      example.error ??
      (exampleIssues.length > 0
        ? `The example does not match the schema: ${exampleIssues.map((i) => `${displayPointer(i.instancePath)} ${i.message}`).join('; ')}`
        : (server.example ?? null)),
  };
  const invalid = name === '' || !!errors.name || !!errors.schema || !!errors.example;

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (invalid) return;
    create.mutate({
      name,
      description,
      schema: (schema.value as Record<string, unknown> | undefined) ?? null,
      example: example.value ?? {},
    });
  };

  return (
    <Modal
      title="Add event type"
      onClose={onClose}
      className="modal-wide"
      footer={
        <FormFooter
          formId="add-event-type"
          onCancel={onClose}
          submitLabel="Add event type"
          pendingLabel="Adding…"
          pending={create.isPending}
        />
      }
    >
      <form id="add-event-type" onSubmit={submit} noValidate>
        <Field label="Name" htmlFor="add-et-name" error={errors.name} hint="e.g. subscription.renewed">
          <input
            id="add-et-name"
            className="input mono"
            value={name}
            onChange={(e) => setName(e.target.value.trim())}
            {...invalidProps('add-et-name', errors.name)}
          />
        </Field>
        <Field label="Description" htmlFor="add-et-description">
          <input
            id="add-et-description"
            className="input"
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </Field>
        <Field
          label="JSON Schema for data (optional)"
          htmlFor="add-et-schema"
          error={errors.schema}
          hint="Draft 2020-12. Compose checks the data against it as you type."
        >
          <textarea
            id="add-et-schema"
            className="textarea mono"
            rows={8}
            value={schemaText}
            placeholder={'{ "type": "object", "required": ["object"] }'}
            onChange={(e) => setSchemaText(e.target.value)}
            {...invalidProps('add-et-schema', errors.schema)}
          />
        </Field>
        <Field label="Example data" htmlFor="add-et-example" error={errors.example} hint="The template Compose loads">
          <textarea
            id="add-et-example"
            className="textarea mono"
            rows={6}
            value={exampleText}
            onChange={(e) => setExampleText(e.target.value)}
            {...invalidProps('add-et-example', errors.example)}
          />
        </Field>
        <ErrorText error={create.error} shownPaths={['name', 'schema', 'example']} />
      </form>
    </Modal>
  );
}
