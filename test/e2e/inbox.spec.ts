// The zero-setup loop of issue 5 in real Chromium against a real `hookbench serve` (its own inbox receiver):
// empty app → "Create endpoint with a new inbox" → script the inbox to fail the first 2 requests per webhook id
// → fast retries in Settings → Compose invoice.paid → Send → the delivery succeeds after 500, 500, 200 and the
// inbox holds the three captured, verified requests. Then the inbox answers 503 to everything and the endpoint
// is auto-disabled. Any page error or console error fails the test (fixtures.ts).
import type { InboxRequest } from '../../src/shared';
import { expect, nav, restGet, screenshot, test } from './fixtures';

test('create endpoint with a new inbox, scripted failures drive retries, verified captures, then auto-disable', async ({
  page,
  hookbench,
}, testInfo) => {
  await page.goto(hookbench.openUrl);
  await expect(page.getByRole('heading', { name: 'Endpoints', level: 1 })).toBeVisible();

  // 1. An empty Inbox page, then one click creates an endpoint pointed at a new, linked inbox.
  await nav(page, 'Inbox');
  await expect(page.getByRole('heading', { name: 'Inbox', level: 1 })).toBeVisible();
  await expect(page.getByText('No inboxes yet')).toBeVisible();
  await page.getByRole('button', { name: 'Create endpoint with a new inbox' }).click();
  const created = page.getByRole('dialog', { name: 'Endpoint and inbox created' });
  await expect(created.getByTestId('endpoint-secret')).toContainText('whsec_');
  await created.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page).toHaveURL(/#\/inbox\/[^/?]+$/);
  const inboxId = decodeURIComponent(page.url().split('#/inbox/')[1] ?? '');
  const inboxUrl = page.getByRole('textbox', { name: 'Inbox URL' });
  await expect(inboxUrl).toHaveValue(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/in/${inboxId}$`));
  await expect(page.getByRole('link', { name: 'verifies for endpoint' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Inboxes' }).getByRole('listitem')).toHaveCount(1);

  // 2. The response script: fail the first 2 requests of each webhook id with 500.
  await page.getByRole('tab', { name: 'Response script' }).click();
  const script = page.getByRole('form', { name: 'Response script' });
  await script.getByLabel('Fail first N').fill('2');
  await expect(script.getByLabel('Failure status')).toHaveValue('500');
  await script.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Inbox saved' })).toBeVisible();
  await screenshot(page, testInfo, 'inbox-script');

  // 3. Fast retries, and auto-disable after 3 consecutive failures (the loop's 2 failures stay below it).
  await nav(page, 'Settings');
  await page.getByLabel('Initial delay (ms)').fill('200');
  await page.getByLabel('Multiplier').fill('1');
  await page.getByLabel('Max delay (ms)').fill('300');
  await page.getByLabel('Max attempts').fill('5');
  await page.getByLabel('Jitter (0–1)').fill('0');
  await page.getByLabel('Auto-disable after').fill('3');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved' })).toBeVisible();

  // 4. Compose invoice.paid (the default) and Send: the new endpoint is its one subscribed target.
  await sendInvoicePaid(page);
  await page.getByRole('link', { name: 'View deliveries' }).click();
  const row = page.getByRole('table', { name: 'Deliveries' }).locator('tbody tr[data-id]').first();
  await expect(row).toContainText('Succeeded');
  await expect(row.locator('td').nth(3)).toHaveText('200');
  await expect(row.locator('td').nth(4)).toHaveText('3');
  await row.click();
  const inspector = page.getByRole('complementary', { name: 'Delivery inspector' });
  await inspector.getByRole('tab', { name: /Attempts/ }).click();
  const attempts = inspector.getByRole('list', { name: 'Attempts' }).getByRole('listitem');
  await expect(attempts).toHaveCount(3);
  for (const [i, status] of ['500', '500', '200'].entries()) {
    await expect(attempts.nth(i)).toContainText(`Attempt ${i + 1}`);
    await expect(attempts.nth(i).locator('.http-status')).toHaveText(status);
  }
  await screenshot(page, testInfo, 'inbox-attempts');
  await page.keyboard.press('Escape');

  // 5. The inbox captured the three requests, each verified with the linked endpoint's secret.
  await nav(page, 'Inbox');
  await expect(page).toHaveURL(new RegExp(`#/inbox/${inboxId}$`));
  await expect(page.getByRole('tab', { name: 'Requests (3)' })).toBeVisible();
  const captured = page.getByRole('table', { name: 'Captured requests' }).locator('tbody tr');
  await expect(captured).toHaveCount(3);
  for (let i = 0; i < 3; i++) await expect(captured.nth(i)).toContainText('✓ Verified');
  // newest first: the 200 that ended the retries, then the two scripted 500s
  await expect(captured.locator('td:nth-child(4)')).toHaveText(['200', '500', '500']);

  // 6. Open the oldest (the first attempt): its verdict, signature headers and body.
  await captured.nth(2).click();
  await expect(captured.nth(2)).toHaveAttribute('aria-selected', 'true');
  const detail = page.getByRole('region', { name: 'Request detail' });
  await expect(detail).toContainText(`POST /in/${inboxId}`);
  await expect(detail).toContainText('✓ Verified (standard)');
  const headers = detail.getByRole('region', { name: 'Request headers' });
  await expect(headers).toContainText('webhook-id');
  await expect(headers).toContainText('webhook-signature');
  await expect(headers).toContainText(/v1,[A-Za-z0-9+/=]{20,}/);
  const body = detail.getByRole('region', { name: 'Request body' });
  await expect(body).toContainText('"type": "invoice.paid"');
  await expect(body).toContainText('inv_1042');
  await screenshot(page, testInfo, 'inbox-requests');

  // The same three, through the REST API: one webhook id (that is what "fail the first 2 per id" counts),
  // answered 500, 500, 200, all verified.
  const listed = await restGet<{ data: InboxRequest[] }>(hookbench, `/inboxes/${inboxId}/requests`);
  expect(listed.data.map((r) => r.responseStatus)).toEqual([200, 500, 500]);
  expect(new Set(listed.data.map((r) => r.headers['webhook-id'])).size).toBe(1);
  expect(listed.data.every((r) => r.verification?.verified === true)).toBe(true);

  // 7. Script every answer to 503 (no fail-first rule): the next event fails 3 times in a row and the endpoint
  // is auto-disabled.
  await page.getByRole('tab', { name: 'Response script' }).click();
  await script.getByLabel('Fail first N').fill('0');
  await script.getByLabel('Status', { exact: true }).fill('503');
  await script.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Inbox saved' }).first()).toBeVisible();
  await sendInvoicePaid(page);
  await nav(page, 'Inbox');
  await page.getByRole('link', { name: 'verifies for endpoint' }).click();
  await expect(page).toHaveURL(/#\/endpoints\/[^/?]+$/);
  const banner = page.getByRole('alert').filter({ hasText: 'This endpoint is disabled' });
  await expect(banner).toBeVisible({ timeout: 20_000 });
  await expect(banner).toContainText('1 delivery is paused');
  await expect(banner.getByRole('button', { name: 'Re-enable' })).toBeVisible();
  await screenshot(page, testInfo, 'inbox-disabled');
  const after = await restGet<{ data: InboxRequest[] }>(hookbench, `/inboxes/${inboxId}/requests`);
  // the success reset the consecutive count: exactly three 503s were needed to reach the threshold
  expect(after.data.map((r) => r.responseStatus)).toEqual([503, 503, 503, 200, 500, 500]);
  // Close the page before the fixture stops serve: otherwise its live stream reconnects into the stopping
  // server, which answers 403 "Host not allowed" once its socket is closed (transports/http/server.ts reads the
  // port from server.address(), null after close) and that console error would fail a test that passed.
  await page.close();
});

async function sendInvoicePaid(page: import('@playwright/test').Page): Promise<void> {
  await nav(page, 'Compose');
  await expect(page.getByRole('combobox', { name: 'Event type' })).toHaveValue('type:invoice.paid');
  await expect(page.getByRole('textbox', { name: 'Event data (JSON)' })).toContainText('inv_1042');
  await expect(page.getByRole('list', { name: 'Endpoints' }).getByRole('listitem')).toHaveCount(1);
  await expect(page.getByText('Every subscribed endpoint (1)')).toBeVisible();
  const send = page.getByRole('button', { name: 'Send', exact: true });
  await expect(send).toBeEnabled();
  await send.click();
  await expect(page.getByRole('status').filter({ hasText: 'Sent invoice.paid' }).first()).toBeVisible();
}
