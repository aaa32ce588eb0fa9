import { HeaderName, HeaderValue } from '@shared';
import { useId } from 'react';

/** One editable row; rows (not a record) so that a half-typed or duplicate name is never lost while typing. */
export interface KeyValueRow {
  key: string;
  value: string;
}

export function rowsFromRecord(record: Record<string, string>): KeyValueRow[] {
  return Object.entries(record).map(([key, value]) => ({ key, value }));
}

/** Rows with an empty name and value are ignored; later duplicates win, as in a plain object. */
export function rowsToRecord(rows: KeyValueRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of rows) if (r.key.trim() !== '' || r.value !== '') out[r.key.trim()] = r.value;
  return out;
}

/** Per-row error messages (index -> message) from the contract's header schemas. */
export function validateHeaderRows(rows: KeyValueRow[]): Record<number, string> {
  const errors: Record<number, string> = {};
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    const name = r.key.trim();
    if (name === '' && r.value === '') return;
    const n = HeaderName.safeParse(name);
    if (!n.success) {
      errors[i] = name === '' ? 'header name is required' : (n.error.issues[0]?.message ?? 'invalid header name');
      return;
    }
    const v = HeaderValue.safeParse(r.value);
    if (!v.success) {
      errors[i] = v.error.issues[0]?.message ?? 'invalid header value';
      return;
    }
    if (seen.has(name.toLowerCase())) errors[i] = 'duplicate header name';
    seen.add(name.toLowerCase());
  });
  return errors;
}

export interface KeyValueEditorProps {
  rows: KeyValueRow[];
  onChange: (rows: KeyValueRow[]) => void;
  /** accessible name of the group, e.g. "Custom headers" */
  label: string;
  keyPlaceholder?: string;
  valuePlaceholder?: string;
  /** extra per-row errors (e.g. from the server), merged over the schema's */
  errors?: Record<number, string>;
}

/** Header rows with inline validation; an empty row is always offered at the end. */
export function KeyValueEditor({
  rows,
  onChange,
  label,
  keyPlaceholder = 'Header-Name',
  valuePlaceholder = 'value',
  errors,
}: KeyValueEditorProps) {
  const id = useId();
  const rowErrors = { ...validateHeaderRows(rows), ...errors };
  const last = rows[rows.length - 1];
  const shown = last?.key === '' && last.value === '' ? rows : [...rows, { key: '', value: '' }];
  const update = (i: number, patch: Partial<KeyValueRow>) => {
    const next = shown.map((r, j) => (j === i ? { ...r, ...patch } : r));
    onChange(next.filter((r, j) => j < next.length - 1 || r.key !== '' || r.value !== ''));
  };
  const remove = (i: number) => onChange(rows.filter((_, j) => j !== i));
  return (
    <fieldset className="kv-editor" aria-label={label}>
      {shown.map((r, i) => {
        const error = rowErrors[i];
        const isPlaceholderRow = i >= rows.length;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity besides their position
          <div className="kv-editor-row" key={i}>
            <input
              className="input mono"
              aria-label={`${label} name ${i + 1}`}
              placeholder={keyPlaceholder}
              value={r.key}
              spellCheck={false}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-err-${i}` : undefined}
              onChange={(e) => update(i, { key: e.target.value })}
            />
            <input
              className="input mono"
              aria-label={`${label} value ${i + 1}`}
              placeholder={valuePlaceholder}
              value={r.value}
              spellCheck={false}
              onChange={(e) => update(i, { value: e.target.value })}
            />
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              aria-label={`Remove ${label.toLowerCase()} row ${i + 1}`}
              onClick={() => remove(i)}
              disabled={isPlaceholderRow}
            >
              ✕
            </button>
            {error ? (
              <span className="field-error kv-editor-error" id={`${id}-err-${i}`}>
                {error}
              </span>
            ) : null}
          </div>
        );
      })}
    </fieldset>
  );
}
