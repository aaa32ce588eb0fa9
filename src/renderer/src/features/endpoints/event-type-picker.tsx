import { useId, useMemo, useRef, useState } from 'react';
import { fuzzyFilter } from '../../app/fuzzy';
import { typeFamily, uncataloguedNames } from '../../lib/event-type-names';
import { useRoute } from '../../lib/query';
import { isValidFilter } from './endpoint-draft';

interface Option {
  value: string;
  /** shown on the right: the catalog description, or what a pattern means */
  hint: string;
}

export interface EventTypePickerProps {
  id: string;
  /** selected filters; empty = every event type */
  value: string[];
  onChange: (value: string[]) => void;
  /** inline error from validation */
  error?: string;
}

/** Catalog suggestions, the types fired that the catalog lacks, the prefix patterns they imply (`invoice.*`), and `*`. */
function useOptions(): Option[] {
  const catalog = useRoute('eventTypes.list', {}).data;
  const fired = useRoute('events.types', {}).data;
  return useMemo(() => {
    const types = catalog?.data ?? [];
    const uncatalogued = uncataloguedNames(types, fired?.data ?? []);
    const out: Option[] = [{ value: '*', hint: 'every event type' }];
    const prefixes = new Set<string>();
    for (const name of [...types.map((t) => t.name), ...uncatalogued]) {
      const family = typeFamily(name);
      if (family) prefixes.add(family);
    }
    for (const p of [...prefixes].sort()) out.push({ value: p, hint: 'pattern' });
    for (const t of types) out.push({ value: t.name, hint: t.description });
    for (const name of uncatalogued) out.push({ value: name, hint: 'fired, not in the catalog' });
    return out;
  }, [catalog, fired]);
}

/** Multi-select combobox: pick event types from the catalog or those fired, or type a pattern like `invoice.*`. */
export function EventTypePicker({ id, value, onChange, error }: EventTypePickerProps) {
  const options = useOptions();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const listId = useId();
  const inputRef = useRef<HTMLInputElement>(null);

  const suggestions = useMemo(() => {
    const available = options.filter((o) => !value.includes(o.value));
    const matches = fuzzyFilter(available, text, (o) => [o.value, o.hint]).slice(0, 12);
    const typed = text.trim();
    if (typed && !value.includes(typed) && !matches.some((m) => m.value === typed)) {
      matches.unshift({ value: typed, hint: isValidFilter(typed) ? 'add as typed' : 'not a valid filter' });
    }
    return matches;
  }, [options, value, text]);
  const current = Math.min(active, Math.max(0, suggestions.length - 1));
  const typedInvalid = text.trim() !== '' && !isValidFilter(text.trim());

  const add = (v: string) => {
    if (!isValidFilter(v) || value.includes(v)) return;
    onChange(v === '*' ? ['*'] : [...value.filter((x) => x !== '*'), v]);
    setText('');
    setActive(0);
    inputRef.current?.focus();
  };
  const remove = (v: string) => onChange(value.filter((x) => x !== v));

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((current + 1) % Math.max(1, suggestions.length));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((current - 1 + suggestions.length) % Math.max(1, suggestions.length));
    } else if (e.key === 'Enter' || (e.key === ',' && text.trim() !== '')) {
      // Enter in a form would submit it: it adds the highlighted suggestion instead
      if (open && suggestions[current]) {
        e.preventDefault();
        add(suggestions[current].value);
      } else if (text.trim()) {
        e.preventDefault();
        add(text.trim());
      }
    } else if (e.key === 'Backspace' && text === '' && value.length > 0) {
      remove(value[value.length - 1] as string);
    } else if (e.key === 'Escape' && open) {
      // handled here so the shell's Esc does not also close the drawer
      e.preventDefault();
      setOpen(false);
    }
  };

  const shownError = error ?? (typedInvalid ? 'an event type, a prefix like invoice.* or *' : undefined);
  return (
    <div className="type-picker">
      <div className={`type-picker-box ${shownError ? 'is-invalid' : ''}`}>
        {value.map((v) => (
          <span key={v} className="chip">
            <span className="mono">{v}</span>
            <button type="button" className="chip-remove" aria-label={`Remove ${v}`} onClick={() => remove(v)}>
              ✕
            </button>
          </span>
        ))}
        <input
          ref={inputRef}
          id={id}
          className="type-picker-input mono"
          role="combobox"
          aria-expanded={open && suggestions.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && suggestions.length > 0 ? `${listId}-${current}` : undefined}
          aria-invalid={shownError ? true : undefined}
          placeholder={value.length === 0 ? 'All event types — or pick: invoice.paid, order.*' : 'Add…'}
          value={text}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setActive(0);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
        />
      </div>
      {open && suggestions.length > 0 ? (
        <div className="type-picker-list" role="listbox" id={listId} aria-label="Event types">
          {suggestions.map((o, i) => (
            <div
              key={o.value}
              id={`${listId}-${i}`}
              role="option"
              tabIndex={-1}
              aria-selected={i === current}
              aria-disabled={!isValidFilter(o.value) || undefined}
              className="type-picker-option"
              // mousedown, not click: the input's blur would close the list before a click lands
              onMouseDown={(e) => {
                e.preventDefault();
                add(o.value);
              }}
              onMouseMove={() => i !== current && setActive(i)}
            >
              <span className="mono">{o.value}</span>
              <span className="muted type-picker-hint">{o.hint}</span>
            </div>
          ))}
        </div>
      ) : null}
      {shownError ? (
        <span className="field-error" id={`${id}-error`}>
          {shownError}
        </span>
      ) : (
        <span className="field-hint">
          {value.length === 0
            ? 'Receives every event type.'
            : 'Enter adds a type or pattern; Backspace removes the last.'}
        </span>
      )}
    </div>
  );
}
