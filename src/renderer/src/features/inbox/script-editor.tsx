import { type Inbox, ResponseScript } from '@shared';
import { type FormEvent, useState } from 'react';
import {
  ErrorText,
  Field,
  type FieldNouns,
  fieldMessages,
  invalidProps,
  KeyValueEditor,
  type KeyValueRow,
  rowsFromRecord,
  rowsToRecord,
  toast,
  validateHeaderRows,
} from '../../components';
import { useRouteMutation } from '../../lib/query';

/** Numbers are kept as typed text so a half-typed value is never coerced away; the schema judges them. */
interface ScriptForm {
  name: string;
  status: string;
  delayMs: string;
  failFirst: string;
  failPercent: string;
  failStatus: string;
  hang: boolean;
  rejectUnverified: boolean;
  headers: KeyValueRow[];
  body: string;
}

function toForm(inbox: Inbox): ScriptForm {
  const s = inbox.script;
  return {
    name: inbox.name,
    status: String(s.status),
    delayMs: String(s.delayMs),
    failFirst: String(s.failFirst),
    failPercent: String(s.failPercent),
    failStatus: String(s.failStatus),
    hang: s.hang,
    rejectUnverified: s.rejectUnverified,
    headers: rowsFromRecord(s.headers),
    body: s.body,
  };
}

const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));

/** How error messages name the script's fields ("Status must be at least 100"). */
const scriptNouns: FieldNouns = {
  status: { name: 'Status' },
  delayMs: { name: 'Delay', unit: 'ms' },
  failFirst: { name: 'Fail first N' },
  failPercent: { name: 'Fail %' },
  failStatus: { name: 'Failure status' },
  body: { name: 'Response body' },
};

function scriptOf(f: ScriptForm) {
  return {
    status: num(f.status),
    delayMs: num(f.delayMs),
    failFirst: num(f.failFirst),
    failPercent: num(f.failPercent),
    failStatus: num(f.failStatus),
    hang: f.hang,
    rejectUnverified: f.rejectUnverified,
    headers: rowsToRecord(f.headers),
    body: f.body,
  };
}

/** Rename and edit how the inbox answers (the endpoint link sits at the top of the inbox, inbox-link.tsx). */
export function ScriptEditor({ inbox }: { inbox: Inbox }) {
  const [form, setForm] = useState<ScriptForm>(() => toForm(inbox));
  const save = useRouteMutation('inboxes.update', {
    invalidates: ['inboxes.list', 'inboxes.get'],
    onSuccess: () => toast('Inbox saved; the next request gets the new answer', 'success'),
  });
  const parsed = ResponseScript.safeParse(scriptOf(form));
  const errors = parsed.success ? {} : fieldMessages(parsed.error.issues, scriptNouns);
  const headerErrors = validateHeaderRows(form.headers);
  const valid = parsed.success && Object.keys(headerErrors).length === 0;
  const dirty = JSON.stringify(form) !== JSON.stringify(toForm(inbox));
  const set = <K extends keyof ScriptForm>(key: K, value: ScriptForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!parsed.success || !valid) return;
    save.mutate({ id: inbox.id, name: form.name.trim(), script: parsed.data });
  };

  const numberField = (
    key: 'status' | 'delayMs' | 'failFirst' | 'failPercent' | 'failStatus',
    label: string,
    hint: string,
  ) => {
    const id = `script-${key}`;
    return (
      <Field label={label} htmlFor={id} error={errors[key]} hint={hint}>
        <input
          id={id}
          className="input"
          inputMode="numeric"
          value={form[key]}
          onChange={(e) => set(key, e.target.value)}
          {...invalidProps(id, errors[key])}
        />
      </Field>
    );
  };

  return (
    <form className="inbox-script" onSubmit={onSubmit} aria-label="Response script">
      <div className="grid">
        <Field label="Name" htmlFor="inbox-name">
          <input id="inbox-name" className="input" value={form.name} onChange={(e) => set('name', e.target.value)} />
        </Field>
      </div>
      <h3>Answer</h3>
      <div className="grid">
        {numberField('status', 'Status', '100–599')}
        {numberField('delayMs', 'Delay (ms)', 'wait before answering')}
        {numberField('failStatus', 'Failure status', 'used by the failure rules')}
        {numberField('failFirst', 'Fail first N', 'per webhook id, then answer normally')}
        {numberField('failPercent', 'Fail %', 'share of requests failed at random')}
      </div>
      <div className="checkbox-row">
        <input id="script-hang" type="checkbox" checked={form.hang} onChange={(e) => set('hang', e.target.checked)} />
        <label htmlFor="script-hang">Hang: never answer, so the sender times out</label>
      </div>
      <div className="checkbox-row">
        <input
          id="script-reject"
          type="checkbox"
          checked={form.rejectUnverified}
          onChange={(e) => set('rejectUnverified', e.target.checked)}
          aria-describedby="script-reject-hint"
        />
        <label htmlFor="script-reject">Reject unverified: answer 401 when the signature does not verify</label>
      </div>
      <p id="script-reject-hint" className="field-hint inbox-script-note">
        {inbox.endpointId
          ? 'Checked with the linked endpoint’s secrets, before the failure rules.'
          : 'Needs a linked endpoint: without its secret nothing verifies, so nothing is rejected.'}
      </p>
      <div className="field">
        <span className="label">Response headers</span>
        <KeyValueEditor label="Response headers" rows={form.headers} onChange={(rows) => set('headers', rows)} />
      </div>
      <Field label="Response body" htmlFor="script-body" error={errors.body}>
        <textarea
          id="script-body"
          className="textarea"
          value={form.body}
          spellCheck={false}
          onChange={(e) => set('body', e.target.value)}
          {...invalidProps('script-body', errors.body)}
        />
      </Field>
      <ErrorText error={save.error} shownPaths={Object.keys(errors)} />
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={!valid || !dirty || save.isPending}>
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
        <button
          type="button"
          className="btn"
          disabled={!dirty || save.isPending}
          onClick={() => setForm(toForm(inbox))}
        >
          Revert
        </button>
      </div>
    </form>
  );
}
