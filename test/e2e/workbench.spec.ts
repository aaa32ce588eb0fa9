// The story of issue 4 in real Chromium against a real `hookbench serve` and real receivers on 127.0.0.1:
// create an endpoint in the UI, compose and send invoice.paid, watch it succeed, inspect it (status 200, the
// webhook-signature header), replay it with Copy as curl; then a failing receiver: retries, auto-disable,
// the disabled banner, Re-enable, success. Any page error or console error fails the test (fixtures.ts).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { expect, fillRetryPolicy, type Receiver, screenshot, test } from './fixtures';

const nav = (page: Page, name: string) =>
  page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: new RegExp(`^${name}`) })
    .click();

async function createEndpoint(page: Page, url: string, description: string): Promise<void> {
  await nav(page, 'Endpoints');
  await page
    .getByRole('button', { name: /^(New endpoint|Create endpoint)$/ })
    .first()
    .click();
  const drawer = page.getByRole('dialog', { name: 'New endpoint' });
  await drawer.getByLabel('Endpoint URL').fill(url);
  await drawer.getByLabel('Description').fill(description);
  await drawer.getByRole('button', { name: 'Create endpoint' }).click();
  const created = page.getByRole('dialog', { name: 'Endpoint created' });
  await expect(created.getByTestId('created-secret')).toContainText('whsec_');
  await created.getByRole('button', { name: 'Open endpoint' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
}

/** The delivery log's rows (the virtualised table renders only those on screen). */
const logRows = (page: Page): Locator => page.getByRole('table', { name: 'Deliveries' }).locator('tbody tr[data-id]');

function runShell(command: string): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('/bin/sh', ['-c', `${command} --silent --show-error --max-time 10`], { timeout: 15_000 }, (err) =>
      err ? reject(err) : resolve(),
    ),
  );
}

async function sendFromComposer(page: Page): Promise<void> {
  await nav(page, 'Compose');
  await expect(page.getByRole('textbox', { name: 'Event data (JSON)' })).toContainText('inv_1042');
  await expect(page.getByRole('combobox', { name: 'Event type' })).toHaveValue('type:invoice.paid');
  const send = page.getByRole('button', { name: 'Send', exact: true });
  await expect(send).toBeEnabled();
  await send.click();
  await expect(page.getByRole('status').filter({ hasText: 'Sent invoice.paid' }).first()).toBeVisible();
}

const lastRequest = (r: Receiver) => r.requests[r.requests.length - 1];

test('from an empty app to an inspected signed delivery, then retries, auto-disable and re-enable', async ({
  page,
  hookbench,
  receiver,
  failingReceiver,
}, testInfo) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: hookbench.baseUrl });
  await page.goto(hookbench.openUrl);
  // the token moved from the address bar into sessionStorage
  await expect(page).not.toHaveURL(/token=/);
  await expect(page.getByRole('heading', { name: 'Endpoints', level: 1 })).toBeVisible();

  // 1. An endpoint, created in the UI.
  await createEndpoint(page, receiver.url, 'Local receiver');

  // 2. Compose invoice.paid: the preview shows the signed request, then Send.
  await nav(page, 'Compose');
  await expect(page.getByRole('textbox', { name: 'Event data (JSON)' })).toContainText('inv_1042');
  await page.getByRole('button', { name: 'Preview' }).click();
  const preview = page.getByRole('region', { name: 'Preview' });
  await expect(preview.getByRole('article', { name: 'Request to Local receiver' })).toContainText('webhook-signature');
  await screenshot(page, testInfo, 'compose');
  // Send test: one attempt now, its result inline
  await page.getByRole('button', { name: 'Send test' }).click();
  const result = page.getByRole('region', { name: 'Test result' });
  await expect(result.getByText('Succeeded').first()).toBeVisible();
  await expect(result.getByLabel('Response body')).toContainText('"received": true');
  await sendFromComposer(page);

  // 3. The delivery turns succeeded; the inspector shows status 200 and the signature header.
  await page.getByRole('link', { name: 'View deliveries' }).click();
  await expect(page).toHaveURL(/#\/deliveries\?event=/);
  const row = logRows(page).first();
  await expect(row).toContainText('Succeeded');
  await expect(row).toContainText('Local receiver');
  await row.click();
  const inspector = page.getByRole('complementary', { name: 'Delivery inspector' });
  await inspector.getByRole('tab', { name: 'Response' }).click();
  await expect(inspector.getByRole('tabpanel')).toContainText('200');
  await expect(inspector.getByLabel('Response body')).toContainText('"received": true');
  // where the attempt's time went, as the engine timed it
  await expect(inspector.getByRole('tabpanel')).toContainText(/Connection [\d.]+ (ms|s)/);
  await expect(inspector.getByRole('tabpanel')).toContainText(/Waiting [\d.]+ (ms|s)/);
  await expect(inspector.getByRole('tabpanel')).toContainText(/Download [\d.]+ (ms|s)/);
  await inspector.getByRole('tab', { name: 'Request' }).click();
  const headers = inspector.getByLabel('Request headers');
  await expect(headers).toContainText('webhook-signature');
  await expect(headers).toContainText('v1,');
  await screenshot(page, testInfo, 'deliveries');
  const delivered = lastRequest(receiver);
  expect(delivered?.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+/);
  await expect(headers).toContainText(String(delivered?.headers['webhook-signature']));

  // 4. Copy as curl replays exactly that request: same signature, same bytes (needs curl on the machine).
  await inspector.getByRole('button', { name: 'Copy as curl', exact: true }).click();
  // a string: this file is typed for Node, the expression runs in the page
  const command = await page.evaluate<string>('navigator.clipboard.readText()');
  expect(command).toContain('--data-binary');
  // .ci/run installs curl; without it this step fails rather than passing untested.
  expect(existsSync('/usr/bin/curl') || existsSync('/bin/curl'), 'curl is needed to replay the copied command').toBe(
    true,
  );
  const before = receiver.requests.length;
  await runShell(command);
  expect(receiver.requests.length).toBe(before + 1);
  const replayed = lastRequest(receiver);
  expect(replayed?.body).toBe(delivered?.body);
  expect(replayed?.headers['webhook-signature']).toBe(delivered?.headers['webhook-signature']);
  expect(replayed?.headers['webhook-id']).toBe(delivered?.headers['webhook-id']);
  await page.keyboard.press('Escape');
  await expect(inspector).toHaveCount(0);

  // 5. Fast retries and auto-disable after 3 failures, set in Settings.
  await nav(page, 'Settings');
  await fillRetryPolicy(page, { initialDelayMs: 200, multiplier: 1, maxDelayMs: 300, maxAttempts: 10, jitter: 0 });
  await page.getByLabel('Auto-disable after').fill('3');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved' })).toBeVisible();
  await screenshot(page, testInfo, 'settings');

  // 6. An endpoint pointed at a failing receiver: retries, then it is disabled and its delivery paused.
  await createEndpoint(page, failingReceiver.url, 'Flaky receiver');
  await sendFromComposer(page);
  await nav(page, 'Deliveries');
  // the log keeps its filters across pages: the event filter of step 3 is still on
  await expect(page.getByRole('button', { name: 'Remove the event filter' })).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByRole('combobox', { name: 'Endpoint' }).selectOption({ label: 'Flaky receiver' });
  await expect(page).toHaveURL(/#\/deliveries\?endpoint=/);
  const flaky = logRows(page).first();
  await expect(flaky).toContainText('500');
  await expect.poll(() => failingReceiver.requests.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
  await expect(flaky).toContainText('Paused', { timeout: 20_000 });
  await expect(flaky.locator('td').nth(4)).toHaveText('3');
  await flaky.click();
  await inspector.getByRole('tab', { name: /Attempts/ }).click();
  await expect(inspector.getByRole('list', { name: 'Attempts' }).getByRole('listitem')).toHaveCount(3);

  // 7. The disabled banner, Re-enable once the receiver recovers, and the paused delivery succeeds.
  await nav(page, 'Endpoints');
  const banner = page.getByRole('alert').filter({ hasText: 'disabled' });
  // named by its description, its URL beside it
  await expect(banner.getByRole('link', { name: 'Flaky receiver' })).toBeVisible();
  await expect(banner).toContainText(failingReceiver.url);
  await expect(banner).toContainText('1 delivery paused');
  await screenshot(page, testInfo, 'endpoints');
  failingReceiver.behaviour = 'ok';
  await banner.getByRole('button', { name: 'Re-enable Flaky receiver' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'disabled' })).toHaveCount(0);
  await nav(page, 'Deliveries');
  await expect(logRows(page).first()).toContainText('Succeeded', { timeout: 20_000 });
  await expect(logRows(page).first().locator('td').nth(3)).toHaveText('200');
  expect(lastRequest(failingReceiver)?.headers['webhook-signature']).toMatch(/^v1,/);

  // 8. The Inbox page, for the record.
  await nav(page, 'Inbox');
  await expect(page.getByRole('heading', { name: 'Inbox', level: 1 })).toBeVisible();
  await screenshot(page, testInfo, 'inbox');
});
