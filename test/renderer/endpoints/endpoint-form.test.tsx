import { App } from '@renderer/App';
import { ApiError } from '@renderer/lib/client';
import type { Endpoint, EndpointWithSecret } from '@shared';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createFakeClient, goTo, makeEndpoint, makeStatus, page, renderWithClient } from '../support';

const catalog = [
  {
    name: 'invoice.paid',
    description: 'An invoice was paid',
    schema: null,
    example: {},
    builtIn: true,
    createdAt: '2026-11-26T12:00:00.000Z',
  },
  {
    name: 'order.shipped',
    description: 'An order shipped',
    schema: null,
    example: {},
    builtIn: true,
    createdAt: '2026-11-26T12:00:00.000Z',
  },
];

function engineWithStore() {
  const endpoints: Endpoint[] = [];
  const client = createFakeClient({
    'system.status': () => makeStatus(),
    'eventTypes.list': () => page(catalog),
    // fired so far: one catalogued, one not
    'events.types': () => ({ data: ['billing.ping', 'invoice.paid'], truncated: false }),
    'endpoints.list': () => page(endpoints),
    'endpoints.get': ({ id }) => {
      const e = endpoints.find((x) => x.id === id);
      if (!e) throw new ApiError({ code: 'not_found', message: `endpoint ${id} not found` });
      return e;
    },
    'deliveries.list': () => page([]),
    'endpoints.create': (input) => {
      const e: EndpointWithSecret = {
        ...makeEndpoint({ id: 'ep_new', ...input }),
        secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      };
      endpoints.push(e);
      return e;
    },
  });
  return client;
}

describe('endpoint form', () => {
  it('blocks submit while the URL is invalid and shows why next to the field', async () => {
    const user = userEvent.setup();
    const { client } = renderWithClient(<App />, { client: engineWithStore() });
    await user.click(await screen.findByRole('button', { name: 'New endpoint' }));
    const drawer = await screen.findByRole('dialog', { name: 'New endpoint' });
    const url = within(drawer).getByLabelText('Endpoint URL');
    await user.type(url, 'ftp://example.com/hooks');
    await user.click(within(drawer).getByRole('button', { name: 'Create endpoint' }));

    expect(url.getAttribute('aria-invalid')).toBe('true');
    const describedBy = url.getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(describedBy)?.textContent).toBe('must be an http:// or https:// URL with a host');
    expect(client.callsOf('endpoints.create')).toEqual([]);

    // the error follows the input once shown
    await user.clear(url);
    await user.type(url, 'http://127.0.0.1:4000/hooks');
    expect(url.getAttribute('aria-invalid')).toBeNull();
  });

  it('creates an endpoint with the typed fields and shows its secret once', async () => {
    const user = userEvent.setup();
    const { client } = renderWithClient(<App />, { client: engineWithStore() });
    await goTo('/endpoints?new=1');
    const drawer = await screen.findByRole('dialog', { name: 'New endpoint' });
    await user.type(within(drawer).getByLabelText('Endpoint URL'), 'https://api.example.com/webhooks');
    await user.type(within(drawer).getByLabelText('Description'), 'Billing service');

    const types = within(drawer).getByRole('combobox', { name: 'Event types' });
    await user.click(types);
    await waitFor(() =>
      expect(
        within(drawer)
          .getAllByRole('option')
          .some((o) => o.textContent?.includes('order.shipped')),
      ).toBe(true),
    );
    // a type fired that nobody catalogued is offered too, said as such, and its family's pattern with it
    const fired = within(drawer)
      .getAllByRole('option')
      .find((o) => o.textContent?.includes('billing.ping'));
    expect(fired?.textContent).toContain('fired, not in the catalog');
    expect(
      within(drawer)
        .getAllByRole('option')
        .some((o) => o.textContent?.startsWith('billing.*')),
    ).toBe(true);
    expect(
      within(drawer)
        .getAllByRole('option')
        .filter((o) => o.textContent?.startsWith('invoice.paid')),
    ).toHaveLength(1);
    await user.type(types, 'invoice.*{Enter}');
    await user.type(types, 'order.shipped{Enter}');
    expect(within(drawer).getByRole('button', { name: 'Remove invoice.*' })).toBeTruthy();

    await user.selectOptions(within(drawer).getByLabelText('Signature scheme'), 'stripe');
    const timeout = within(drawer).getByLabelText('Timeout (ms)');
    await user.clear(timeout);
    await user.type(timeout, '5000');
    await user.type(within(drawer).getByLabelText('Custom headers name 1'), 'X-Tenant');
    await user.type(within(drawer).getByLabelText('Custom headers value 1'), 'acme');

    await user.click(within(drawer).getByRole('button', { name: 'Create endpoint' }));

    await waitFor(() => expect(client.callsOf('endpoints.create')).toHaveLength(1));
    expect(client.callsOf('endpoints.create')[0]).toEqual({
      url: 'https://api.example.com/webhooks',
      description: 'Billing service',
      eventTypes: ['invoice.*', 'order.shipped'],
      scheme: 'stripe',
      headers: { 'X-Tenant': 'acme' },
      timeoutMs: 5000,
      rateLimitPerSec: null,
      // the settings' retry policy and threshold unless the form says otherwise
      retry: null,
      autoDisableThreshold: null,
    });
    const created = await screen.findByRole('dialog', { name: 'Endpoint created' });
    expect(within(created).getByTestId('created-secret').textContent).toBe('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    await user.click(within(created).getByRole('button', { name: 'Copy signing secret' }));
    expect(await navigator.clipboard.readText()).toBe('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');

    await user.click(within(created).getByRole('button', { name: 'Open endpoint' }));
    await waitFor(() => expect(window.location.hash).toBe('#/endpoints/ep_new'));
  });

  it('rejects an invalid header name and an invalid event-type pattern inline', async () => {
    const user = userEvent.setup();
    const { client } = renderWithClient(<App />, { client: engineWithStore() });
    await goTo('/endpoints?new=1');
    const drawer = await screen.findByRole('dialog', { name: 'New endpoint' });
    await user.type(within(drawer).getByLabelText('Endpoint URL'), 'https://api.example.com/webhooks');
    await user.type(within(drawer).getByLabelText('Custom headers name 1'), 'Bad Header');
    expect(within(drawer).getByText('not a valid HTTP header name')).toBeTruthy();
    const types = within(drawer).getByRole('combobox', { name: 'Event types' });
    await user.type(types, 'invoice.**');
    expect(within(drawer).getByText('an event type, a prefix like invoice.* or *')).toBeTruthy();
    await user.click(within(drawer).getByRole('button', { name: 'Create endpoint' }));
    expect(client.callsOf('endpoints.create')).toEqual([]);
  });
});

describe('endpoint form errors', () => {
  const describedText = (input: HTMLElement) =>
    document.getElementById(input.getAttribute('aria-describedby') ?? '')?.textContent;

  it("says the engine's refusal once, next to its field, with the Settings checkbox's name", async () => {
    const user = userEvent.setup();
    const client = engineWithStore();
    const reason = '169.254.169.254 is a link-local or cloud metadata address; allow it with settings.allowLinkLocal';
    const framing = 'Host is a framing or hop-by-hop header: Hookbench sets it';
    client.handle({
      'endpoints.create': (input) => {
        if (input.headers?.Host) {
          throw new ApiError({
            code: 'invalid_input',
            message: `Invalid input at headers.Host: ${framing}`,
            issues: [{ path: ['headers', 'Host'], message: framing }],
          });
        }
        throw new ApiError({
          code: 'invalid_input',
          message: `url: ${reason}`,
          issues: [{ path: ['url'], message: reason }],
        });
      },
    });
    renderWithClient(<App />, { client });
    await goTo('/endpoints?new=1');
    const drawer = await screen.findByRole('dialog', { name: 'New endpoint' });
    const url = within(drawer).getByLabelText('Endpoint URL');
    await user.type(url, 'http://169.254.169.254/x');
    await user.click(within(drawer).getByRole('button', { name: 'Create endpoint' }));
    await waitFor(() => expect(url.getAttribute('aria-invalid')).toBe('true'));
    expect(describedText(url)).toBe(
      '169.254.169.254 is a link-local or cloud metadata address; allow it with the Settings checkbox "Allow link-local and cloud metadata addresses"',
    );
    expect(drawer.textContent).not.toContain('settings.allowLinkLocal');
    expect(within(drawer).queryByRole('alert')).toBeNull();

    await user.clear(url);
    await user.type(url, 'https://api.example.com/webhooks');
    await user.type(within(drawer).getByLabelText('Custom headers name 1'), 'Host');
    await user.type(within(drawer).getByLabelText('Custom headers value 1'), 'example.com');
    await user.click(within(drawer).getByRole('button', { name: 'Create endpoint' }));
    await waitFor(() => expect(within(drawer).getAllByText(framing)).toHaveLength(1));
    expect(within(drawer).queryByRole('alert')).toBeNull();
  });

  it('says in words what is wrong with a number', async () => {
    const user = userEvent.setup();
    const { client } = renderWithClient(<App />, { client: engineWithStore() });
    await goTo('/endpoints?new=1');
    const drawer = await screen.findByRole('dialog', { name: 'New endpoint' });
    await user.type(within(drawer).getByLabelText('Endpoint URL'), 'https://api.example.com/webhooks');
    const threshold = within(drawer).getByLabelText('Auto-disable after');
    await user.type(threshold, '1.5');
    const timeout = within(drawer).getByLabelText('Timeout (ms)');
    await user.clear(timeout);
    await user.type(timeout, '50');
    await user.click(within(drawer).getByLabelText(/Own retry policy/));
    const maxDelay = within(drawer).getByLabelText('Max delay (ms)');
    await user.clear(maxDelay);
    await user.type(maxDelay, '700000000');
    await user.click(within(drawer).getByRole('button', { name: 'Create endpoint' }));

    expect(describedText(threshold)).toBe('Auto-disable threshold must be a whole number');
    expect(describedText(timeout)).toBe('Timeout must be at least 100 ms');
    expect(describedText(maxDelay)).toBe('Max delay must be at most 604800000 ms (7 d)');
    expect(client.callsOf('endpoints.create')).toEqual([]);
  });
});
