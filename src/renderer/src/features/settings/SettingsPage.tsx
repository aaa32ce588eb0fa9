import { defaultSettings, type Settings } from '@shared';
import { type FormEvent, type ReactNode, useMemo, useState } from 'react';
import { hrefTo, useParsedRoute } from '../../app/router';
import { ErrorText, Field, inlineIssues, invalidProps, PageHeader, toast } from '../../components';
import { useRoute, useRouteMutation } from '../../lib/query';
import { EventTypesPage } from './event-types-page';
import { NotificationSecret } from './notification-secret';
import { OwnPolicyNote } from './own-policy-note';
import { retryFieldLabels, retryFields } from './retry-fields';
import { RetryPreview } from './retry-preview';
import {
  draftFromSettings,
  type SettingsDraft,
  type SettingsField,
  sameDraft,
  validateSettings,
  validRetryPolicy,
} from './settings-draft';
import { ThresholdWarning } from './threshold-warning';
import './settings.css';

interface InputSpec {
  field: SettingsField;
  label: string;
  hint?: (value: string) => ReactNode;
  placeholder?: string;
  mode?: 'numeric' | 'decimal' | 'url';
}

const retryInputs: InputSpec[] = retryFields.map((f) => ({
  field: `retry.${f}`,
  label: retryFieldLabels[f].label,
  hint: retryFieldLabels[f].hint,
  mode: retryFieldLabels[f].mode,
}));

const engineInputs: InputSpec[] = [
  {
    field: 'autoDisable.threshold',
    label: 'Auto-disable after',
    hint: () => 'consecutive failed attempts; 0 = never',
    mode: 'numeric',
  },
  { field: 'concurrency', label: 'Concurrency', hint: () => 'deliveries in flight at once', mode: 'numeric' },
  {
    field: 'retentionDays',
    label: 'Retention (days)',
    hint: () => 'older deliveries and events are pruned',
    mode: 'numeric',
  },
];

function SettingsForm({ saved }: { saved: Settings }) {
  const savedDraft = useMemo(() => draftFromSettings(saved), [saved]);
  const [draft, setDraft] = useState<SettingsDraft>(savedDraft);
  const [dismissed, setDismissed] = useState<unknown>(null);
  const update = useRouteMutation('settings.update', {
    invalidates: ['settings.get'],
    onSuccess: (s) => {
      setDraft(draftFromSettings(s));
      toast('Settings saved', 'success');
    },
  });
  const validation = useMemo(() => validateSettings(draft), [draft]);
  const policy = useMemo(() => validRetryPolicy(draft), [draft]);
  const dirty = !sameDraft(draft, savedDraft);
  const serverError = update.error && update.error !== dismissed ? update.error : null;
  const fromServer = inlineIssues(serverError, (path) => (path in draft ? (path as SettingsField) : null));
  const errorOf = (f: SettingsField) => (validation.ok ? undefined : validation.errors[f]) ?? fromServer.byField[f];

  const set = (f: SettingsField, value: string) => {
    setDraft((d) => ({ ...d, [f]: value }));
    setDismissed(update.error);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!validation.ok) return;
    update.mutate(validation.value);
  };

  const input = (spec: InputSpec) => {
    const id = `setting-${spec.field.replace('.', '-')}`;
    const error = errorOf(spec.field);
    return (
      <Field key={spec.field} label={spec.label} htmlFor={id} error={error} hint={spec.hint?.(draft[spec.field])}>
        <input
          id={id}
          className={`input ${spec.mode === 'url' ? 'mono' : ''}`}
          inputMode={spec.mode === 'url' ? 'url' : spec.mode}
          placeholder={spec.placeholder}
          value={draft[spec.field]}
          onChange={(e) => set(spec.field, e.target.value)}
          spellCheck={false}
          {...invalidProps(id, error)}
        />
      </Field>
    );
  };

  const threshold = Number(draft['autoDisable.threshold']);
  return (
    <form className="settings-layout" onSubmit={submit} noValidate aria-label="Settings">
      <div className="settings-main">
        <section className="card" aria-labelledby="retry-heading">
          <h3 id="retry-heading">Retry policy</h3>
          <div className="settings-grid">{retryInputs.map(input)}</div>
          <OwnPolicyNote part="retry" />
        </section>
        <section className="card" aria-labelledby="engine-heading">
          <h3 id="engine-heading">Engine</h3>
          <div className="settings-grid">{engineInputs.map(input)}</div>
          <ThresholdWarning threshold={threshold} saved={saved.autoDisable.threshold} />
          <OwnPolicyNote part="autoDisableThreshold" />
          {input({
            field: 'notificationUrl',
            label: 'Notification URL',
            hint: () =>
              'optional: signed endpoint.disabled (auto-disable) and delivery.exhausted (a delivery gave up) events are POSTed here',
            placeholder: 'https://ops.example.com/hookbench',
            mode: 'url',
          })}
          <NotificationSecret />
          <label className="settings-check">
            <input
              type="checkbox"
              checked={draft.allowLinkLocal === 'true'}
              onChange={(e) => set('allowLinkLocal', String(e.currentTarget.checked))}
            />{' '}
            Allow link-local and cloud metadata addresses (169.254.0.0/16, metadata.google.internal) as endpoint and
            notification URLs
          </label>
        </section>
        {serverError ? <ErrorText error={serverError} shownPaths={fromServer.shownPaths} /> : null}
        <div className="row settings-actions">
          <button type="submit" className="btn btn-primary" disabled={!dirty || !validation.ok || update.isPending}>
            {update.isPending ? 'Saving…' : 'Save settings'}
          </button>
          <button type="button" className="btn" disabled={!dirty} onClick={() => setDraft(savedDraft)}>
            Discard changes
          </button>
          <span className="spacer" />
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => setDraft(draftFromSettings(defaultSettings))}
            title="Fill the form with the defaults; Save applies them"
          >
            Reset to defaults
          </button>
          {dirty ? <span className="muted unsaved">Unsaved changes</span> : null}
        </div>
      </div>
      <RetryPreview policy={policy} autoDisableThreshold={Number.isFinite(threshold) ? threshold : null} />
    </form>
  );
}

/** Settings: the engine's settings, and the event type catalog (`#/settings/event-types`). */
export function SettingsPage() {
  const route = useParsedRoute();
  const section = route.id === 'event-types' ? 'event-types' : 'general';
  const { data, error, isPending } = useRoute('settings.get', {});
  return (
    <>
      <PageHeader title="Settings" />
      <nav className="tabs settings-tabs" aria-label="Settings sections">
        <a className="tab" href={hrefTo('/settings')} aria-current={section === 'general' ? 'page' : undefined}>
          General
        </a>
        <a
          className="tab"
          href={hrefTo('/settings/event-types')}
          aria-current={section === 'event-types' ? 'page' : undefined}
        >
          Event types
        </a>
      </nav>
      <div className="page-body">
        {section === 'event-types' ? (
          <EventTypesPage />
        ) : (
          <>
            {error ? <ErrorText error={error} /> : null}
            {isPending ? <p className="muted">Loading settings…</p> : null}
            {data ? <SettingsForm saved={data} /> : null}
          </>
        )}
      </div>
    </>
  );
}
