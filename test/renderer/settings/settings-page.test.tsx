import { SettingsPage } from '@renderer/features/settings/SettingsPage';
import { ApiError } from '@renderer/lib/client';
import { defaultSettings, type Settings } from '@shared';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createFakeClient, makeEndpoint, page, renderWithClient } from '../support';

function engine(initial: Settings = defaultSettings) {
  let current = structuredClone(initial);
  return createFakeClient({
    'settings.get': () => current,
    'settings.update': (patch) => {
      current = {
        ...current,
        ...patch,
        retry: { ...current.retry, ...patch.retry },
        autoDisable: { ...current.autoDisable, ...patch.autoDisable },
      } as Settings;
      return current;
    },
  });
}

async function setField(user: ReturnType<typeof userEvent.setup>, label: string, value: string) {
  const input = screen.getByLabelText(label);
  await user.clear(input);
  if (value !== '') await user.type(input, value);
  return input;
}

const errorFor = (input: HTMLElement) =>
  document.getElementById(input.getAttribute('aria-describedby') ?? '')?.textContent;

describe('settings', () => {
  it('validates inline with the contract schema and blocks Save', async () => {
    const user = userEvent.setup();
    const { client } = renderWithClient(<SettingsPage />, { client: engine() });
    await screen.findByLabelText('Initial delay (ms)');
    const maxDelay = await setField(user, 'Max delay (ms)', '1000');
    expect(maxDelay.getAttribute('aria-invalid')).toBe('true');
    expect(errorFor(maxDelay)).toBe('Max delay must be at least initial delay');
    const jitter = await setField(user, 'Jitter (0–1)', '1.5');
    expect(errorFor(jitter)).toBe('Jitter must be at most 1');
    const attempts = await setField(user, 'Max attempts', '2.5');
    expect(errorFor(attempts)).toBe('Max attempts must be a whole number');
    const retention = await setField(user, 'Retention (days)', '0');
    expect(errorFor(retention)).toBe('Retention must be at least 1 day');
    const threshold = await setField(user, 'Auto-disable after', '-1');
    expect(errorFor(threshold)).toBe('Auto-disable threshold must be at least 0');
    const concurrency = await setField(user, 'Concurrency', '');
    expect(errorFor(concurrency)).toBe('Enter a number');
    const url = await setField(user, 'Notification URL', 'mailto:ops@example.com');
    expect(errorFor(url)).toBe('must be an http:// or https:// URL with a host');

    const save = screen.getByRole('button', { name: 'Save settings' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    await user.click(save);
    expect(client.callsOf('settings.update')).toEqual([]);
  });

  it('previews the retry schedule live, with per-retry ranges and cumulative time', async () => {
    const user = userEvent.setup();
    renderWithClient(<SettingsPage />, { client: engine() });
    await screen.findByLabelText('Initial delay (ms)');
    await setField(user, 'Initial delay (ms)', '1000');
    await setField(user, 'Max delay (ms)', '5000');
    await setField(user, 'Max attempts', '5');
    await setField(user, 'Jitter (0–1)', '0');
    const preview = screen.getByRole('region', { name: 'Retry schedule preview' });
    const rows = within(preview)
      .getAllByRole('row')
      .slice(1)
      .map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([
      ['#2', '1 s', '1 s'],
      ['#3', '2 s', '3 s'],
      ['#4', '4 s', '7 s'],
      ['#5', '5 s', '12 s'],
    ]);
    expect(within(preview).getByTestId('retry-summary').textContent).toContain('12 s after its first attempt');

    await setField(user, 'Jitter (0–1)', '0.5');
    expect(within(preview).getAllByRole('row')[2]?.textContent).toContain('1 s – 2 s');

    await setField(user, 'Multiplier', '0.5');
    expect(preview.textContent).toContain('Fix the retry policy to see its schedule.');
  });

  it('saves a valid change and shows server issues next to their field', async () => {
    const user = userEvent.setup();
    const client = engine();
    renderWithClient(<SettingsPage />, { client });
    await screen.findByLabelText('Initial delay (ms)');
    await setField(user, 'Max attempts', '3');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(client.callsOf('settings.update')).toHaveLength(1));
    expect(client.callsOf('settings.update')[0]).toEqual({
      ...defaultSettings,
      retry: { ...defaultSettings.retry, maxAttempts: 3 },
    });

    client.handle({
      'settings.update': () => {
        throw new ApiError({
          code: 'invalid_input',
          message: 'Invalid input at notificationUrl: resolves to this engine',
          issues: [{ path: ['notificationUrl'], message: 'resolves to this engine' }],
        });
      },
    });
    const url = await setField(user, 'Notification URL', 'http://127.0.0.1:9/x');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() => expect(errorFor(url)).toBe('resolves to this engine'));
    // said once: next to the field, not again in a banner
    expect(screen.queryByRole('alert')).toBeNull();

    // an issue no field shows stays in the banner; the engine's name for a setting becomes its checkbox's
    const reason =
      'metadata.google.internal is a link-local or cloud metadata address; allow it with settings.allowLinkLocal';
    client.handle({
      'settings.update': () => {
        throw new ApiError({
          code: 'invalid_input',
          message: `notificationUrl: ${reason}`,
          issues: [
            { path: ['notificationUrl'], message: reason },
            { path: ['endpoints', 0], message: 'is not there' },
          ],
        });
      },
    });
    await setField(user, 'Notification URL', 'http://metadata.google.internal/x');
    await user.click(screen.getByRole('button', { name: 'Save settings' }));
    await waitFor(() =>
      expect(errorFor(url)).toBe(
        'metadata.google.internal is a link-local or cloud metadata address; allow it with the Settings checkbox "Allow link-local and cloud metadata addresses"',
      ),
    );
    expect(screen.getByRole('alert').textContent).toBe('endpoints.0 is not there');
  });

  it('names the endpoints with a retry policy or threshold of their own, which the settings do not decide for', async () => {
    const client = engine();
    const quick = { initialDelayMs: 10, multiplier: 1, maxDelayMs: 10, maxAttempts: 2, jitter: 0 };
    client.handle({
      'endpoints.list': () =>
        page([
          makeEndpoint({ id: 'a', description: 'Billing', retry: quick }),
          makeEndpoint({ id: 'b', url: 'http://user:pw@127.0.0.1:9/x', autoDisableThreshold: 0 }),
          makeEndpoint({ id: 'c', description: 'Plain' }),
        ]),
    });
    renderWithClient(<SettingsPage />, { client });
    const retry = await screen.findByText(/Not for 1 endpoint with a retry policy of its own/);
    expect(retry.textContent).toBe('Not for 1 endpoint with a retry policy of its own: Billing.');
    expect(within(retry).getByRole('link', { name: 'Billing' }).getAttribute('href')).toBe('#/endpoints/a');
    const threshold = screen.getByText(/auto-disable threshold of its own/);
    // a URL's password stays hidden here too
    expect(threshold.textContent).toBe(
      'Not for 1 endpoint with an auto-disable threshold of its own: http://user:•••@127.0.0.1:9/x.',
    );
    expect(screen.queryByText(/Plain/)).toBeNull();
  });

  it('reset to defaults fills the form with the defaults', async () => {
    const user = userEvent.setup();
    const custom = { ...defaultSettings, concurrency: 4, retry: { ...defaultSettings.retry, maxAttempts: 2 } };
    renderWithClient(<SettingsPage />, { client: engine(custom) });
    const concurrency = (await screen.findByLabelText('Concurrency')) as HTMLInputElement;
    expect(concurrency.value).toBe('4');
    await user.click(screen.getByRole('button', { name: 'Reset to defaults' }));
    expect(concurrency.value).toBe(String(defaultSettings.concurrency));
    expect((screen.getByLabelText('Max attempts') as HTMLInputElement).value).toBe(
      String(defaultSettings.retry.maxAttempts),
    );
    expect(screen.getByText('Unsaved changes')).toBeTruthy();
  });
});

describe('notification signing secret', () => {
  it('is fetched only when revealed, then shown', async () => {
    const user = userEvent.setup();
    const client = createFakeClient({
      'settings.get': () => defaultSettings,
      'settings.notificationSecret': () => ({ secret: 'whsec_b3BzLXNlY3JldC1mb3ItdGVzdHM=' }),
    });
    renderWithClient(<SettingsPage />, { client });
    await screen.findByLabelText('Initial delay (ms)');
    expect(screen.getByTestId('notification-secret').textContent).not.toContain('whsec_');
    expect(client.callsOf('settings.notificationSecret')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Reveal' }));
    await waitFor(() =>
      expect(screen.getByTestId('notification-secret').textContent).toBe('whsec_b3BzLXNlY3JldC1mb3ItdGVzdHM='),
    );
  });

  it('rotates it and shows the new one', async () => {
    const user = userEvent.setup();
    let current = 'whsec_b3BzLXNlY3JldC1mb3ItdGVzdHM=';
    const client = createFakeClient({
      'settings.get': () => defaultSettings,
      'settings.notificationSecret': () => ({ secret: current }),
      'settings.rotateNotificationSecret': () => {
        current = 'whsec_bmV3LXNlY3JldC1mb3ItdGVzdHM=';
        return { secret: current };
      },
    });
    renderWithClient(<SettingsPage />, { client });
    await screen.findByLabelText('Initial delay (ms)');
    await user.click(screen.getByRole('button', { name: 'Rotate' }));
    await waitFor(() =>
      expect(screen.getByTestId('notification-secret').textContent).toBe('whsec_bmV3LXNlY3JldC1mb3ItdGVzdHM='),
    );
    expect(client.callsOf('settings.rotateNotificationSecret')).toHaveLength(1);
  });
});
