// Filters of the delivery log: status (several), endpoint, event type, HTTP status class, error kind, time range,
// and a search box over ids, event data and response bodies. Every change lands in the store, and from there in the URL.
import { DeliveryErrorKind, DeliveryStatus, type Endpoint, HttpStatusClass, hideUrlPassword } from '@shared';
import { useEffect, useState } from 'react';
import { fromLocalInput, statusLabels, TypeOptions, toLocalInput } from '../../components';
import { useDeliveriesStore } from './deliveries-store';
import { ERROR_KIND_LABELS, isFiltered, RANGE_LABELS, TIME_RANGES, type TimeRange } from './filters';

const STATUS_LABELS: Record<DeliveryStatus, string> = statusLabels;

export const SEARCH_ID = 'delivery-search';

/** Search ids, the words of event data and the last response bodies; it sits in the page header. */
export function SearchBox() {
  const q = useDeliveriesStore((s) => s.filters.q);
  const setFilters = useDeliveriesStore((s) => s.setFilters);
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  // Typing an id should not fire a query per keystroke.
  useEffect(() => {
    if (text === q) return;
    const t = setTimeout(() => setFilters({ q: text }), 250);
    return () => clearTimeout(t);
  }, [text, q, setFilters]);
  return (
    <input
      id={SEARCH_ID}
      type="search"
      className="input dl-search mono"
      placeholder="Search ids, payloads, responses"
      aria-label="Search deliveries by id, payload or response"
      value={text}
      onChange={(e) => setText(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Enter') setFilters({ q: text });
      }}
    />
  );
}

/** `typeNames`: the catalog's and the fired ones (lib/event-type-names.ts); their families are offered too. */
export function FilterBar({ endpoints, typeNames }: { endpoints: Endpoint[]; typeNames: readonly string[] }) {
  const f = useDeliveriesStore((s) => s.filters);
  const setFilters = useDeliveriesStore((s) => s.setFilters);
  const clear = useDeliveriesStore((s) => s.clearFilters);
  const toggleStatus = (s: DeliveryStatus) =>
    setFilters({ status: f.status.includes(s) ? f.status.filter((x) => x !== s) : [...f.status, s] });

  return (
    // biome-ignore lint/a11y/useSemanticElements: same landmark as <search>, which jsdom (renderer tests) and older engines do not know (React warns)
    <div role="search" className="dl-filters" aria-label="Delivery filters">
      <fieldset className="status-toggles">
        <legend className="visually-hidden">Status</legend>
        {DeliveryStatus.options.map((s) => (
          <button
            key={s}
            type="button"
            className="dl-chip"
            aria-pressed={f.status.includes(s)}
            onClick={() => toggleStatus(s)}
          >
            {STATUS_LABELS[s]}
          </button>
        ))}
      </fieldset>
      <select
        className="select"
        aria-label="Endpoint"
        value={f.endpointId ?? ''}
        onChange={(e) => setFilters({ endpointId: e.target.value || null })}
      >
        <option value="">All endpoints</option>
        {endpoints.map((e) => (
          <option key={e.id} value={e.id}>
            {e.description.trim() || hideUrlPassword(e.url)}
          </option>
        ))}
        {f.endpointId && !endpoints.some((e) => e.id === f.endpointId) ? (
          <option value={f.endpointId}>{f.endpointId}</option>
        ) : null}
      </select>
      <select
        className="select"
        aria-label="Event type"
        value={f.type ?? ''}
        onChange={(e) => setFilters({ type: e.target.value || null })}
      >
        <TypeOptions names={typeNames} selected={f.type} />
      </select>
      <select
        className="select"
        aria-label="HTTP status"
        value={f.statusClass ?? ''}
        onChange={(e) => setFilters({ statusClass: HttpStatusClass.safeParse(e.target.value).data ?? null })}
      >
        <option value="">Any HTTP status</option>
        {HttpStatusClass.options.map((c) => (
          <option key={c} value={c}>
            HTTP {c}
          </option>
        ))}
      </select>
      <select
        className="select"
        aria-label="Error kind"
        value={f.errorKind ?? ''}
        onChange={(e) => setFilters({ errorKind: DeliveryErrorKind.safeParse(e.target.value).data ?? null })}
      >
        <option value="">Any error</option>
        {DeliveryErrorKind.options.map((k) => (
          <option key={k} value={k}>
            {ERROR_KIND_LABELS[k]}
          </option>
        ))}
      </select>
      <select
        className="select"
        aria-label="Time range"
        value={f.range}
        onChange={(e) => setFilters({ range: e.target.value as TimeRange })}
      >
        {TIME_RANGES.map((r) => (
          <option key={r} value={r}>
            {RANGE_LABELS[r]}
          </option>
        ))}
      </select>
      {f.range === 'custom' ? (
        <>
          <input
            type="datetime-local"
            className="input dl-date"
            aria-label="Since"
            value={toLocalInput(f.since)}
            onChange={(e) => setFilters({ since: fromLocalInput(e.target.value) })}
          />
          <input
            type="datetime-local"
            className="input dl-date"
            aria-label="Until"
            value={toLocalInput(f.until)}
            onChange={(e) => setFilters({ until: fromLocalInput(e.target.value) })}
          />
        </>
      ) : null}
      {f.eventId ? (
        <span className="dl-chip dl-chip-active">
          Event <code>{f.eventId}</code>
          <button
            type="button"
            className="dl-chip-x"
            aria-label="Remove the event filter"
            onClick={() => setFilters({ eventId: null })}
          >
            ✕
          </button>
        </span>
      ) : null}
      {isFiltered(f) ? (
        <button type="button" className="btn btn-ghost btn-sm" onClick={clear}>
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
