// The Events view: every event with a dot per endpoint, search over ids and data, and one event's fate per endpoint.
import { App } from '@renderer/App';
import { useComposeStore } from '@renderer/features/compose/compose-store';
import type { EventDetail } from '@shared';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  createFakeClient,
  goTo,
  groupOptions,
  makeEndpoint,
  makeEvent,
  makeEventType,
  makeStatus,
  page,
  renderWithClient,
} from '../support';

const T = '2026-11-26T12:00:00.000Z';
const paid = makeEvent({
  id: 'evt_paid',
  type: 'invoice.paid',
  data: { customer: 'ada@example.com' },
  deliveries: [
    { id: 'dlv_a', endpointId: 'ep_ok', status: 'succeeded', maxAttempts: 8 },
    { id: 'dlv_b', endpointId: 'ep_down', status: 'pending', maxAttempts: 8 },
  ],
});
const shipped = makeEvent({ id: 'evt_ship', type: 'order.shipped', deliveries: [] });

const detail: EventDetail = {
  ...paid,
  deliveries: [
    {
      id: 'dlv_a',
      endpointId: 'ep_ok',
      endpointUrl: 'http://127.0.0.1:4000/ok',
      status: 'succeeded',
      pausedReason: null,
      maxAttempts: 8,
      attemptCount: 1,
      lastStatus: 200,
      lastError: null,
      lastDurationMs: 12,
      nextAttemptAt: null,
      updatedAt: T,
    },
    {
      id: 'dlv_b',
      endpointId: 'ep_down',
      endpointUrl: 'http://127.0.0.1:4001/down',
      status: 'pending',
      pausedReason: null,
      maxAttempts: 8,
      attemptCount: 2,
      lastStatus: null,
      lastError: 'connection refused (ECONNREFUSED)',
      lastDurationMs: 1,
      nextAttemptAt: new Date(Date.now() + 150_000).toISOString(),
      updatedAt: T,
    },
  ],
};

function engine() {
  return createFakeClient({
    'system.status': () => makeStatus(),
    'endpoints.list': () =>
      page([
        makeEndpoint({ id: 'ep_ok', url: 'http://127.0.0.1:4000/ok', description: 'Billing' }),
        makeEndpoint({ id: 'ep_down', url: 'http://127.0.0.1:4001/down', description: 'Orders' }),
      ]),
    'eventTypes.list': () => page([]),
    'events.list': ({ q }) => page(q ? [paid].filter(() => 'ada@example.com'.includes(q)) : [paid, shipped]),
    'events.get': () => detail,
  });
}

describe('Events view', () => {
  it('lists events with a dot per delivery, searches, and shows one event’s fate per endpoint', async () => {
    const client = engine();
    renderWithClient(<App />, { client });
    await goTo('/events');
    const table = await screen.findByRole('table', { name: 'Events' });
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(3));
    expect(within(table).getByRole('img', { name: '1 succeeded, 1 pending' })).toBeTruthy();
    expect(within(table).getByText('no endpoint')).toBeTruthy();

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search events by id or payload' }), {
      target: { value: 'ada' },
    });
    await waitFor(() => expect(client.callsOf('events.list').some((i) => i.q === 'ada')).toBe(true));
    await waitFor(() =>
      expect(within(screen.getByRole('table', { name: 'Events' })).getAllByRole('row')).toHaveLength(2),
    );

    fireEvent.click(screen.getByRole('link', { name: 'invoice.paid' }));
    const panel = await screen.findByRole('complementary', { name: 'Event detail' });
    const rows = await within(panel).findAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]?.textContent).toContain('Billing');
    expect(rows[1]?.textContent).toContain('200');
    expect(rows[2]?.textContent).toContain('Orders');
    expect(rows[2]?.textContent).toMatch(/next try in 2 min/);
    expect(rows[2]?.textContent).toContain('refused');
    expect(within(rows[2] as HTMLElement).getByTitle('2 of at most 8 attempts').textContent).toBe('2');
    expect(within(panel).getByRole('link', { name: 'Inspect the delivery to Orders' }).getAttribute('href')).toBe(
      '#/deliveries/dlv_b?event=evt_paid',
    );
    fireEvent.keyDown(document.body, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('complementary', { name: 'Event detail' })).toBeNull());
    expect(window.location.hash).toBe('#/events');

    // a click anywhere on a row opens it, as in the Deliveries log
    fireEvent.click(within(screen.getByRole('table', { name: 'Events' })).getByText('evt_paid'));
    expect(await screen.findByRole('complementary', { name: 'Event detail' })).toBeTruthy();
    expect(window.location.hash).toBe('#/events/evt_paid');
  });

  it('moves through the events with j/k and the arrows from a focused row, opening each', async () => {
    renderWithClient(<App />, { client: engine() });
    await goTo('/events');
    const table = await screen.findByRole('table', { name: 'Events' });
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(3));
    const links = within(table).getAllByRole('link');
    const [first, second] = links as [HTMLElement, HTMLElement];
    first.focus();
    fireEvent.keyDown(first, { key: 'j' });
    const secondId = second.closest('tr')?.dataset.id as string;
    await waitFor(() => expect(window.location.hash).toBe(`#/events/${secondId}`));
    expect(document.activeElement).toBe(second);
    fireEvent.keyDown(second, { key: 'ArrowUp' });
    await waitFor(() => expect(window.location.hash).toBe(`#/events/${first.closest('tr')?.dataset.id}`));
    expect(document.activeElement).toBe(first);
    // k at the top stays on the first event
    fireEvent.keyDown(first, { key: 'k' });
    expect(document.activeElement).toBe(first);
  });

  it('filters by a type fired but never catalogued, and learns new types as events arrive', async () => {
    const client = engine();
    let fired = ['invoice.paid', 'order.shipped'];
    client.handle({
      'eventTypes.list': () => page([makeEventType('invoice.paid'), makeEventType('customer.created')]),
      'events.types': () => ({ data: fired, truncated: false }),
    });
    renderWithClient(<App />, { client });
    await goTo('/events');
    const select = await screen.findByRole('combobox', { name: 'Event type' });
    const offered = () =>
      within(select)
        .getAllByRole('option')
        .map((o) => o.textContent);
    await waitFor(() =>
      expect(offered()).toEqual(['All event types', 'customer.created', 'invoice.paid', 'order.shipped']),
    );
    fireEvent.change(select, { target: { value: 'order.shipped' } });
    await waitFor(() => expect(client.callsOf('events.list').some((i) => i.type === 'order.shipped')).toBe(true));

    fired = [...fired, 'zz.custom'];
    act(() => client.emit('event.created', { id: 'evt_new', type: 'zz.custom', deliveryCount: 0 }));
    await waitFor(() => expect(offered()).toContain('zz.custom'));
  });

  it('filters by a family of the types fired', async () => {
    const client = engine();
    client.handle({
      'eventTypes.list': () => page([]),
      'events.types': () => ({ data: ['invoice.created', 'invoice.paid', 'ping'], truncated: false }),
    });
    renderWithClient(<App />, { client });
    await goTo('/events');
    const select = await screen.findByRole('combobox', { name: 'Event type' });
    expect(await groupOptions(select, 'Families')).toEqual(['invoice.*']);
    fireEvent.change(select, { target: { value: 'invoice.*' } });
    await waitFor(() => expect(client.callsOf('events.list').some((i) => i.type === 'invoice.*')).toBe(true));
  });

  it('copies an event’s data and opens it in Compose for every subscribed endpoint, catalogued or not', async () => {
    const client = engine();
    client.handle({
      'eventTypes.list': () => page([makeEventType('invoice.paid')]),
      'profiles.list': () => page([]),
      'events.types': () => ({ data: ['invoice.paid', 'order.shipped'], truncated: false }),
      'events.get': ({ id }) => (id === 'evt_ship' ? { ...shipped, deliveries: [] } : detail),
    });
    useComposeStore.setState({ targetMode: 'chosen', chosenEndpointIds: ['ep_down'] });
    renderWithClient(<App />, { client });
    await goTo('/events/evt_paid');
    await waitFor(() => expect(screen.getByRole('heading', { name: 'invoice.paid' })).toBeTruthy());
    const panel = screen.getByRole('complementary', { name: 'Event detail' });
    fireEvent.click(within(panel).getByRole('button', { name: 'Copy data' }));
    await waitFor(async () => expect(JSON.parse(await navigator.clipboard.readText())).toEqual(paid.data));
    const resend = within(panel).getByRole('button', { name: 'Edit and resend' });
    await waitFor(() => expect((resend as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(resend);
    let state = useComposeStore.getState();
    expect(state.source).toBe('type:invoice.paid');
    expect(JSON.parse(state.drafts['type:invoice.paid'] ?? '')).toEqual(paid.data);
    expect(state.targetMode).toBe('subscribed');
    expect(window.location.hash).toBe('#/compose');

    // a type nobody catalogued (nor a provider's fixture) opens as itself: Compose composes any type
    await goTo('/events/evt_ship');
    await waitFor(() => expect(screen.getByRole('heading', { name: 'order.shipped' })).toBeTruthy());
    const again = within(screen.getByRole('complementary', { name: 'Event detail' })).getByRole('button', {
      name: 'Edit and resend',
    });
    await waitFor(() => expect((again as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(again);
    state = useComposeStore.getState();
    expect(state.source).toBe('type:order.shipped');
    expect(JSON.parse(state.drafts['type:order.shipped'] ?? '')).toEqual(shipped.data);
  });
});
