// Issue 13 (part A) in real Chromium against a real `hookbench serve`: search what payloads say, filter by HTTP
// status class and error kind with the matching count, a delivery waiting to retry and a paused one that says why
// (Enable endpoint from the inspector), Copy as curl (signed now) verified by the Standard Webhooks library,
// Edit and resend through Compose, and the Events view with each event's fate per endpoint.
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import type { Locator, Page } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { expect, nav, screenshot, test } from './fixtures';

const logRows = (page: Page): Locator => page.getByRole('table', { name: 'Deliveries' }).locator('tbody tr[data-id]');

function runShell(command: string): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('/bin/sh', ['-c', `${command} --silent --show-error --max-time 10`], { timeout: 15_000 }, (err) =>
      err ? reject(err) : resolve(),
    ),
  );
}

/** A port nothing listens on any more: connecting is refused. */
async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}/gone`;
}

interface Created {
  id: string;
  secret: string;
}

test('find deliveries by payload, see why they wait, re-sign, edit and resend, and follow an event', async ({
  page,
  hookbench: hb,
  receiver,
  failingReceiver,
}, testInfo) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: hb.baseUrl });
  // Slow retries, so a failed delivery waits visibly; no auto-disable in this story.
  await hb.call('settings.update', {
    retry: { initialDelayMs: 50_000, multiplier: 1, maxDelayMs: 50_000, maxAttempts: 5, jitter: 0 },
    autoDisable: { threshold: 0 },
  });
  const billing = await hb.call<Created>('endpoints.create', {
    url: receiver.url,
    description: 'Billing',
    eventTypes: ['invoice.*'],
  });
  const orders = await hb.call<Created>('endpoints.create', {
    url: failingReceiver.url,
    description: 'Orders',
    eventTypes: ['order.*'],
  });
  await hb.call('endpoints.create', { url: await refusedUrl(), description: 'Gone', eventTypes: ['order.*'] });
  for (let i = 0; i < 11; i++) {
    const invoice = { id: `inv_${i}`, customer_id: `cust_${i}@example.com`, amount_paid: i, currency: 'eur' };
    await hb.call('events.create', { type: 'invoice.paid', validate: false, data: { object: invoice } });
  }
  const ada = await hb.call<{ id: string }>('events.create', {
    type: 'invoice.paid',
    validate: false,
    data: { object: { id: 'inv_ada', customer_id: 'ada.lovelace@example.com', amount_paid: 1815, currency: 'eur' } },
  });
  const shipped = await hb.call<{ id: string }>('events.create', {
    type: 'order.shipped',
    validate: false,
    data: { order: 'ord_77' },
  });
  await expect.poll(() => receiver.requests.length).toBe(12);
  await expect.poll(() => failingReceiver.requests.length).toBe(1);

  // 1. The log counts what matches, apart from what is loaded; search finds the payload's words.
  await page.goto(hb.openUrl);
  await nav(page, 'Deliveries');
  await expect(page.getByText('14 matching', { exact: true })).toBeVisible();
  const search = page.getByRole('searchbox', { name: 'Search deliveries by id, payload or response' });
  await search.fill('lovelace');
  await expect(logRows(page)).toHaveCount(1);
  await expect(page.getByText('1 matching', { exact: true })).toBeVisible();
  await expect(logRows(page).first()).toContainText('Billing');
  await screenshot(page, testInfo, 'v2-search-payload');
  await search.fill('');
  await expect(page.getByText('14 matching', { exact: true })).toBeVisible();

  // 2. Status class and error kind filters; a delivery waiting to retry says so, with its last error.
  await page.getByRole('combobox', { name: 'HTTP status' }).selectOption('5xx');
  await expect(logRows(page)).toHaveCount(1);
  await expect(logRows(page).first()).toContainText('Orders');
  await expect(logRows(page).first()).toContainText('Retrying');
  await expect(logRows(page).first()).toContainText(/retry in \d+ s/);
  await page.getByRole('combobox', { name: 'HTTP status' }).selectOption('');
  await page.getByRole('combobox', { name: 'Error kind' }).selectOption('refused');
  await expect(logRows(page)).toHaveCount(1);
  await expect(logRows(page).first()).toContainText('Gone');
  await expect(logRows(page).first()).toContainText('refused');
  await expect(page.getByText('1 matching', { exact: true })).toBeVisible();
  await screenshot(page, testInfo, 'v2-filter-error-kind');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByRole('combobox', { name: 'HTTP status' }).selectOption('5xx');
  await logRows(page).first().click();
  const inspector = page.getByRole('complementary', { name: 'Delivery inspector' });
  await expect(inspector.getByRole('status').filter({ hasText: 'Retrying in' })).toContainText('HTTP 500');
  // with the inspector open: the endpoint name is whole and "Attempts (1)" stays on one line
  const endpointCell = logRows(page).first().locator('td').nth(2);
  await expect(endpointCell).toHaveText('Orders');
  expect(await endpointCell.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  const attemptsTab = inspector.getByRole('tab', { name: 'Attempts (1)' });
  const tabBox = await attemptsTab.boundingBox();
  expect(tabBox?.height ?? 0).toBeLessThan(40);
  await screenshot(page, testInfo, 'v2-retrying-inspector');

  // 3. Paused because its endpoint was disabled: the row and the inspector say why; Retry now is off; Enable
  //    endpoint resumes it.
  await hb.call('endpoints.disable', { id: orders.id, reason: 'Maintenance window' });
  await expect(inspector.getByRole('status').filter({ hasText: 'Paused' })).toContainText('Maintenance window');
  await expect(inspector.getByRole('button', { name: 'Retry now' })).toBeDisabled();
  await expect(logRows(page).first()).toContainText('endpoint disabled');
  await screenshot(page, testInfo, 'v2-paused-inspector');
  await inspector.getByRole('button', { name: 'Enable endpoint' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Endpoint enabled' })).toBeVisible();
  await expect(inspector.getByRole('status').filter({ hasText: 'Retrying in' })).toBeVisible();
  await expect(inspector.getByRole('button', { name: 'Retry now' })).toBeEnabled();
  await page.keyboard.press('Escape');

  // 4. Copy as curl (signed now): the copied command, run now, verifies with the Standard Webhooks library.
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await search.fill('lovelace');
  await expect(logRows(page)).toHaveCount(1);
  await logRows(page).first().click();
  await expect(inspector.getByRole('heading', { name: 'invoice.paid' })).toBeVisible();
  await page.evaluate('navigator.clipboard.writeText("")');
  await inspector.getByRole('button', { name: 'Copy as curl (signed now)' }).click();
  // the engine signs at click time, then the command lands on the clipboard
  await expect.poll(() => page.evaluate<string>('navigator.clipboard.readText()')).toContain('webhook-signature');
  const command = await page.evaluate<string>('navigator.clipboard.readText()');
  const before = receiver.requests.length;
  await runShell(command);
  expect(receiver.requests.length).toBe(before + 1);
  const replayed = receiver.requests[before];
  const verified = new Webhook(billing.secret).verify(
    replayed?.body ?? '',
    replayed?.headers as Record<string, string>,
  );
  expect(verified).toMatchObject({ id: ada.id, data: { object: { customer_id: 'ada.lovelace@example.com' } } });
  expect(Number(replayed?.headers['webhook-timestamp'])).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 30);

  // 5. Edit and resend: the payload opens in Compose aimed at Billing only; edited and sent, Billing gets the edit.
  await inspector.getByRole('button', { name: 'Edit and resend' }).click();
  await expect(page.getByRole('heading', { name: 'Compose', level: 1 })).toBeVisible();
  const editor = page.getByRole('textbox', { name: 'Event data (JSON)' });
  await expect(editor).toContainText('ada.lovelace@example.com');
  await expect(page.getByRole('checkbox', { name: 'Send to Billing' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Send to Orders' })).not.toBeChecked();
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  const edited = {
    object: { id: 'inv_ada', customer_id: 'ada.byron@example.com', amount_paid: 1816, currency: 'eur' },
  };
  await page.keyboard.insertText(JSON.stringify(edited));
  await screenshot(page, testInfo, 'v2-edit-resend-compose');
  const sentBefore = receiver.requests.length;
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Sent invoice.paid' }).first()).toBeVisible();
  await expect.poll(() => receiver.requests.length).toBe(sentBefore + 1);
  expect(JSON.parse(receiver.requests[sentBefore]?.body ?? '{}').data).toEqual(edited);
  expect(failingReceiver.requests.every((r) => !r.body.includes('ada.byron'))).toBe(true);

  // 6. The Events view (g v): each event with a dot per endpoint; one event's fate per endpoint.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('g');
  await page.keyboard.press('v');
  await expect(page.getByRole('heading', { name: 'Events', level: 1 })).toBeVisible();
  const events = page.getByRole('table', { name: 'Events' });
  await expect(events.locator('tbody tr')).toHaveCount(14);
  await screenshot(page, testInfo, 'v2-events-list');
  await page.getByRole('searchbox', { name: 'Search events by id or payload' }).fill('ord_77');
  await expect(events.locator('tbody tr')).toHaveCount(1);
  await events.getByRole('link', { name: 'order.shipped' }).click();
  await expect(page).toHaveURL(new RegExp(`#/events/${shipped.id}$`));
  const detail = page.getByRole('complementary', { name: 'Event detail' });
  const fate = detail.getByRole('table', { name: 'Deliveries of this event' });
  await expect(fate.locator('tbody tr')).toHaveCount(2);
  await expect(fate.locator('tbody tr').filter({ hasText: 'Orders' })).toContainText('500');
  await expect(fate.locator('tbody tr').filter({ hasText: 'Gone' })).toContainText('refused');
  await screenshot(page, testInfo, 'v2-events-view');
  await detail.getByRole('link', { name: 'Inspect the delivery to Orders' }).click();
  await expect(inspector.getByRole('heading', { name: 'order.shipped' })).toBeVisible();
});
