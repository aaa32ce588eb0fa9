// The delivery log's filters: UI state in zustand, mirrored in the hash query (`#/deliveries?status=failed`)
// so that a link reproduces the view. Names in the URL are short and stable; values are validated on read.
import {
  DeliveryErrorKind,
  type DeliveryFilter,
  DeliveryStatus,
  type DeliveryErrorKind as ErrorKind,
  EventTypeFilter,
  HttpStatusClass,
} from '@shared';

export const TIME_RANGES = ['all', '15m', '1h', '24h', '7d', 'custom'] as const;
export type TimeRange = (typeof TIME_RANGES)[number];

export const RANGE_MS: Record<Exclude<TimeRange, 'all' | 'custom'>, number> = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
};

export const RANGE_LABELS: Record<TimeRange, string> = {
  all: 'All time',
  '15m': 'Last 15 min',
  '1h': 'Last hour',
  '24h': 'Last 24 h',
  '7d': 'Last 7 days',
  custom: 'Custom…',
};

export interface DeliveryFilters {
  /** any of these; empty = every status */
  status: DeliveryStatus[];
  endpointId: string | null;
  /** event type, exact, or a family (`invoice.*`: every type it starts) */
  type: string | null;
  eventId: string | null;
  range: TimeRange;
  /** ISO bounds, used when range is `custom` */
  since: string | null;
  until: string | null;
  /** ids (prefix), words of the event data, text of the last response body */
  q: string;
  /** the last attempt's HTTP status class */
  statusClass: HttpStatusClass | null;
  /** the last attempt failed without an answer, for this reason */
  errorKind: ErrorKind | null;
}

export const ERROR_KIND_LABELS: Record<ErrorKind, string> = {
  timeout: 'Timeout',
  refused: 'Connection refused',
  tls: 'TLS error',
  invalid_response: 'Invalid response',
};

export const emptyFilters: DeliveryFilters = {
  status: [],
  endpointId: null,
  type: null,
  eventId: null,
  range: 'all',
  since: null,
  until: null,
  q: '',
  statusClass: null,
  errorKind: null,
};

const ID = /^[A-Za-z0-9_-]{1,64}$/;
/** An event type or a family of them (`invoice.*`), as a subscription names them; `*` is no filter at all. */
const typeParam = (v: string | null) => (v && v !== '*' && EventTypeFilter.safeParse(v).success ? v : null);

const isIso = (s: string) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s));
const statuses = new Set<string>(DeliveryStatus.options);

/** Filters from a hash query; anything malformed is ignored rather than breaking the page. */
export function filtersFromParams(p: URLSearchParams): DeliveryFilters {
  const status = (p.get('status') ?? '')
    .split(',')
    .filter((s, i, all): s is DeliveryStatus => statuses.has(s) && all.indexOf(s) === i);
  const pick = (name: string, re: RegExp) => {
    const v = p.get(name);
    return v && re.test(v) ? v : null;
  };
  const range = p.get('range');
  const since = p.get('since');
  const until = p.get('until');
  const custom = (since && isIso(since)) || (until && isIso(until));
  return {
    status,
    endpointId: pick('endpoint', ID),
    type: typeParam(p.get('type')),
    eventId: pick('event', ID),
    range: custom
      ? 'custom'
      : TIME_RANGES.includes(range as TimeRange) && range !== 'custom'
        ? (range as TimeRange)
        : 'all',
    since: custom && since && isIso(since) ? since : null,
    until: custom && until && isIso(until) ? until : null,
    q: (p.get('q') ?? '').slice(0, 128),
    statusClass: HttpStatusClass.safeParse(p.get('http')).data ?? null,
    errorKind: DeliveryErrorKind.safeParse(p.get('error')).data ?? null,
  };
}

/** The hash query for filters (without `?`); empty when nothing is filtered. */
export function filtersToQuery(f: DeliveryFilters): string {
  const p = new URLSearchParams();
  if (f.status.length > 0) p.set('status', f.status.join(','));
  if (f.endpointId) p.set('endpoint', f.endpointId);
  if (f.type) p.set('type', f.type);
  if (f.eventId) p.set('event', f.eventId);
  if (f.range === 'custom') {
    if (f.since) p.set('since', f.since);
    if (f.until) p.set('until', f.until);
  } else if (f.range !== 'all') p.set('range', f.range);
  if (f.q.trim()) p.set('q', f.q.trim());
  if (f.statusClass) p.set('http', f.statusClass);
  if (f.errorKind) p.set('error', f.errorKind);
  return p.toString();
}

/** `/deliveries[/<id>][?filters]`: where a link to a view of the log points. */
export function deliveriesPath(filters: Partial<DeliveryFilters> = {}, deliveryId?: string | null): string {
  const query = filtersToQuery({ ...emptyFilters, ...filters });
  return `/deliveries${deliveryId ? `/${encodeURIComponent(deliveryId)}` : ''}${query ? `?${query}` : ''}`;
}

export const isFiltered = (f: DeliveryFilters): boolean => filtersToQuery(f) !== '';

/**
 * The contract filter for `deliveries.list` / `deliveries.retryMatching`. Relative ranges count back from
 * `now`, which the caller rounds so the query key does not change on every render.
 */
export function toContractFilter(f: DeliveryFilters, now: number): DeliveryFilter {
  const out: DeliveryFilter = {};
  if (f.status.length === 1) out.status = f.status[0];
  else if (f.status.length > 1) out.status = [...f.status].sort();
  if (f.endpointId) out.endpointId = f.endpointId;
  if (f.type) out.type = f.type;
  if (f.eventId) out.eventId = f.eventId;
  if (f.range === 'custom') {
    if (f.since) out.since = new Date(f.since).toISOString();
    if (f.until) out.until = new Date(f.until).toISOString();
  } else if (f.range !== 'all') out.since = new Date(now - RANGE_MS[f.range]).toISOString();
  const q = f.q.trim();
  if (q) out.q = q;
  if (f.statusClass) out.statusClass = f.statusClass;
  if (f.errorKind) out.errorKind = f.errorKind;
  return out;
}
