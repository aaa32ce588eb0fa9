import { type KeyboardEvent, type ReactNode, useId } from 'react';

export interface TabItem<T extends string> {
  id: T;
  label: ReactNode;
}

export interface TabsProps<T extends string> {
  /** the tablist's accessible name ("Delivery details") */
  label: string;
  tabs: readonly TabItem<T>[];
  selected: T;
  onSelect: (id: T) => void;
  /** from `useTabs()`: ties the tabs to the panel */
  ids: TabIds<T>;
}

export interface TabIds<T extends string> {
  tab: (id: T) => string;
  panel: string;
}

/** Ids for one tab list and its panel (one panel, labelled by whichever tab is selected). */
export function useTabs<T extends string>(): TabIds<T> {
  const base = useId();
  return { tab: (id) => `${base}-tab-${id}`, panel: `${base}-panel` };
}

/** The props of the panel a tab list shows: `<div {...tabPanelProps(ids, selected)}>`. Reachable by Tab (axe). */
export function tabPanelProps<T extends string>(ids: TabIds<T>, selected: T) {
  return { role: 'tabpanel', id: ids.panel, 'aria-labelledby': ids.tab(selected), tabIndex: 0 } as const;
}

const STEP: Record<string, (index: number, count: number) => number> = {
  ArrowRight: (i, n) => (i + 1) % n,
  ArrowLeft: (i, n) => (i - 1 + n) % n,
  Home: () => 0,
  End: (_, n) => n - 1,
};

/**
 * A WAI-ARIA tab list: one tab in the Tab order (the selected one), the arrow keys, Home and End move to and select
 * another (selection follows focus: every panel here is cheap to show).
 */
export function Tabs<T extends string>({ label, tabs, selected, onSelect, ids }: TabsProps<T>) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = STEP[e.key];
    const index = tabs.findIndex((t) => t.id === selected);
    const next = step && index >= 0 ? tabs[step(index, tabs.length)]?.id : undefined;
    if (next === undefined || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    onSelect(next);
    document.getElementById(ids.tab(next))?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={ids.tab(t.id)}
          aria-controls={t.id === selected ? ids.panel : undefined}
          aria-selected={t.id === selected}
          tabIndex={t.id === selected ? 0 : -1}
          className="tab"
          onClick={() => onSelect(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
