import { App } from '@renderer/App';
import { useToasts } from '@renderer/components';
import { EndpointsPage } from '@renderer/features/endpoints/EndpointsPage';
import { ApiError } from '@renderer/lib/client';
import type { Endpoint } from '@shared';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import {
  createFakeClient,
  goTo,
  makeDelivery,
  makeEndpoint,
  makeEventType,
  makeStatus,
  page,
  renderWithClient,
} from '../support';

function disabledEndpoint(): Endpoint {
  return makeEndpoint({
    id: 'ep_flaky',
    url: 'http://127.0.0.1:4999/flaky',
    enabled: false,
    disabledReason: 'Disabled after 10 consecutive failed attempts (last: HTTP 500)',
    stats: {
      consecutiveFailures: 10,
      pausedDeliveries: 7,
      pendingDeliveries: 0,
      recentAttempts: 10,
      successRate: 0,
      p50Ms: 31,
    },
  });
}

function engine(start: Endpoint[]) {
  const endpoints = new Map(start.map((e) => [e.id, e]));
  const client = createFakeClient({
    'system.status': () => makeStatus(),
    'endpoints.list': () => page([...endpoints.values()]),
    'endpoints.get': ({ id }) => endpoints.get(id) as Endpoint,
    'deliveries.list': ({ endpointId }) =>
      page([makeDelivery({ id: 'dlv_9', endpointId: endpointId ?? 'x', status: 'paused', lastStatus: 500 })]),
    'endpoints.enable': ({ id }) => {
      const e = endpoints.get(id) as Endpoint;
      const next = {
        ...e,
        enabled: true,
        disabledReason: null,
        stats: { ...e.stats, pausedDeliveries: 0, pendingDeliveries: 7 },
      };
      endpoints.set(id, next);
      return next;
    },
  });
  return client;
}

describe('disabled endpoint', () => {
  it('shows the reason and paused count, and Re-enable calls endpoints.enable', async () => {
    const user = userEvent.setup();
    await goTo('/endpoints/ep_flaky');
    const { client } = renderWithClient(<App />, { client: engine([disabledEndpoint()]) });
    const banner = await screen.findByRole('alert');
    expect(banner.textContent).toContain('Disabled after 10 consecutive failed attempts (last: HTTP 500)');
    expect(banner.textContent).toContain('7 deliveries are paused');
    expect(banner.className).toContain('banner-warn');

    await user.click(within(banner).getByRole('button', { name: 'Re-enable' }));
    await waitFor(() => expect(client.callsOf('endpoints.enable')).toEqual([{ id: 'ep_flaky' }]));
    // refetched after the mutation: the banner goes away once the engine says it is enabled
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect(screen.getByRole('button', { name: 'Disable' })).toBeTruthy();
  });

  it('the list page shows a banner naming each disabled endpoint with its own Re-enable', async () => {
    const user = userEvent.setup();
    const healthy = makeEndpoint({ id: 'ep_ok', url: 'https://ok.example.com/hooks' });
    const { client } = renderWithClient(<App />, { client: engine([healthy, disabledEndpoint()]) });
    const banner = await screen.findByRole('alert');
    expect(banner.textContent).toContain('1 endpoint is disabled');
    expect(banner.textContent).toContain('7 deliveries paused');
    expect(banner.textContent).not.toContain('ok.example.com');
    await user.click(within(banner).getByRole('button', { name: 'Re-enable http://127.0.0.1:4999/flaky' }));
    await waitFor(() => expect(client.callsOf('endpoints.enable')).toEqual([{ id: 'ep_flaky' }]));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('the list page names a disabled endpoint by its description, its URL beside it', async () => {
    const user = userEvent.setup();
    const named = { ...disabledEndpoint(), description: 'Billing service' };
    const { client } = renderWithClient(<App />, { client: engine([named]) });
    const banner = await screen.findByRole('alert');
    expect(within(banner).getByRole('link', { name: 'Billing service' }).getAttribute('href')).toBe(
      '#/endpoints/ep_flaky',
    );
    expect(banner.textContent).toContain('Billing service http://127.0.0.1:4999/flaky — Disabled after 10');
    await user.click(within(banner).getByRole('button', { name: 'Re-enable Billing service' }));
    await waitFor(() => expect(client.callsOf('endpoints.enable')).toEqual([{ id: 'ep_flaky' }]));
    expect(await screen.findByText('Re-enabled Billing service')).toBeTruthy();
  });

  it('lists the endpoint with status, success rate and p50', async () => {
    const failing = makeEndpoint({
      id: 'ep_f',
      url: 'https://failing.example.com/hooks',
      stats: {
        consecutiveFailures: 2,
        successRate: 0.875,
        p50Ms: 1234,
        recentAttempts: 16,
        pausedDeliveries: 0,
        pendingDeliveries: 3,
      },
    });
    renderWithClient(<App />, { client: engine([failing, disabledEndpoint()]) });
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    const failingRow = rows.find((r) => r.textContent?.includes('failing.example.com'));
    expect(failingRow?.textContent).toContain('Failing');
    expect(failingRow?.textContent).toContain('87.5%');
    expect(failingRow?.textContent).toContain('1.2 s');
    expect(failingRow?.textContent).toContain('3 pending');
    const disabledRow = rows.find((r) => r.textContent?.includes('4999/flaky'));
    expect(disabledRow?.textContent).toContain('Disabled');
    expect(disabledRow?.textContent).toContain('7 paused');
  });
});

describe('endpoint detail actions', () => {
  it('sends a test event and shows the attempt inline', async () => {
    const user = userEvent.setup();
    await goTo('/endpoints/ep_ok');
    const client = engine([makeEndpoint({ id: 'ep_ok', url: 'https://ok.example.com/hooks' })]);
    client.handle({
      'webhooks.test': (input) => ({
        deliveryId: 'dlv_t1',
        eventId: 'evt_t1',
        attempt: {
          number: 1,
          startedAt: '2026-11-26T12:00:00.000Z',
          durationMs: 87,
          request: { url: 'https://ok.example.com/hooks', method: 'POST', headers: {}, body: '{}' },
          response: { status: 204, headers: {}, body: '', truncated: false },
          error: null,
          succeeded: input.endpointId === 'ep_ok',
          superseded: false,
        },
      }),
    });
    renderWithClient(<App />, { client });
    await user.click(await screen.findByRole('button', { name: 'Send test event' }));
    const result = await screen.findByRole('region', { name: 'Test result' });
    expect(within(result).getByTestId('test-status').textContent).toBe('HTTP 204');
    expect(result.textContent).toContain('87 ms');
    expect(result.textContent).toContain('Succeeded');
    expect(
      within(result)
        .getByRole('link', { name: /Inspect delivery/ })
        .getAttribute('href'),
    ).toBe('#/deliveries/dlv_t1');
    expect(client.callsOf('webhooks.test')).toEqual([{ endpointId: 'ep_ok' }]);
  });

  it("sends the catalog's example of a type the endpoint subscribes to, picked beside the button", async () => {
    const user = userEvent.setup();
    await goTo('/endpoints/ep_inv');
    const client = engine([makeEndpoint({ id: 'ep_inv', eventTypes: ['invoice.*'] })]);
    const example = { object: { id: 'inv_1', amount_paid: 4200 } };
    client.handle({
      'eventTypes.list': () =>
        page([
          makeEventType('invoice.paid', { example }),
          makeEventType('user.created'),
          makeEventType('hookbench.test'),
        ]),
      'webhooks.test': () => ({
        deliveryId: 'dlv_t2',
        eventId: 'evt_t2',
        attempt: {
          number: 1,
          startedAt: '2026-11-26T12:00:00.000Z',
          durationMs: 5,
          request: { url: 'https://ok.example.com/hooks', method: 'POST', headers: {}, body: '{}' },
          response: { status: 200, headers: {}, body: '', truncated: false },
          error: null,
          succeeded: true,
          superseded: false,
        },
      }),
    });
    renderWithClient(<App />, { client });
    const picker = await screen.findByRole('combobox', { name: 'Test event type' });
    // the default test event, then only the types this endpoint subscribes to
    expect([...(picker as HTMLSelectElement).options].map((o) => o.value)).toEqual(['hookbench.test', 'invoice.paid']);
    await user.selectOptions(picker, 'invoice.paid');
    await user.click(screen.getByRole('button', { name: 'Send test event' }));
    await screen.findByRole('region', { name: 'Test result' });
    expect(client.callsOf('webhooks.test')).toEqual([{ endpointId: 'ep_inv', type: 'invoice.paid', data: example }]);
  });

  it('rotates the secret with the chosen grace period and shows the secrets still signing', async () => {
    const user = userEvent.setup();
    await goTo('/endpoints/ep_ok');
    const client = engine([makeEndpoint({ id: 'ep_ok' })]);
    let secret = {
      secret: 'whsec_b2xkb2xkb2xkb2xkb2xkb2xkb2xkb2xk',
      previous: [] as Array<{ secret: string; expiresAt: string }>,
    };
    client.handle({
      'endpoints.secret': () => secret,
      'endpoints.rotateSecret': ({ graceSeconds }) => {
        secret = {
          secret: 'whsec_bmV3bmV3bmV3bmV3bmV3bmV3bmV3bmV3',
          previous: [
            { secret: secret.secret, expiresAt: new Date(Date.now() + (graceSeconds ?? 0) * 1000).toISOString() },
          ],
        };
        return { ...makeEndpoint({ id: 'ep_ok' }), secret: secret.secret };
      },
    });
    renderWithClient(<App />, { client });
    const panel = await screen.findByRole('region', { name: 'Signing secret' });
    expect(within(panel).getByTestId('endpoint-secret').textContent).not.toContain('whsec_');
    expect(client.callsOf('endpoints.secret')).toEqual([]);
    await user.click(within(panel).getByRole('button', { name: 'Reveal' }));
    await waitFor(() =>
      expect(within(panel).getByTestId('endpoint-secret').textContent).toBe('whsec_b2xkb2xkb2xkb2xkb2xkb2xkb2xkb2xk'),
    );

    await user.selectOptions(within(panel).getByLabelText('Keep the old secret signing'), '3600');
    await user.click(within(panel).getByRole('button', { name: 'Rotate secret…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Rotate signing secret?' });
    await user.click(within(dialog).getByRole('button', { name: 'Rotate secret' }));
    await waitFor(() =>
      expect(client.callsOf('endpoints.rotateSecret')).toEqual([{ id: 'ep_ok', graceSeconds: 3600 }]),
    );
    await waitFor(() =>
      expect(within(panel).getByTestId('endpoint-secret').textContent).toBe('whsec_bmV3bmV3bmV3bmV3bmV3bmV3bmV3bmV3'),
    );
    expect(panel.textContent).toContain('whsec_b2xkb2xkb2xkb2xkb2xkb2xkb2xkb2xk');
    expect(panel.textContent).toMatch(/expires in (59 min|1 h)/);
  });

  it('rotates a GitHub endpoint’s secret with no grace to choose: its one signature cannot carry the old one', async () => {
    const user = userEvent.setup();
    await goTo('/endpoints/ep_gh');
    const client = engine([makeEndpoint({ id: 'ep_gh', scheme: 'github' })]);
    client.handle({
      'endpoints.secret': () => ({ secret: 'gh-secret-1', previous: [] }),
      'endpoints.rotateSecret': () => ({ ...makeEndpoint({ id: 'ep_gh', scheme: 'github' }), secret: 'gh-secret-2' }),
    });
    renderWithClient(<App />, { client });
    const panel = await screen.findByRole('region', { name: 'Signing secret' });
    expect(within(panel).queryByLabelText('Keep the old secret signing')).toBeNull();
    expect(panel.textContent).toContain('the old secret stops signing at once');
    await user.click(within(panel).getByRole('button', { name: 'Rotate secret…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Rotate signing secret?' });
    expect(dialog.textContent).toContain('the old secret stops signing immediately');
    await user.click(within(dialog).getByRole('button', { name: 'Rotate secret' }));
    await waitFor(() => expect(client.callsOf('endpoints.rotateSecret')).toEqual([{ id: 'ep_gh', graceSeconds: 0 }]));
  });

  it('deletes after confirmation and returns to the list', async () => {
    const user = userEvent.setup();
    await goTo('/endpoints/ep_ok');
    const client = engine([makeEndpoint({ id: 'ep_ok' })]);
    client.handle({ 'endpoints.delete': ({ id }) => ({ id, deleted: true as const }) });
    renderWithClient(<App />, { client });
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete endpoint?' });
    expect(client.callsOf('endpoints.delete')).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Delete endpoint' }));
    await waitFor(() => expect(client.callsOf('endpoints.delete')).toEqual([{ id: 'ep_ok' }]));
    await waitFor(() => expect(window.location.hash).toBe('#/endpoints'));
  });
});

describe('replay missing events', () => {
  it('counts with a dry run, replays on confirm, and refuses a custom time in the future without asking', async () => {
    const user = userEvent.setup();
    useToasts.setState({ toasts: [] });
    await goTo('/endpoints/ep_ok');
    const client = engine([makeEndpoint({ id: 'ep_ok' })]);
    client.handle({
      'endpoints.replayMissing': ({ dryRun }) => ({ events: 3, truncated: false, dryRun: dryRun ?? false }),
    });
    renderWithClient(<App />, { client });
    const before = Date.now();
    await user.click(await screen.findByRole('button', { name: 'Replay missing…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Replay missing events' });
    expect(await within(dialog).findByText('3 events')).toBeTruthy();
    const [dry] = client.callsOf('endpoints.replayMissing');
    expect(dry).toMatchObject({ id: 'ep_ok', dryRun: true });
    // the last 24 hours by default
    const since = Date.parse(dry?.since ?? '');
    expect(Math.abs(before - 24 * 3_600_000 - since)).toBeLessThan(5_000);

    await user.selectOptions(within(dialog).getByLabelText('Events fired in'), 'custom');
    const at = within(dialog).getByLabelText('Since (your local time)');
    await user.clear(at);
    await user.type(at, '2999-01-01T10:00');
    expect(within(dialog).getByText('Choose a time in the past')).toBeTruthy();
    expect(within(dialog).getByRole('button', { name: 'Replay' })).toHaveProperty('disabled', true);
    const asked = client.callsOf('endpoints.replayMissing').length;
    await user.selectOptions(within(dialog).getByLabelText('Events fired in'), '7d');
    await waitFor(() => expect(client.callsOf('endpoints.replayMissing').length).toBeGreaterThan(asked));
    expect(client.callsOf('endpoints.replayMissing').every((c) => !c.since.startsWith('2999'))).toBe(true);

    await user.click(await within(dialog).findByRole('button', { name: 'Replay 3 events' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const replayed = client.callsOf('endpoints.replayMissing').at(-1);
    expect(replayed?.dryRun).toBeUndefined();
    expect(Math.abs(Date.now() - 7 * 24 * 3_600_000 - Date.parse(replayed?.since ?? ''))).toBeLessThan(10_000);
    const t = useToasts.getState().toasts[0];
    expect(t?.message).toBe('Replayed 3 events');
    expect(t?.link?.href).toBe('#/deliveries?endpoint=ep_ok');
  });

  it('says that what is replayed to an auto-disabled endpoint is kept paused until it is enabled', async () => {
    const user = userEvent.setup();
    useToasts.setState({ toasts: [] });
    await goTo('/endpoints/ep_auto');
    const client = engine([
      makeEndpoint({
        id: 'ep_auto',
        enabled: false,
        disabledBy: 'auto',
        disabledReason: '2 consecutive failed attempts',
      }),
    ]);
    client.handle({
      'endpoints.replayMissing': ({ dryRun }) => ({ events: 2, truncated: false, dryRun: dryRun ?? false }),
    });
    renderWithClient(<App />, { client });
    await user.click(await screen.findByRole('button', { name: 'Replay missing…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Replay missing events' });
    expect(
      within(dialog).getByText(
        'This endpoint was disabled after failing: what is replayed is kept paused and sent when you enable it.',
      ),
    ).toBeTruthy();
    await user.click(await within(dialog).findByRole('button', { name: 'Replay 2 events' }));
    await waitFor(() =>
      expect(useToasts.getState().toasts[0]?.message).toBe(
        'Replayed 2 events: kept paused until the endpoint is enabled',
      ),
    );
  });

  it("shows the engine's refusal for an endpoint disabled by hand", async () => {
    const user = userEvent.setup();
    await goTo('/endpoints/ep_off');
    const client = engine([makeEndpoint({ id: 'ep_off', enabled: false, disabledReason: 'Disabled manually' })]);
    client.handle({
      'endpoints.replayMissing': () => {
        throw new ApiError({
          code: 'conflict',
          message: 'The endpoint is disabled: enable it, then replay what it missed',
        });
      },
    });
    renderWithClient(<App />, { client });
    await user.click(await screen.findByRole('button', { name: 'Replay missing…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Replay missing events' });
    expect(await within(dialog).findByText(/enable it, then replay/)).toBeTruthy();
    expect(within(dialog).getByRole('button', { name: 'Replay' })).toHaveProperty('disabled', true);
  });
});

describe('no endpoints', () => {
  it('offers an endpoint with a new inbox in one click', async () => {
    const user = userEvent.setup();
    const client = engine([]);
    client.handle({
      'inboxes.create': (input) => ({
        id: 'inb_1',
        name: input.name,
        url: 'http://127.0.0.1:7001/i/inb_1',
        endpointId: 'ep_inbox',
        endpointSecret: 'whsec_aW5ib3hpbmJveGluYm94aW5ib3hpbmJveA==',
        script: input.script,
        requestCount: 0,
        createdAt: '2026-11-26T12:00:00.000Z',
        forwardUrl: null,
      }),
    });
    renderWithClient(<App />, { client });
    expect(await screen.findByRole('heading', { name: 'No endpoints yet' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Create endpoint' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Create endpoint with a new inbox' }));
    await waitFor(() => expect(client.callsOf('inboxes.create')).toHaveLength(1));
    expect(client.callsOf('inboxes.create')[0]).toMatchObject({ createEndpoint: {} });
    await waitFor(() => expect(window.location.hash).toBe('#/endpoints/ep_inbox'));
  });
});

describe('an endpoint URL holding a password', () => {
  it('shows the user and hides the password in the list and the header; Copy copies the whole URL', async () => {
    const url = 'https://alice:s3cret@hooks.example.com/in';
    renderWithClient(<App />, { client: engine([makeEndpoint({ id: 'ep_auth', url })]) });
    const table = await screen.findByRole('table');
    expect(table.textContent).toContain('alice:•••@hooks.example.com/in');
    expect(document.body.innerHTML).not.toContain('s3cret');

    await goTo('/endpoints/ep_auth');
    const heading = await screen.findByRole('heading', { level: 1, name: 'https://alice:•••@hooks.example.com/in' });
    expect(heading).toBeTruthy();
    expect(document.body.innerHTML).not.toContain('s3cret');
    await userEvent.click(screen.getByRole('button', { name: 'Copy URL' }));
    await waitFor(async () => expect(await navigator.clipboard.readText()).toBe(url));
  });
});

describe('verify snippets on the endpoint page', () => {
  it("shows the endpoint scheme's code per language and copies it", async () => {
    renderWithClient(<App />, {
      client: engine([makeEndpoint({ id: 'ep_gh', url: 'http://127.0.0.1:4000/gh', scheme: 'github' })]),
    });
    await goTo('/endpoints/ep_gh');
    await userEvent.click(await screen.findByText('Verify signatures in your receiver'));
    const code = () => screen.getByRole('tabpanel').textContent ?? '';
    expect(code()).toContain("headers['x-hub-signature-256']");
    expect(code()).toContain('timingSafeEqual');
    await userEvent.click(screen.getByRole('tab', { name: 'Python' }));
    expect(code()).toContain('hmac.compare_digest(headers.get("x-hub-signature-256", ""), expected)');
    await userEvent.click(screen.getByRole('tab', { name: 'CLI' }));
    expect(code()).toContain('hookbench verify --scheme github');
    await userEvent.click(screen.getByRole('button', { name: 'Copy the CLI code' }));
    await waitFor(async () => expect(await navigator.clipboard.readText()).toBe(code()));
  });
});

describe("the endpoints page under another page's hash", () => {
  it('does not read a delivery id as an endpoint id (a render may see the next hash before it is swapped out)', async () => {
    const client = engine([makeEndpoint({ id: 'ep_1', url: 'http://127.0.0.1:4000/a' })]);
    await goTo('/deliveries/dlv_123');
    renderWithClient(<EndpointsPage />, { client });
    expect(await screen.findByRole('table')).toBeTruthy();
    expect(client.callsOf('endpoints.get')).toEqual([]);
  });
});

describe('custom headers holding credentials', () => {
  it('shows their values hidden until revealed; other headers as they are', async () => {
    const user = userEvent.setup();
    await goTo('/endpoints/ep_h');
    const headers = { Authorization: 'Bearer tok_s3cret', 'X-Tenant': 'acme' };
    renderWithClient(<App />, { client: engine([makeEndpoint({ id: 'ep_h', headers })]) });
    const card = await screen.findByRole('region', { name: 'Configuration' });
    expect(card.textContent).toContain('Authorization: Bearer •••');
    expect(card.textContent).toContain('X-Tenant: acme');
    expect(document.body.innerHTML).not.toContain('tok_s3cret');
    await user.click(within(card).getByRole('button', { name: 'Reveal values' }));
    expect(card.textContent).toContain('Authorization: Bearer tok_s3cret');
  });
});
