import { RetryPolicy, SchemeName } from '@shared';
import { type FormEvent, useId, useMemo, useState } from 'react';
import { ErrorText, Field, invalidProps, KeyValueEditor } from '../../components';
import { useClient } from '../../lib/query';
import { retryFieldLabels, retryFields } from '../settings/retry-fields';
import { RetrySummary } from '../settings/retry-preview';
import {
  type DraftErrors,
  draftToFields,
  type EndpointDraft,
  isDraftValid,
  retryDraft,
  sameRetry,
  schemeLabels,
  serverErrors,
  validateDraft,
} from './endpoint-draft';
import { EventTypePicker } from './event-type-picker';

export interface EndpointFormProps {
  initial: EndpointDraft;
  /** submit label: "Create endpoint" or "Save changes" */
  submitLabel: string;
  busy: boolean;
  /** the last server error (an ApiError): its issues are shown next to their fields */
  serverError: unknown;
  onSubmit: (draft: EndpointDraft) => void;
  onCancel: () => void;
  /** form element id, so a drawer footer button can submit it */
  formId?: string;
}

/**
 * Create and edit share this form. Errors appear once a field was left or a submit was tried, then follow
 * every keystroke; an invalid draft never reaches the engine.
 */
export function EndpointForm({
  initial,
  submitLabel,
  busy,
  serverError,
  onSubmit,
  onCancel,
  formId,
}: EndpointFormProps) {
  const [draft, setDraft] = useState(initial);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  // a server error is shown until the user edits the form again
  const [dismissed, setDismissed] = useState<unknown>(null);
  const uid = useId();
  const id = (name: string) => `${uid}-${name}`;

  const validation = useMemo(() => validateDraft(draft), [draft]);
  // the endpoint's own policy as typed, when valid: its schedule in a sentence
  const ownPolicy = useMemo(() => {
    if (!draft.ownRetry) return null;
    const parsed = RetryPolicy.safeParse(draftToFields(draft).retry);
    return parsed.success ? parsed.data : null;
  }, [draft]);
  const activeServerError = serverError && serverError !== dismissed ? serverError : null;
  const { errors: fromServer, shownPaths } = serverErrors(activeServerError);
  const show = (name: keyof DraftErrors): string | undefined =>
    (submitted || touched[name] ? validation.errors[name] : undefined) ?? fromServer[name];

  const set = <K extends keyof EndpointDraft>(key: K, value: EndpointDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setDismissed(serverError);
  };
  const blur = (name: string) => () => setTouched((t) => ({ ...t, [name]: true }));
  const client = useClient();
  /** Ticked on a form that had no policy of its own: the fields start from the settings' policy, in force until now. */
  const setOwnRetry = (on: boolean) => {
    set('ownRetry', on);
    if (!on || initial.ownRetry) return;
    client
      .call('settings.get', {})
      .then((s) =>
        // unless the fields were typed in meanwhile
        setDraft((d) => (d.ownRetry && sameRetry(d.retry, initial.retry) ? { ...d, retry: retryDraft(s.retry) } : d)),
      )
      .catch(() => {
        // the settings could not be read: the fields keep the default policy, as shown
      });
  };

  /** A text input with its label, hint and error, as the form's number fields all have them. */
  const textField = (f: {
    field: keyof DraftErrors;
    idName: string;
    label: string;
    hint: string;
    mode: 'numeric' | 'decimal';
    placeholder?: string;
    value: string;
    onChange: (value: string) => void;
  }) => (
    <Field key={f.field} label={f.label} htmlFor={id(f.idName)} error={show(f.field)} hint={f.hint}>
      <input
        id={id(f.idName)}
        className="input"
        inputMode={f.mode}
        placeholder={f.placeholder}
        value={f.value}
        onChange={(e) => f.onChange(e.target.value)}
        onBlur={blur(f.field)}
        {...invalidProps(id(f.idName), show(f.field))}
      />
    </Field>
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!isDraftValid(validation)) {
      // move focus to the first problem so keyboard users land on it
      const first = (e.currentTarget as HTMLFormElement).querySelector<HTMLElement>('[aria-invalid="true"]');
      first?.focus();
      return;
    }
    onSubmit(draft);
  };

  return (
    <form id={formId} className="endpoint-form" onSubmit={submit} noValidate>
      <Field label="Endpoint URL" htmlFor={id('url')} error={show('url')} hint="Where Hookbench POSTs each event.">
        <input
          id={id('url')}
          className="input mono"
          type="url"
          inputMode="url"
          placeholder="https://example.com/webhooks"
          value={draft.url}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => set('url', e.target.value)}
          onBlur={blur('url')}
          {...invalidProps(id('url'), show('url'))}
        />
      </Field>
      <Field label="Description" htmlFor={id('description')} error={show('description')}>
        <input
          id={id('description')}
          className="input"
          placeholder="Optional: what this endpoint is for"
          value={draft.description}
          onChange={(e) => set('description', e.target.value)}
          onBlur={blur('description')}
          {...invalidProps(id('description'), show('description'))}
        />
      </Field>
      <div className="field">
        <label htmlFor={id('types')}>Event types</label>
        <EventTypePicker
          id={id('types')}
          value={draft.eventTypes}
          onChange={(v) => set('eventTypes', v)}
          error={submitted ? (validation.errors.eventTypes ?? fromServer.eventTypes) : fromServer.eventTypes}
        />
      </div>
      <div className="form-grid">
        <Field label="Signature scheme" htmlFor={id('scheme')} hint={schemeLabels[draft.scheme].hint}>
          <select
            id={id('scheme')}
            className="select"
            value={draft.scheme}
            onChange={(e) => set('scheme', e.target.value as EndpointDraft['scheme'])}
          >
            {SchemeName.options.map((s) => (
              <option key={s} value={s}>
                {schemeLabels[s].label}
              </option>
            ))}
          </select>
        </Field>
        {textField({
          field: 'timeoutMs',
          idName: 'timeout',
          label: 'Timeout (ms)',
          hint: '100 – 120000',
          mode: 'numeric',
          value: draft.timeoutMs,
          onChange: (v) => set('timeoutMs', v),
        })}
        {textField({
          field: 'rateLimitPerSec',
          idName: 'rate',
          label: 'Rate limit (per second)',
          hint: 'Empty = unlimited',
          mode: 'decimal',
          placeholder: 'unlimited',
          value: draft.rateLimitPerSec,
          onChange: (v) => set('rateLimitPerSec', v),
        })}
      </div>
      <fieldset className="policy-fields" aria-labelledby={id('policy')}>
        <legend id={id('policy')}>Retries and auto-disable</legend>
        <label className="policy-own">
          <input type="checkbox" checked={draft.ownRetry} onChange={(e) => setOwnRetry(e.currentTarget.checked)} /> Own
          retry policy (unchecked: the Settings page's)
        </label>
        {draft.ownRetry ? (
          <div className="form-grid policy-grid">
            {retryFields.map((f) =>
              textField({
                field: `retry.${f}`,
                idName: `retry.${f}`,
                label: retryFieldLabels[f].label,
                hint: retryFieldLabels[f].hint(draft.retry[f]),
                mode: retryFieldLabels[f].mode,
                value: draft.retry[f],
                onChange: (v) => set('retry', { ...draft.retry, [f]: v }),
              }),
            )}
          </div>
        ) : null}
        {ownPolicy ? (
          <p className="muted policy-summary" data-testid="endpoint-retry-summary">
            <RetrySummary policy={ownPolicy} />
          </p>
        ) : null}
        {textField({
          field: 'autoDisableThreshold',
          idName: 'threshold',
          label: 'Auto-disable after',
          hint: "consecutive failed attempts; 0 = never; empty = the Settings page's",
          mode: 'numeric',
          placeholder: 'as in Settings',
          value: draft.autoDisableThreshold,
          onChange: (v) => set('autoDisableThreshold', v),
        })}
      </fieldset>
      <div className="field">
        <span className="label">Custom headers</span>
        <KeyValueEditor label="Custom headers" rows={draft.headers} onChange={(rows) => set('headers', rows)} />
        {fromServer.headers ? <span className="field-error">{fromServer.headers}</span> : null}
      </div>
      {activeServerError ? <ErrorText error={activeServerError} shownPaths={shownPaths} /> : null}
      {formId ? null : (
        <div className="row form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Saving…' : submitLabel}
          </button>
          <button type="button" className="btn" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        </div>
      )}
    </form>
  );
}
