// The virtualised delivery log: fixed-height rows, only those on screen in the DOM, pages fetched as the
// end comes into view, and the row under the user's eyes kept in place when newer deliveries arrive.
import type { Delivery, Endpoint } from '@shared';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import { DeliveryRow } from './delivery-row';
import { pausedReason } from './delivery-state';

export const ROW_HEIGHT = 36;
/** the sticky column headings above the rows, inside the scroller */
const HEAD_HEIGHT = 30;
const COLUMNS = ['Status', 'Event type', 'Endpoint', 'HTTP', 'Attempts', 'Duration', 'Time', 'Next'];
/** rows from the top that still count as "at the top" (live refresh, re-anchoring) */
const TOP_ROWS = 40;

export interface DeliveryListProps {
  rows: Delivery[];
  endpointLabel: (endpointId: string) => string;
  endpointOf: (endpointId: string) => Endpoint | undefined;
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** every matching row is loaded */
  complete: boolean;
  loadMore: () => void;
  loadingMore: boolean;
  onAtTopChange: (atTop: boolean) => void;
  /** bumped by the page to scroll back to the newest row */
  scrollToTopSignal: number;
}

export function DeliveryList(p: DeliveryListProps) {
  const { rows, complete, loadMore, onAtTopChange, selectedId, onSelect } = p;
  const scroller = useRef<HTMLDivElement>(null);
  const count = rows.length + (complete ? 0 : 1);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    scrollMargin: HEAD_HEIGHT,
    overscan: 12,
    getItemKey: (i) => rows[i]?.id ?? '__more',
  });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    if (!complete && lastIndex >= rows.length - 60) loadMore();
  }, [complete, lastIndex, rows.length, loadMore]);

  const atTop = firstIndex < TOP_ROWS;
  useEffect(() => onAtTopChange(atTop), [atTop, onAtTopChange]);

  // Scroll anchoring: remember the first visible row; when rows are inserted above it, move by as many rows.
  const anchor = useRef<{ id: string; index: number } | null>(null);
  const recordAnchor = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    const index = Math.floor(el.scrollTop / ROW_HEIGHT);
    const row = rows[index];
    anchor.current = row && el.scrollTop > 0 ? { id: row.id, index } : null;
  }, [rows]);
  useLayoutEffect(() => {
    const el = scroller.current;
    const a = anchor.current;
    if (!el || !a || rows[a.index]?.id === a.id) return;
    const now = rows.findIndex((r) => r.id === a.id);
    if (now < 0) return;
    el.scrollTop += (now - a.index) * ROW_HEIGHT;
    anchor.current = { id: a.id, index: now };
  }, [rows]);

  useEffect(() => {
    if (p.scrollToTopSignal === 0) return;
    anchor.current = null;
    virtualizer.scrollToOffset(0);
  }, [p.scrollToTopSignal, virtualizer]);

  // Keep the selected row in view when it moves by keyboard.
  const selectedIndex = selectedId ? rows.findIndex((r) => r.id === selectedId) : -1;
  const onKeyDown = (e: React.KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1, PageDown: 15, PageUp: -15 };
    let next: number | null = null;
    if (e.key in moves)
      next = Math.max(0, Math.min(rows.length - 1, (selectedIndex < 0 ? -1 : selectedIndex) + (moves[e.key] ?? 0)));
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = rows.length - 1;
    const target = next === null ? undefined : rows[next];
    if (next === null || !target) return;
    e.preventDefault();
    onSelect(target.id);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  // One click handler for every row: rows come and go as the list scrolls.
  const onClick = (e: React.MouseEvent) => {
    const row = (e.target as HTMLElement).closest<HTMLElement>('tr[data-id]');
    if (row?.dataset.id) onSelect(row.dataset.id);
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the scroller is the log's one focus stop; arrow keys move the selection
    <div
      ref={scroller}
      className="dl-scroll"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
      tabIndex={0}
      onScroll={recordAnchor}
      onKeyDown={onKeyDown}
      onClick={onClick}
    >
      <table className="dl-table" aria-label="Deliveries" aria-rowcount={complete ? rows.length + 1 : -1}>
        <thead>
          <tr className="dl-row dl-head">
            {COLUMNS.map((c) => (
              <th key={c} scope="col" className={['HTTP', 'Attempts', 'Duration'].includes(c) ? 'dl-num' : undefined}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const d = rows[item.index];
            const style = { transform: `translateY(${item.start - HEAD_HEIGHT}px)`, height: ROW_HEIGHT };
            if (!d) {
              return (
                <tr key={item.key} className="dl-row dl-more" style={style}>
                  <td colSpan={COLUMNS.length}>{p.loadingMore ? 'Loading older deliveries…' : ''}</td>
                </tr>
              );
            }
            return (
              <DeliveryRow
                key={item.key}
                delivery={d}
                endpointLabel={p.endpointLabel(d.endpointId)}
                paused={pausedReason(d, p.endpointOf(d.endpointId))}
                selected={d.id === selectedId}
                style={style}
              />
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
