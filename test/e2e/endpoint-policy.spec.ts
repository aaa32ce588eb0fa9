// An endpoint's own retry policy and auto-disable threshold, set in the UI against a real serve: a policy that breaks
// the contract's rule is refused inline, a valid one is saved and shown, a failing receiver then gets exactly the
// endpoint's attempts (quickly, while the settings would wait 2 s and more) and is never auto-disabled; edited back,
// the endpoint follows the settings again.
import { expect, fillRetryPolicy, openNewEndpoint, test } from './fixtures';

interface Delivery {
  status: string;
  attemptCount: number;
}
interface Endpoint {
  id: string;
  enabled: boolean;
  retry: { maxAttempts: number } | null;
  autoDisableThreshold: number | null;
}

test('an endpoint with its own retries and no auto-disable, set and changed in the form', async ({
  page,
  hookbench,
  failingReceiver,
}) => {
  // the settings' policy in force: the endpoint's own fields start from it
  await hookbench.call('settings.update', { retry: { maxAttempts: 6, initialDelayMs: 1500 } });
  await page.goto(hookbench.openUrl);
  const drawer = await openNewEndpoint(page);
  await drawer.getByLabel('Endpoint URL').fill(failingReceiver.url);
  await drawer.getByLabel('Description').fill('Own policy');
  await expect(drawer.getByLabel('Max attempts')).toHaveCount(0);
  await drawer.getByLabel("Own retry policy (unchecked: the Settings page's)").check();
  // the settings' policy fills the fields; a max delay under the initial delay is refused before anything is sent
  await expect(drawer.getByLabel('Max attempts')).toHaveValue('6');
  await expect(drawer.getByLabel('Initial delay (ms)')).toHaveValue('1500');
  await fillRetryPolicy(drawer, { initialDelayMs: 50, multiplier: 1, maxDelayMs: 10, maxAttempts: 3, jitter: 0 });
  await drawer.getByLabel('Auto-disable after').fill('0');
  await drawer.getByRole('button', { name: 'Create endpoint' }).click();
  await expect(drawer.getByText('Max delay must be at least initial delay')).toBeVisible();
  expect(await hookbench.call<{ data: Endpoint[] }>('endpoints.list', {})).toMatchObject({ data: [] });

  await drawer.getByLabel('Max delay (ms)').fill('50');
  // its schedule in a sentence, as the Settings page's preview says it
  await expect(drawer.getByTestId('endpoint-retry-summary')).toHaveText(
    '3 attempts; a delivery that keeps failing is marked failed 100 ms after its first attempt.',
  );
  await drawer.getByRole('button', { name: 'Create endpoint' }).click();
  const created = page.getByRole('dialog', { name: 'Endpoint created' });
  await created.getByRole('button', { name: 'Open endpoint' }).click();
  const config = page.getByRole('region', { name: 'Configuration' });
  await expect(config).toContainText('own policy: 3 attempts, first retry after 50 ms');
  await expect(config).toContainText('own setting: never');

  const [ep] = (await hookbench.call<{ data: Endpoint[] }>('endpoints.list', {})).data;
  expect([ep?.retry?.maxAttempts, ep?.autoDisableThreshold]).toEqual([3, 0]);
  await hookbench.call('settings.update', { autoDisable: { threshold: 1 } });
  await hookbench.call('events.create', { type: 'user.created', validate: false, data: {} });
  await expect
    .poll(async () => (await hookbench.call<{ data: Delivery[] }>('deliveries.list', {})).data[0], { timeout: 10_000 })
    .toMatchObject({ status: 'failed', attemptCount: 3 });
  expect(failingReceiver.requests).toHaveLength(3);
  // the settings' threshold of 1 did not apply: the endpoint's own 0 (never) did
  expect((await hookbench.call<Endpoint>('endpoints.get', { id: ep?.id })).enabled).toBe(true);

  // Edit: back to the settings' policy and threshold
  await page.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit endpoint' });
  await expect(edit.getByLabel('Max attempts')).toHaveValue('3');
  await edit.getByLabel("Own retry policy (unchecked: the Settings page's)").uncheck();
  await edit.getByLabel('Auto-disable after').fill('');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit).toHaveCount(0);
  await expect(config).not.toContainText('own policy');
  await expect(config).not.toContainText('own setting');
  expect(await hookbench.call<Endpoint>('endpoints.get', { id: ep?.id })).toMatchObject({
    retry: null,
    autoDisableThreshold: null,
  });
});
