// The delivery log: rows from deliveries.list (paged by cursor), filters in the query and the URL, live
// refresh from push topics, the inspector from a row click, and Retry all matching.
import { installShortcuts } from '@renderer/app/shortcuts';
import { useToasts } from '@renderer/components';
import { DeliveriesPage } from '@renderer/features/deliveries/DeliveriesPage';
import { useDeliveriesStore } from '@renderer/features/deliveries/deliveries-store';
import { emptyFilters } from '@renderer/features/deliveries/filters';
import { usePushInvalidation } from '@renderer/lib/query';
import type { Delivery, DeliveryStatus, RouteInput } from '@shared';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createFakeClient,
  type FakeHandlers,
  goTo,
  groupOptions,
  makeDelivery,
  makeEndpoint,
  makeEventType,
  renderWithClient,
} from '../support';

const statuses: DeliveryStatus[] = ['succeeded', 'failed', 'pending'];

/** n deliveries, newest first */
function makeLog(n: number): Delivery[] {
  return Array.from({ length: n }, (_, i) => {
    const status = statuses[i % 3] as DeliveryStatus;
    return makeDelivery({
      id: `dlv_${String(n - i).padStart(5, '0')}`,
      eventId: `evt_${n - i}`,
      endpointId: i % 2 === 0 ? 'ep_1' : 'ep_2',
      status,
      lastStatus: status === 'succeeded' ? 200 : 500,
      attemptCount: status === 'succeeded' ? 1 : 3,
      nextAttemptAt: status === 'pending' ? new Date(Date.now() + 30_000).toISOString() : null,
      createdAt: new Date(Date.now() - i * 1000).toISOString(),
    });
  });
}

function listFrom(log: Delivery[], input: RouteInput<'deliveries.list'>) {
  const wanted = input.status === undefined ? null : [input.status].flat();
  const rows = log.filter(
    (d) =>
      (!wanted || wanted.includes(d.status)) &&
      (!input.eventId || d.eventId === input.eventId) &&
      (!input.endpointId || d.endpointId === input.endpointId) &&
      (!input.q || d.id.startsWith(input.q) || d.eventId.startsWith(input.q)),
  );
  const start = input.cursor ? Number(input.cursor) : 0;
  const end = start + input.limit;
  return { data: rows.slice(start, end), nextCursor: end < rows.length ? String(end) : null };
}

/** The page as the app mounts it: push topics invalidate its queries. */
function LivePage() {
  usePushInvalidation(10);
  return <DeliveriesPage />;
}

function setup(log: Delivery[], over: FakeHandlers = {}) {
  const client = createFakeClient({
    'deliveries.list': (input) => listFrom(log, input),
    // the engine's COUNT of the filter: every matching row, not one page
    'deliveries.count': (filter) => ({ count: listFrom(log, { ...filter, limit: log.length + 1 }).data.length }),
    'deliveries.get': ({ id }) => {
      const d = log.find((x) => x.id === id) ?? makeDelivery({ id });
      return {
        ...d,
        attempts: [],
        payload: { id: d.eventId, type: d.eventType, version: 'v1', created_at: d.createdAt, data: {} },
      };
    },
    'deliveries.retryMatching': ({ dryRun, ...filter }) => ({
      retried: dryRun
        ? listFrom(log, { ...filter, status: 'failed', limit: log.length + 1 }).data.length
        : log.filter((d) => d.status === 'failed').length,
      dryRun: dryRun ?? false,
    }),
    'endpoints.list': () => ({
      data: [
        makeEndpoint({ id: 'ep_1', description: 'Billing service' }),
        makeEndpoint({ id: 'ep_2', url: 'http://127.0.0.1:5000/orders' }),
      ],
      nextCursor: null,
    }),
    'eventTypes.list': () => ({ data: [makeEventType('invoice.paid')], nextCursor: null }),
    'events.types': () => ({ data: ['invoice.paid', 'test.ping'], truncated: false }),
    ...over,
  });
  return renderWithClient(<LivePage />, { client });
}

// jsdom lays nothing out: give the log's scroller a viewport so the virtualiser renders rows.
const heightDesc = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
const widthDesc = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientWidth');
let uninstall = () => {};
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get() {
      return (this as HTMLElement).classList.contains('dl-scroll') ? 720 : 0;
    },
  });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 900 });
  uninstall = installShortcuts();
});
afterAll(() => {
  if (heightDesc) Object.defineProperty(HTMLElement.prototype, 'clientHeight', heightDesc);
  if (widthDesc) Object.defineProperty(HTMLElement.prototype, 'clientWidth', widthDesc);
  uninstall();
});
beforeEach(async () => {
  useDeliveriesStore.setState({ filters: emptyFilters });
  useToasts.setState({ toasts: [] });
  await goTo('/deliveries');
});

const table = () => screen.getByRole('table', { name: 'Deliveries' });
const rows = () => within(table()).getAllByRole('row').slice(1); // minus the header

describe('Deliveries', () => {
  it('lists only the rows on screen, with endpoint names, codes and attempts', async () => {
    const { client } = setup(makeLog(1000));
    await waitFor(() => expect(rows().length).toBeGreaterThan(10));
    expect(rows().length).toBeLessThan(60); // virtualised: not 200, not 1000
    expect(client.callsOf('deliveries.list')[0]).toMatchObject({ limit: 200 });
    // the number matching the filter, apart from the rows loaded so far
    expect(await screen.findByText('1,000 matching · 200 loaded')).toBeTruthy();
    const first = rows()[0] as HTMLElement;
    expect(first.textContent).toContain('Billing service');
    expect(first.textContent).toContain('200');
    const second = rows()[1] as HTMLElement;
    expect(second.textContent).toContain('127.0.0.1:5000/orders');
    expect(second.textContent).toContain('Failed');
    // (makeDelivery's maxAttempts: 8)
    expect(within(second).getByTitle('3 of at most 8 attempts').textContent).toBe('3');
    // pending after failed attempts: "Retrying", the countdown to the next one (the test may take a few seconds)
    expect(rows()[2]?.textContent).toMatch(/^Retrying.*retry in (2\d|30) s/);
  });

  it('names a deleted endpoint as such, by the start of its id, in the row and the inspector', async () => {
    const gone = makeDelivery({ id: 'dlv_gone', endpointId: '9a980144-0126-4a38-ac36-ef7c34284336' });
    setup([gone]);
    await waitFor(() => expect(rows()[0]?.textContent).toContain('deleted endpoint 9a980144'));
    fireEvent.click(within(rows()[0] as HTMLElement).getByText('deleted endpoint 9a980144'));
    const inspector = await screen.findByRole('complementary', { name: 'Delivery inspector' });
    expect(await within(inspector).findByText('deleted endpoint 9a980144-0126-4a38-ac36-ef7c34284336')).toBeTruthy();
  });

  it('fetches the next page by cursor when scrolled near the end', async () => {
    const { client } = setup(makeLog(1000));
    await waitFor(() => expect(rows().length).toBeGreaterThan(10));
    const scroller = document.querySelector('.dl-scroll') as HTMLElement;
    await act(async () => {
      scroller.scrollTop = 170 * 36;
      fireEvent.scroll(scroller);
    });
    await waitFor(() => expect(client.callsOf('deliveries.list').some((c) => c.cursor === '200')).toBe(true));
  });

  it('filters by status and reflects it in the URL', async () => {
    const { client } = setup(makeLog(30));
    await waitFor(() => expect(rows().length).toBe(30));
    fireEvent.click(screen.getByRole('button', { name: 'Failed' }));
    await waitFor(() => expect(rows().length).toBe(10));
    expect(client.callsOf('deliveries.list').at(-1)).toMatchObject({ status: 'failed' });
    expect(window.location.hash).toBe('#/deliveries?status=failed');
    for (const r of rows()) expect(r.textContent).toContain('Failed');
  });

  it('filters by HTTP status class and error kind, in the query, the count and the URL', async () => {
    const { client } = setup(makeLog(30));
    await waitFor(() => expect(rows().length).toBe(30));
    fireEvent.change(screen.getByRole('combobox', { name: 'HTTP status' }), { target: { value: '5xx' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Error kind' }), { target: { value: 'timeout' } });
    await waitFor(() =>
      expect(client.callsOf('deliveries.list').at(-1)).toMatchObject({ statusClass: '5xx', errorKind: 'timeout' }),
    );
    expect(client.callsOf('deliveries.count').at(-1)).toMatchObject({ statusClass: '5xx', errorKind: 'timeout' });
    expect(window.location.hash).toBe('#/deliveries?http=5xx&error=timeout');
  });

  it('offers every type fired as well as the catalog’s, and filters by one', async () => {
    const { client } = setup(makeLog(30));
    await waitFor(() => expect(rows().length).toBe(30));
    const select = screen.getByRole('combobox', { name: 'Event type' });
    await waitFor(() =>
      expect(
        within(select)
          .getAllByRole('option')
          .map((o) => o.textContent),
      ).toEqual(['All event types', 'invoice.paid', 'test.ping']),
    );
    fireEvent.change(select, { target: { value: 'test.ping' } });
    await waitFor(() => expect(client.callsOf('deliveries.list').at(-1)).toMatchObject({ type: 'test.ping' }));
    expect(client.callsOf('deliveries.count').at(-1)).toMatchObject({ type: 'test.ping' });
    expect(window.location.hash).toBe('#/deliveries?type=test.ping');
  });

  it('offers the families of the types fired and filters by one', async () => {
    const { client } = setup(makeLog(30), {
      'events.types': () => ({ data: ['invoice.created', 'invoice.paid', 'ping'], truncated: false }),
    });
    await waitFor(() => expect(rows().length).toBe(30));
    const select = screen.getByRole('combobox', { name: 'Event type' });
    expect(await groupOptions(select, 'Families')).toEqual(['invoice.*']);
    fireEvent.change(select, { target: { value: 'invoice.*' } });
    await waitFor(() => expect(client.callsOf('deliveries.list').at(-1)).toMatchObject({ type: 'invoice.*' }));
    expect(window.location.hash).toBe('#/deliveries?type=invoice.*');
  });

  it('takes the filters from a link', async () => {
    await goTo('/deliveries?event=evt_7');
    const { client } = setup(makeLog(30));
    await waitFor(() => expect(rows().length).toBe(1));
    expect(client.callsOf('deliveries.list')[0]).toMatchObject({ eventId: 'evt_7' });
    expect(screen.getByText('evt_7', { selector: 'code' })).toBeTruthy();
  });

  it('shows new deliveries without a reload', async () => {
    const log = makeLog(5);
    const { client } = setup(log);
    await waitFor(() => expect(rows().length).toBe(5));
    log.unshift(makeDelivery({ id: 'dlv_new', eventType: 'order.shipped', status: 'pending' }));
    act(() => client.emit('event.created', { id: 'evt_new', type: 'order.shipped', deliveryCount: 1 }));
    await waitFor(() => expect(rows().length).toBe(6));
    expect(rows()[0]?.textContent).toContain('order.shipped');
  });

  it('keeps the rows in view in place when newer deliveries arrive above them', async () => {
    const log = makeLog(100);
    const { client } = setup(log);
    await waitFor(() => expect(rows().length).toBeGreaterThan(10));
    const scroller = document.querySelector('.dl-scroll') as HTMLElement;
    await act(async () => {
      scroller.scrollTop = 10 * 36;
      fireEvent.scroll(scroller);
    });
    log.unshift(
      ...makeLog(103)
        .slice(0, 3)
        .map((d) => ({ ...d, id: `${d.id}_new` })),
    );
    act(() => client.emit('event.created', { id: 'evt_x', type: 'invoice.paid', deliveryCount: 3 }));
    await waitFor(() => expect(scroller.scrollTop).toBe(13 * 36));
  });

  it('opens the inspector from a row and closes it with Esc', async () => {
    setup(makeLog(5));
    await waitFor(() => expect(rows().length).toBe(5));
    fireEvent.click(within(rows()[1] as HTMLElement).getByText('Failed'));
    await waitFor(() => expect(window.location.hash).toBe('#/deliveries/dlv_00004'));
    expect(await screen.findByRole('complementary', { name: 'Delivery inspector' })).toBeTruthy();
    fireEvent.keyDown(document.body, { key: 'Escape' });
    await waitFor(() => expect(window.location.hash).toBe('#/deliveries'));
    expect(screen.queryByRole('complementary', { name: 'Delivery inspector' })).toBeNull();
  });

  it('retries every failed delivery matching the filters after confirming the count', async () => {
    const { client } = setup(makeLog(30));
    await waitFor(() => expect(rows().length).toBe(30));
    fireEvent.change(screen.getByRole('combobox', { name: 'Endpoint' }), { target: { value: 'ep_2' } });
    await waitFor(() => expect(rows().length).toBe(15));
    fireEvent.click(screen.getByRole('button', { name: 'Retry all matching' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('Retry 5 failed deliveries');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Retry' }));
    await waitFor(() =>
      expect(client.callsOf('deliveries.retryMatching').filter((c) => !c.dryRun)).toEqual([{ endpointId: 'ep_2' }]),
    );
    // the dialog's count is the engine's dry run of the same filter
    expect(client.callsOf('deliveries.retryMatching')).toContainEqual({ endpointId: 'ep_2', dryRun: true });
    await waitFor(() => expect(useToasts.getState().toasts.at(-1)?.message).toBe('Retried 10 deliveries'));
  });

  it('confirms the engine’s count of failed matches even when most rows are not loaded', async () => {
    const log = makeLog(1000);
    setup(log);
    await waitFor(() => expect(rows().length).toBeGreaterThan(10));
    const failed = log.filter((d) => d.status === 'failed').length;
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Retry all matching' }).hasAttribute('disabled')).toBe(false),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Retry all matching' }));
    const dialog = await screen.findByRole('dialog');
    await waitFor(() => expect(dialog.textContent).toContain(`Retry ${failed} failed deliveries`));
  });
});
