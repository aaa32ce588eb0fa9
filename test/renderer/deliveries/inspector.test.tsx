// The delivery inspector: Request/Response/Attempts of the chosen attempt, the truncated marker, the next
// retry, and its actions (Retry now, Cancel, Copy as curl, Copy payload, Esc).
import { installShortcuts } from '@renderer/app/shortcuts';
import { useComposeStore } from '@renderer/features/compose/compose-store';
import { buildCurl } from '@renderer/features/compose/curl';
import { Inspector } from '@renderer/features/deliveries/inspector';
import { ApiError } from '@renderer/lib/client';
import type { Attempt, DeliveryDetail, Endpoint, EventType } from '@shared';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeClient, makeDelivery, makeEndpoint, page, renderWithClient } from '../support';

const makeEventType = (name: string): EventType => ({
  name,
  description: '',
  schema: null,
  example: {},
  builtIn: true,
  createdAt: '2026-11-26T12:00:00.000Z',
});

const body = JSON.stringify({ id: 'evt_1', type: 'invoice.paid', data: { object: { id: 'inv_1' } } });
const headers = {
  'content-type': 'application/json',
  'webhook-id': 'evt_1',
  'webhook-timestamp': '1795700000',
  'webhook-signature': 'v1,Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA==',
};

function attempt(n: number, over: Partial<Attempt>): Attempt {
  return {
    number: n,
    startedAt: `2026-11-26T12:00:0${n}.000Z`,
    durationMs: 10 * n,
    request: {
      url: 'http://127.0.0.1:4000/hook',
      method: 'POST',
      headers: { ...headers, 'webhook-timestamp': `179570000${n}` },
      body,
    },
    response: null,
    superseded: false,
    error: null,
    succeeded: false,
    ...over,
  };
}

function detail(over: Partial<DeliveryDetail> = {}): DeliveryDetail {
  return {
    ...makeDelivery({ id: 'dlv_1', status: 'succeeded', attemptCount: 3, lastStatus: 200 }),
    payload: { id: 'evt_1', type: 'invoice.paid', version: 'v1', created_at: '2026-11-26T12:00:00.000Z', data: {} },
    attempts: [
      attempt(1, { response: { status: 500, headers: { 'x-a': '1' }, body: 'boom', truncated: false } }),
      attempt(2, { error: 'connect ECONNREFUSED 127.0.0.1:4000' }),
      attempt(3, {
        succeeded: true,
        response: {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: '{"received":true}',
          truncated: true,
          timing: { connectMs: 0.42, waitMs: 118.4, downloadMs: 0.2 },
        },
      }),
    ],
    ...over,
  };
}

function setup(d: DeliveryDetail = detail(), endpointOver: Partial<Endpoint> = {}) {
  const client = createFakeClient({
    'deliveries.get': () => d,
    'deliveries.retry': ({ id }) => makeDelivery({ id, status: 'pending' }),
    'deliveries.cancel': ({ id }) => makeDelivery({ id, status: 'cancelled' }),
    'eventTypes.list': () => page([makeEventType('invoice.paid')]),
    'profiles.list': () => page([]),
  });
  const onClose = vi.fn();
  const endpoint = makeEndpoint({ id: 'ep_1', url: 'http://127.0.0.1:4000/hook', ...endpointOver });
  const r = renderWithClient(
    <Inspector id={d.id} endpointOf={(id) => (id === 'ep_1' ? endpoint : undefined)} onClose={onClose} />,
    {
      client,
    },
  );
  return { ...r, onClose, client };
}

let uninstall: () => void = () => {};
beforeEach(() => {
  uninstall = installShortcuts();
});
afterEach(() => uninstall());

const tab = (name: RegExp | string) => screen.getByRole('tab', { name });
const panel = () => screen.getByRole('tabpanel');

describe('Inspector', () => {
  it('shows the latest request with its signature headers and pretty body', async () => {
    setup();
    await screen.findByRole('tablist');
    expect(tab('Request').getAttribute('aria-selected')).toBe('true');
    const p = panel();
    expect(within(p).getByText('http://127.0.0.1:4000/hook')).toBeTruthy();
    const hs = within(p).getByLabelText('Request headers');
    expect(within(hs).getByText('webhook-signature')).toBeTruthy();
    expect(within(hs).getByText(headers['webhook-signature'])).toBeTruthy();
    expect(within(hs).getByText('1795700003')).toBeTruthy(); // attempt 3's timestamp: the latest
    expect(within(p).getByLabelText('Request body').textContent).toContain('"type": "invoice.paid"');
  });

  it('shows a URL’s password as ••• in the request line (it went as the Authorization header)', async () => {
    const withUser = detail();
    for (const a of withUser.attempts) a.request.url = 'http://alice:s3cr%40t@127.0.0.1:4000/hook';
    setup(withUser, { url: 'http://alice:s3cr%40t@127.0.0.1:4000/hook' });
    await screen.findByRole('tablist');
    expect(within(panel()).getByText('http://alice:•••@127.0.0.1:4000/hook')).toBeTruthy();
    expect(document.body.textContent).not.toContain('s3cr');
  });

  it('says an attempt refused for a link-local address with the Settings checkbox’s name, not the API’s', async () => {
    const refused =
      'refused: 169.254.169.254 is a link-local or cloud metadata address; allow it with settings.allowLinkLocal';
    setup(
      detail({
        status: 'failed',
        lastError: refused,
        attempts: [attempt(1, { error: refused })],
      }),
    );
    await screen.findByRole('tablist');
    for (const name of ['Response', /Attempts/]) {
      fireEvent.click(tab(name));
      expect(panel().textContent, String(name)).toContain(
        'allow it with the Settings checkbox "Allow link-local and cloud metadata addresses"',
      );
      expect(document.body.textContent).not.toContain('settings.allowLinkLocal');
    }
  });

  it('offers no Retry now for a deleted endpoint’s delivery (nothing to retry it to)', async () => {
    const { client } = setup(detail({ endpointId: 'ep_gone', status: 'failed' }));
    const retry = await screen.findByRole('button', { name: 'Retry now' });
    expect((retry as HTMLButtonElement).disabled).toBe(true);
    expect(retry.getAttribute('title')).toBe('Its endpoint was deleted: there is nothing to retry it to');
    fireEvent.click(retry);
    expect(client.callsOf('deliveries.retry')).toEqual([]);
  });

  it('says when a delivery was a replay, made after its event (and not otherwise)', async () => {
    const first = setup();
    await screen.findByRole('tablist');
    expect(screen.queryByText('Event fired')).toBeNull(); // made with its event
    first.unmount();
    setup(detail({ createdAt: '2026-11-26T12:10:00.000Z' }));
    await screen.findByRole('tablist');
    const fired = screen.getByText('Event fired').nextElementSibling as HTMLElement;
    expect(fired.textContent).toContain('(this delivery was a replay of what the endpoint missed)');
    expect(fired.querySelector('time')?.getAttribute('datetime')).toBe('2026-11-26T12:00:00.000Z');
  });

  it('shows the response status, body and the truncated marker', async () => {
    setup();
    fireEvent.click(await screen.findByRole('tab', { name: 'Response' }));
    const p = panel();
    expect(within(p).getAllByText('200').length).toBeGreaterThan(0);
    expect(within(p).getByLabelText('Response body').textContent).toContain('"received": true');
    expect(within(p).getByRole('note').textContent).toMatch(/Truncated/);
    // where the time went; an attempt recorded without timings shows none
    expect(within(p).getByText('Connection 0.4 ms')).toBeTruthy();
    expect(within(p).getByText('Waiting 118 ms')).toBeTruthy();
    expect(within(p).getByText('Download 0.2 ms')).toBeTruthy();
    fireEvent.change(screen.getByRole('combobox', { name: 'Attempt' }), { target: { value: '1' } });
    await waitFor(() => expect(within(panel()).getByText('boom')).toBeTruthy());
    expect(within(panel()).queryByText(/^Waiting/)).toBeNull();
  });

  it('lists every attempt and switches Request/Response to the one picked', async () => {
    setup();
    fireEvent.click(await screen.findByRole('tab', { name: /Attempts/ }));
    const items = within(screen.getByRole('list', { name: 'Attempts' })).getAllByRole('listitem');
    expect(items).toHaveLength(3);
    expect(items[0]?.textContent).toContain('Attempt 1');
    expect(items[0]?.textContent).toContain('500');
    expect(items[1]?.textContent).toContain('ECONNREFUSED');
    expect(items[2]?.textContent).toContain('Succeeded');
    fireEvent.click(within(items[0] as HTMLElement).getByRole('button'));
    expect(tab('Response').getAttribute('aria-selected')).toBe('true');
    expect(within(panel()).getByLabelText('Response body').textContent).toContain('boom');
    fireEvent.change(screen.getByRole('combobox', { name: 'Attempt' }), { target: { value: '2' } });
    expect(within(panel()).getByText('connect ECONNREFUSED 127.0.0.1:4000', { selector: 'dd' })).toBeTruthy();
  });

  it('shows the next scheduled retry of a pending delivery and offers Cancel', async () => {
    const next = new Date(Date.now() + 90_000).toISOString();
    const { client } = setup(detail({ status: 'pending', nextAttemptAt: next, attemptCount: 3, maxAttempts: 5 }));
    fireEvent.click(await screen.findByRole('tab', { name: /Attempts/ }));
    expect(screen.getByText(/Attempt 4 of 5 scheduled in 1 min/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(client.callsOf('deliveries.cancel')).toEqual([{ id: 'dlv_1' }]));
  });

  it('offers no Cancel for a finished delivery; Retry now calls deliveries.retry', async () => {
    const { client } = setup();
    await screen.findByRole('tablist');
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Retry now' }));
    await waitFor(() => expect(client.callsOf('deliveries.retry')).toEqual([{ id: 'dlv_1' }]));
  });

  it('copies the selected attempt as curl and the payload', async () => {
    const d = detail();
    setup(d);
    await screen.findByRole('tablist');
    fireEvent.click(screen.getByRole('button', { name: 'Copy as curl' }));
    await waitFor(async () =>
      expect(await navigator.clipboard.readText()).toBe(buildCurl(d.attempts[2]?.request as never)),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Copy payload' }));
    await waitFor(async () => expect(await navigator.clipboard.readText()).toBe(body));
  });

  it('closes on Esc', async () => {
    const { onClose } = setup();
    await screen.findByRole('tablist');
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('a paused delivery says why, cannot be retried, and offers Enable endpoint', async () => {
    const reason = '5 consecutive failed attempts; last: HTTP 500';
    const { client } = setup(detail({ status: 'paused', pausedReason: 'endpoint_auto_disabled' }), {
      enabled: false,
      disabledReason: reason,
    });
    client.handle({ 'endpoints.enable': ({ id }) => makeEndpoint({ id, enabled: true }) });
    const note = await screen.findByText(/the endpoint was disabled automatically/);
    expect(note.closest('p')?.textContent).toContain(reason);
    expect((screen.getByRole('button', { name: 'Retry now' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Enable endpoint' }));
    await waitFor(() => expect(client.callsOf('endpoints.enable')).toEqual([{ id: 'ep_1' }]));
  });

  it('a delivery waiting to retry shows "Retrying in …" and the last error, not "Pending"', async () => {
    const next = new Date(Date.now() + 12_000).toISOString();
    setup(detail({ status: 'pending', nextAttemptAt: next, attemptCount: 2, lastError: 'timeout after 300 ms' }));
    const note = await screen.findByText(/Retrying in 1[12] s/);
    expect(note.closest('p')?.textContent).toContain('timeout after 300 ms');
    expect(screen.getByText('Retrying', { selector: '.badge' })).toBeTruthy();
    expect(screen.queryByText('Pending', { selector: '.badge' })).toBeNull();
  });

  it('an error from Retry now goes away when Cancel succeeds', async () => {
    const d = detail({ status: 'pending', nextAttemptAt: new Date(Date.now() + 60_000).toISOString() });
    const { client } = setup(d);
    client.handle({
      'deliveries.retry': () => {
        throw new ApiError({ code: 'conflict', message: 'The delivery is being attempted right now' });
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Retry now' }));
    await screen.findByText('The delivery is being attempted right now');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(client.callsOf('deliveries.cancel')).toHaveLength(1));
    await waitFor(() => expect(screen.queryByText('The delivery is being attempted right now')).toBeNull());
  });

  it('copies the request re-signed now, as curl', async () => {
    const { client } = setup();
    const signed = { url: 'http://127.0.0.1:4000/hook', method: 'POST', headers: { 'webhook-id': 'evt_1' }, body };
    client.handle({ 'deliveries.signNow': () => ({ ...signed, signedAt: '2026-11-30T06:00:00.000Z' }) });
    fireEvent.click(await screen.findByRole('button', { name: 'Copy as curl (signed now)' }));
    await waitFor(async () => expect(await navigator.clipboard.readText()).toBe(buildCurl(signed)));
    expect(client.callsOf('deliveries.signNow')).toEqual([{ id: 'dlv_1' }]);
  });

  it('Edit and resend opens the payload in Compose aimed at this endpoint', async () => {
    setup(
      detail({
        payload: {
          id: 'evt_1',
          type: 'invoice.paid',
          version: 'v1',
          created_at: '2026-11-26T12:00:00.000Z',
          data: { amount: 42 },
        },
      }),
    );
    const button = await screen.findByRole('button', { name: 'Edit and resend' });
    await waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(button);
    const state = useComposeStore.getState();
    expect(state.source).toBe('type:invoice.paid');
    expect(JSON.parse(state.drafts['type:invoice.paid'] ?? '')).toEqual({ amount: 42 });
    expect(state).toMatchObject({ targetMode: 'chosen', chosenEndpointIds: ['ep_1'], testEndpointId: 'ep_1' });
    expect(window.location.hash).toBe('#/compose');
  });
});
