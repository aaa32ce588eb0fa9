// Settings › Event types: browse the catalog, and view and edit each type's description, JSON Schema and the
// example Compose loads (eventTypes.* routes). Built-in types can be edited too; only your own can be deleted. Types
// fired that the catalog lacks are listed apart, each added with its latest event's data as the example.
import type { EventType } from '@shared';
import { useEffect, useMemo, useState } from 'react';
import { hrefTo, navigate, useParsedRoute } from '../../app/router';
import { ConfirmDialog, ErrorText, Field, invalidProps, toast } from '../../components';
import { uncataloguedNames } from '../../lib/event-type-names';
import { useRoute, useRouteMutation } from '../../lib/query';
import { AddEventType } from '../compose/add-event-type';

const pretty = (v: unknown) => JSON.stringify(v, null, 2);
const path = (name: string) => `/settings/event-types?type=${encodeURIComponent(name)}`;

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : 'not JSON' };
  }
}

export function EventTypesPage() {
  const list = useRoute('eventTypes.list', {});
  const route = useParsedRoute();
  const types = list.data?.data ?? [];
  const wanted = route.params.get('type');
  const selected = types.find((t) => t.name === wanted) ?? types[0] ?? null;
  if (list.error) return <ErrorText error={list.error} />;
  if (list.isPending) return <p className="muted">Loading the catalog…</p>;
  return (
    <div className="event-types-layout">
      <nav aria-label="Event types">
        <ul className="event-type-list">
          {types.map((t) => (
            <li key={t.name}>
              <a
                href={hrefTo(path(t.name))}
                className="event-type-item"
                aria-current={t.name === selected?.name ? 'true' : undefined}
              >
                <span className="mono">{t.name}</span>
                <span className="muted event-type-meta">
                  {t.builtIn ? 'built-in' : 'yours'}
                  {t.schema ? ' · schema' : ''}
                </span>
              </a>
            </li>
          ))}
        </ul>
        <FiredNotCatalogued catalog={types} />
      </nav>
      {selected ? <EventTypeEditor key={selected.name} type={selected} /> : <p className="muted">No event types.</p>}
    </div>
  );
}

/** The types fired that the catalog lacks, each with Add: its latest event's data becomes the example. */
function FiredNotCatalogued({ catalog }: { catalog: EventType[] }) {
  const fired = useRoute('events.types', {}).data?.data;
  const [adding, setAdding] = useState<string | null>(null);
  const latest = useRoute('events.list', { type: adding ?? '', limit: 1 }, { enabled: adding !== null });
  const missing = uncataloguedNames(catalog, fired ?? []);
  if (missing.length === 0) return null;
  const example = latest.data?.data[0]?.data;
  return (
    <section className="fired-types" aria-label="Fired, not in the catalog">
      <h3 className="fired-types-title muted">Fired, not in the catalog</h3>
      <ul className="event-type-list">
        {missing.map((name) => (
          <li key={name} className="fired-type">
            <span className="mono">{name}</span>
            <button
              type="button"
              className="btn btn-sm"
              aria-label={`Add ${name} to the catalog`}
              title="Add it, with the data of its latest event as the example"
              onClick={() => setAdding(name)}
            >
              Add
            </button>
          </li>
        ))}
      </ul>
      {/* mounted once the latest event is known, so that the dialog starts from its data */}
      {adding !== null && (latest.isSuccess || latest.isError) ? (
        <AddEventType
          initialName={adding}
          initialExample={example === undefined ? '{}' : JSON.stringify(example, null, 2)}
          onClose={() => setAdding(null)}
          onCreated={(t) => {
            setAdding(null);
            toast(`Added event type ${t.name}`, 'success');
            navigate(path(t.name));
          }}
        />
      ) : null}
    </section>
  );
}

function EventTypeEditor({ type }: { type: EventType }) {
  const initial = useMemo(
    () => ({
      description: type.description,
      schema: type.schema ? pretty(type.schema) : '',
      example: pretty(type.example),
    }),
    [type],
  );
  const [form, setForm] = useState(initial);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const save = useRouteMutation('eventTypes.update', {
    invalidates: ['eventTypes.list'],
    onSuccess: () => toast(`Saved ${type.name}`, 'success'),
  });
  // a refused save's error is about what was sent: an edit, a Revert or another type leaves it behind
  const { reset: resetSave } = save;
  useEffect(() => {
    setForm(initial);
    resetSave();
  }, [initial, resetSave]);
  const edit = (change: (f: typeof initial) => typeof initial) => {
    resetSave();
    setForm(change);
  };
  const remove = useRouteMutation('eventTypes.delete', {
    invalidates: ['eventTypes.list'],
    onSuccess: () => {
      toast(`Deleted ${type.name}`, 'success');
      navigate('/settings/event-types', { replace: true });
    },
  });
  const schema = form.schema.trim() === '' ? ({ ok: true, value: null } as const) : parseJson(form.schema);
  const schemaError = !schema.ok
    ? schema.error
    : schema.value !== null && (typeof schema.value !== 'object' || Array.isArray(schema.value))
      ? 'A JSON Schema is an object'
      : undefined;
  const example = parseJson(form.example);
  const exampleError = example.ok ? undefined : example.error;
  const dirty = JSON.stringify(form) !== JSON.stringify(initial);
  const valid = !schemaError && !exampleError;

  return (
    <form
      className="event-type-editor card"
      aria-label={`Event type ${type.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!valid || !schema.ok || !example.ok) return;
        save.mutate({
          name: type.name,
          description: form.description,
          schema: schema.value as Record<string, unknown> | null,
          example: example.value,
        });
      }}
    >
      <div className="row">
        <h2 className="mono" style={{ margin: 0 }}>
          {type.name}
        </h2>
        <span className="badge">{type.builtIn ? 'built-in' : 'yours'}</span>
        <span className="spacer" style={{ flex: 1 }} />
        <a className="btn btn-sm" href={hrefTo('/compose')}>
          Compose
        </a>
      </div>
      <Field label="Description" htmlFor="et-description">
        <input
          id="et-description"
          className="input"
          value={form.description}
          onChange={(e) => edit((f) => ({ ...f, description: e.target.value }))}
        />
      </Field>
      <div className="event-type-json">
        <Field
          label="JSON Schema for data"
          htmlFor="et-schema"
          error={schemaError}
          hint="draft 2020-12; empty for none"
        >
          <textarea
            id="et-schema"
            className="textarea mono"
            spellCheck={false}
            value={form.schema}
            onChange={(e) => edit((f) => ({ ...f, schema: e.target.value }))}
            {...invalidProps('et-schema', schemaError)}
          />
        </Field>
        <Field label="Example (what Compose loads)" htmlFor="et-example" error={exampleError}>
          <textarea
            id="et-example"
            className="textarea mono"
            spellCheck={false}
            value={form.example}
            onChange={(e) => edit((f) => ({ ...f, example: e.target.value }))}
            {...invalidProps('et-example', exampleError)}
          />
        </Field>
      </div>
      <ErrorText error={save.error} />
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={!dirty || !valid || save.isPending}>
          {save.isPending ? 'Saving…' : 'Save event type'}
        </button>
        <button type="button" className="btn" disabled={!dirty} onClick={() => edit(() => initial)}>
          Revert
        </button>
        <span className="spacer" style={{ flex: 1 }} />
        {type.builtIn ? null : (
          <button type="button" className="btn btn-danger" onClick={() => setConfirmDelete(true)}>
            Delete
          </button>
        )}
      </div>
      {confirmDelete ? (
        <ConfirmDialog
          title="Delete event type?"
          message={`Remove ${type.name} from the catalog? Events already sent keep their type.`}
          confirmLabel="Delete event type"
          danger
          busy={remove.isPending}
          error={<ErrorText error={remove.error} />}
          onConfirm={() => remove.mutate({ name: type.name })}
          onCancel={() => setConfirmDelete(false)}
        />
      ) : null}
    </form>
  );
}
