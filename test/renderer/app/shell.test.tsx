import { App } from '@renderer/App';
import { ApiError } from '@renderer/lib/client';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createFakeClient, goTo, makeEndpoint, makeEvent, makeStatus, page, renderWithClient } from '../support';

function fakeEngine() {
  return createFakeClient({
    'system.status': () =>
      makeStatus({
        queue: { pending: 3, sending: 1, paused: 2, failed: 0 },
        endpoints: { total: 2, disabled: 1, failing: 0 },
      }),
    'endpoints.list': () =>
      page([
        makeEndpoint({ id: 'ep_orders', url: 'https://shop.example.com/hooks/orders', description: 'Order sync' }),
        makeEndpoint({ id: 'ep_billing', url: 'http://127.0.0.1:4000/billing', description: 'Billing service' }),
        makeEndpoint({ id: 'ep_basic', url: 'http://alice:s3cr%40t@127.0.0.1:4001/basic', description: '' }),
      ]),
    'events.list': () => page([makeEvent({ id: 'evt_42', type: 'invoice.paid', deliveries: [] })]),
    'events.get': () => ({ ...makeEvent({ id: 'evt_42', type: 'invoice.paid' }), deliveries: [] }),
    'eventTypes.list': () => page([]),
    'events.types': () => ({ data: ['build.finished', 'invoice.paid'], truncated: false }),
  });
}

describe('app shell', () => {
  it('has the six navigation entries and marks the current page', async () => {
    renderWithClient(<App />, { client: fakeEngine() });
    const nav = screen.getByRole('navigation', { name: 'Main' });
    const links = within(nav).getAllByRole('link');
    expect(links.map((l) => l.textContent)).toEqual([
      'Endpoints',
      'Compose',
      'Deliveries',
      'Events',
      'Inbox',
      'Settings',
    ]);
    expect(
      within(nav)
        .getByRole('link', { name: /Endpoints/ })
        .getAttribute('aria-current'),
    ).toBe('page');
    await goTo('/settings');
    expect(
      within(nav)
        .getByRole('link', { name: /Settings/ })
        .getAttribute('aria-current'),
    ).toBe('page');
  });

  it('shows engine state and queue depth in the status strip', async () => {
    renderWithClient(<App />, { client: fakeEngine() });
    const strip = await screen.findByRole('region', { name: 'Engine status' });
    await waitFor(() => expect(strip.textContent).toContain('Engine running'));
    expect(strip.textContent).toContain('3 pending');
    expect(strip.textContent).toContain('2 paused');
    expect(strip.textContent).toContain('1 disabled');
  });

  it('says the database is unreachable (503 unavailable) rather than the engine', async () => {
    const client = fakeEngine();
    const down = () => {
      throw new ApiError({ code: 'unavailable', message: 'The database cannot be reached right now' });
    };
    client.handle({ 'system.status': down });
    renderWithClient(<App />, { client });
    const strip = await screen.findByRole('region', { name: 'Engine status' });
    await waitFor(() => expect(strip.textContent).toContain('Database unreachable: retrying every 5 s'));
    expect(strip.textContent).not.toContain('Engine unreachable');
  });

  it('quick switcher filters endpoints fuzzily and navigates with the keyboard', async () => {
    const user = userEvent.setup();
    renderWithClient(<App />, { client: fakeEngine() });
    await user.keyboard('{Control>}k{/Control}');
    const input = await screen.findByRole('combobox', { name: /Search pages/ });
    await waitFor(() => expect(screen.getAllByRole('option').length).toBeGreaterThan(6));
    await user.type(input, 'shpordr');
    const options = screen.getAllByRole('option');
    expect(options[0]?.textContent).toContain('https://shop.example.com/hooks/orders');
    expect(options.some((o) => o.textContent?.includes('Billing service'))).toBe(false);
    await user.keyboard('{Enter}');
    expect(window.location.hash).toBe('#/endpoints/ep_orders');
    expect(screen.queryByRole('combobox')).toBeNull();

    // an endpoint's URL password is neither shown nor found
    await user.keyboard('{Control>}k{/Control}');
    const masked = await screen.findByRole('combobox', { name: /Search pages/ });
    await user.type(masked, 'basic');
    expect(screen.getAllByRole('option')[0]?.textContent).toContain('http://alice:•••@127.0.0.1:4001/basic');
    expect(document.body.textContent).not.toContain('s3cr');
    await user.clear(masked);
    await user.type(masked, 's3cr');
    expect(screen.queryAllByRole('option').some((o) => o.textContent?.includes('alice'))).toBe(false);
    await user.keyboard('{Escape}');

    // recent events too: arrows move, Enter opens the event in the Events view
    await user.keyboard('{Control>}k{/Control}');
    const again = await screen.findByRole('combobox', { name: /Search pages/ });
    await waitFor(() =>
      expect(screen.getAllByRole('option').some((o) => o.textContent?.includes('evt_42'))).toBe(true),
    );
    await user.type(again, 'invoice');
    expect(screen.getAllByRole('option')[0]?.textContent).toContain('evt_42');
    await user.keyboard('{ArrowDown}{ArrowUp}{Enter}');
    expect(window.location.hash).toBe('#/events/evt_42');

    // and the deliveries of a type fired
    await user.keyboard('{Control>}k{/Control}');
    const third = await screen.findByRole('combobox', { name: /Search pages/ });
    // the page behind (Events) has options of its own: the switcher's results only
    const results = () => within(screen.getByRole('listbox', { name: 'Results' })).getAllByRole('option');
    await waitFor(() => expect(results().some((o) => o.textContent?.includes('build.finished'))).toBe(true));
    await user.type(third, 'buildfin');
    expect(results()[0]?.textContent).toContain('its deliveries');
    await user.keyboard('{Enter}');
    expect(window.location.hash).toBe('#/deliveries?type=build.finished');
  });

  it('? opens the help overlay listing every shortcut, Esc closes it, g d and g v navigate', async () => {
    const user = userEvent.setup();
    renderWithClient(<App />, { client: fakeEngine() });
    await user.keyboard('?');
    const help = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    for (const text of [
      'Quick switcher',
      'Send the event (in Compose)',
      'Go to Deliveries',
      'Go to Events',
      'Close the open panel',
    ]) {
      expect(help.textContent).toContain(text);
    }
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    await user.keyboard('gd');
    // (the Deliveries page may restore its last filters into the hash)
    await waitFor(() => expect(window.location.hash).toMatch(/^#\/deliveries/));
    await user.keyboard('gv');
    await waitFor(() => expect(window.location.hash).toBe('#/events'));
  });

  it('plain-key shortcuts do not fire while typing in a field', async () => {
    const user = userEvent.setup();
    renderWithClient(<App />, { client: fakeEngine() });
    const filter = await screen.findByRole('searchbox', { name: 'Filter endpoints' });
    await user.type(filter, 'g s?');
    expect(window.location.hash).toBe('');
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
