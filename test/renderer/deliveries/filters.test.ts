// Filters round-trip through the hash query, ignore malformed values, and become the contract's filter.
import {
  deliveriesPath,
  emptyFilters,
  filtersFromParams,
  filtersToQuery,
  toContractFilter,
} from '@renderer/features/deliveries/filters';
import { DeliveryFilter } from '@shared';
import { describe, expect, it } from 'vitest';

describe('delivery filters in the URL', () => {
  it('round-trips every filter', () => {
    const f = {
      status: ['failed' as const, 'pending' as const],
      endpointId: 'ep_1',
      type: 'orders/create',
      eventId: 'evt_2',
      range: '1h' as const,
      since: null,
      until: null,
      q: 'dlv_9',
      statusClass: '5xx' as const,
      errorKind: 'timeout' as const,
    };
    const query = filtersToQuery(f);
    expect(query).toBe(
      'status=failed%2Cpending&endpoint=ep_1&type=orders%2Fcreate&event=evt_2&range=1h&q=dlv_9&http=5xx&error=timeout',
    );
    expect(filtersFromParams(new URLSearchParams(query))).toEqual(f);
  });

  it('keeps custom bounds and drops malformed values', () => {
    const p = new URLSearchParams(
      'status=failed,bogus,failed&endpoint=bad id&range=forever&since=2026-11-26T10:00:00.000Z&q=x&http=6xx&error=dns',
    );
    expect(filtersFromParams(p)).toEqual({
      ...emptyFilters,
      status: ['failed'],
      range: 'custom',
      since: '2026-11-26T10:00:00.000Z',
      q: 'x',
    });
    expect(filtersFromParams(new URLSearchParams(''))).toEqual(emptyFilters);
  });

  it('takes a family of types from a link, and nothing that is not a type or a family', () => {
    const type = (q: string) => filtersFromParams(new URLSearchParams(q)).type;
    expect(type('type=invoice.*')).toBe('invoice.*');
    expect(type('type=orders%2F*')).toBe('orders/*');
    expect(filtersToQuery({ ...emptyFilters, type: 'invoice.*' })).toBe('type=invoice.*');
    for (const bad of ['type=*', 'type=invoice*', 'type=in*voice', 'type=invoice.*.paid', 'type=a%20b'])
      expect(type(bad), bad).toBeNull();
  });

  it('builds links to the log and to one delivery', () => {
    expect(deliveriesPath()).toBe('/deliveries');
    expect(deliveriesPath({ eventId: 'evt_1' })).toBe('/deliveries?event=evt_1');
    expect(deliveriesPath({ status: ['failed'] }, 'dlv_1')).toBe('/deliveries/dlv_1?status=failed');
  });

  it('becomes a valid contract filter, relative ranges counted from now', () => {
    const now = Date.parse('2026-11-26T12:00:00.000Z');
    const out = toContractFilter({ ...emptyFilters, status: ['pending', 'failed'], range: '15m', q: '  evt_1 ' }, now);
    expect(out).toEqual({ status: ['failed', 'pending'], since: '2026-11-26T11:45:00.000Z', q: 'evt_1' });
    expect(DeliveryFilter.safeParse(out).success).toBe(true);
    expect(toContractFilter({ ...emptyFilters, status: ['failed'] }, now)).toEqual({ status: 'failed' });
  });
});
