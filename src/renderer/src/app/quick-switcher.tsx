import { hideUrlPassword } from '@shared';
import { type ReactNode, useId, useMemo, useState } from 'react';
import { Modal, RelativeTime } from '../components';
import { deliveriesPath } from '../features/deliveries/filters';
import { useEventTypeNames } from '../lib/event-type-names';
import { useRoute } from '../lib/query';
import { fuzzyFilter } from './fuzzy';
import { PlusIcon, pageIcons } from './icons';
import { navigate, pages } from './router';
import { useShell } from './ui-store';

export interface SwitcherItem {
  id: string;
  kind: 'Page' | 'Endpoint' | 'Event' | 'Type' | 'Action';
  label: string;
  /** second line (description, event id) */
  detail?: ReactNode;
  /** texts the query matches against */
  keys: string[];
  path: string;
  icon?: ReactNode;
}

const MAX_RESULTS = 30;

/** Cmd/Ctrl+K: jump to a page, an endpoint, a recent event or the deliveries of a type by typing a few letters of it. */
export function QuickSwitcher() {
  const close = useShell((s) => s.close);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const endpoints = useRoute('endpoints.list', {});
  const events = useRoute('events.list', { limit: 20 });
  const typeNames = useEventTypeNames();

  const all = useMemo<SwitcherItem[]>(() => {
    const items: SwitcherItem[] = pages.map((p) => ({
      id: `page:${p.name}`,
      kind: 'Page',
      label: p.label,
      keys: [p.label],
      path: p.path,
      icon: pageIcons[p.name],
    }));
    items.push({
      id: 'action:new-endpoint',
      kind: 'Action',
      label: 'New endpoint',
      keys: ['New endpoint', 'create endpoint', 'add endpoint'],
      path: '/endpoints?new=1',
      icon: PlusIcon,
    });
    for (const e of endpoints.data?.data ?? []) {
      items.push({
        id: `endpoint:${e.id}`,
        kind: 'Endpoint',
        // a URL's password is neither shown nor searched (as on the endpoint's own page)
        label: hideUrlPassword(e.url),
        detail: e.description || undefined,
        keys: [hideUrlPassword(e.url), e.description, e.id],
        path: `/endpoints/${encodeURIComponent(e.id)}`,
        icon: pageIcons.endpoints,
      });
    }
    for (const ev of events.data?.data ?? []) {
      items.push({
        id: `event:${ev.id}`,
        kind: 'Event',
        label: ev.type,
        detail: (
          <>
            <span className="mono">{ev.id}</span> · <RelativeTime iso={ev.createdAt} />
          </>
        ),
        keys: [ev.type, ev.id],
        path: `/events/${encodeURIComponent(ev.id)}`,
        icon: pageIcons.events,
      });
    }
    // after the recent events, so that an event of the type typed comes first
    for (const name of typeNames) {
      items.push({
        id: `type:${name}`,
        kind: 'Type',
        label: name,
        detail: 'its deliveries',
        keys: [name],
        path: deliveriesPath({ type: name }),
        icon: pageIcons.deliveries,
      });
    }
    return items;
  }, [endpoints.data, events.data, typeNames]);

  const results = useMemo(() => fuzzyFilter(all, query, (i) => i.keys).slice(0, MAX_RESULTS), [all, query]);
  const current = Math.min(active, Math.max(0, results.length - 1));

  const go = (item: SwitcherItem | undefined) => {
    if (!item) return;
    close();
    navigate(item.path);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((current + 1) % Math.max(1, results.length));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((current - 1 + results.length) % Math.max(1, results.length));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      go(results[current]);
    }
  };

  const optionId = (i: number) => `${listId}-opt-${i}`;
  return (
    <Modal title="Quick switcher" hideTitle onClose={close} className="switcher">
      <input
        className="input switcher-input"
        role="combobox"
        aria-label="Search pages, endpoints, events and event types"
        aria-expanded="true"
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={results.length > 0 ? optionId(current) : undefined}
        placeholder="Jump to a page, endpoint, event or event type…"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        spellCheck={false}
        autoComplete="off"
      />
      <div className="switcher-list" role="listbox" id={listId} aria-label="Results">
        {results.map((item, i) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox input handles the keyboard
          <div
            key={item.id}
            id={optionId(i)}
            role="option"
            tabIndex={-1}
            aria-selected={i === current}
            className="switcher-item"
            onMouseMove={() => i !== current && setActive(i)}
            onClick={() => go(item)}
          >
            <span className="switcher-icon">{item.icon}</span>
            <span className="switcher-text">
              <span className="switcher-label">{item.label}</span>
              {item.detail ? <span className="switcher-detail muted">{item.detail}</span> : null}
            </span>
            <span className="switcher-kind muted">{item.kind}</span>
          </div>
        ))}
        {results.length === 0 ? <div className="switcher-empty muted">No match for “{query}”</div> : null}
      </div>
    </Modal>
  );
}
