// Issue 13 items 1, 6 and 12 in real Chromium against a real `hookbench serve`: an inbox with an endpoint made by
// hand (offered for linking, which re-verifies what came before), more than 200 requests (paged, with a word that
// the list is cut), rows named by event type and webhook id, no overflow at 1280x800 and usable at 1024,
// forwarding to a real local server (selected, then live) with its answer beside the captured one, and exports
// as JSON and HAR 1.2.
import { readFileSync } from 'node:fs';
import { request } from 'undici';
import type { Endpoint, HarLog, Inbox } from '../../src/shared';
import { expect, nav, screenshot, test } from './fixtures';

/** true when nothing in the requests table is wider than its scrolling box (no horizontal overflow) */
async function tableFits(page: import('@playwright/test').Page): Promise<boolean> {
  return page.locator('.inbox-table-wrap').evaluate((wrap) => wrap.scrollWidth <= wrap.clientWidth + 1);
}

test('inbox: paging, event names, link offer with re-verify, forward selected and live, export', async ({
  page,
  hookbench,
  receiver,
}, testInfo) => {
  const inbox = await hookbench.call<Inbox>('inboxes.create', { name: 'Billing inbox' });
  // an endpoint made by hand for the inbox URL: its requests arrive without a verdict until linked
  const endpoint = await hookbench.call<Endpoint>('endpoints.create', {
    url: inbox.url,
    description: 'Billing (by hand)',
  });
  // 205 plain requests (bounded), then 3 signed events through the engine: 208 in all, more than one page
  for (let i = 0; i < 205; i++) {
    const res = await request(inbox.url, { method: 'POST', body: `{"n":${i}}` });
    await res.body.text();
  }
  for (const type of ['invoice.paid', 'invoice.created', 'customer.updated']) {
    await hookbench.call('events.create', { type, validate: false, data: { id: `obj_${type}` } });
  }
  await expect.poll(async () => (await hookbench.call<Inbox>('inboxes.get', { id: inbox.id })).requestCount).toBe(208);

  await page.goto(hookbench.openUrl);
  await nav(page, 'Inbox');
  const table = page.getByRole('table', { name: 'Captured requests' });
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(200);
  // item 1: the newest rows say which event they carry, and the footer says the list is cut
  await expect(rows.first()).toContainText('customer.updated');
  await expect(rows.first()).toContainText(/[0-9a-f-]{36}/);
  const footer = page.getByRole('status', { name: 'Loaded requests' });
  await expect(footer).toContainText('Showing the latest 200 of 208 requests');
  expect(await tableFits(page)).toBe(true);

  // item 6: the link is in plain sight, and the endpoint made by hand is offered
  await expect(page.getByLabel('Verify with endpoint')).toHaveValue('');
  const offer = page.getByRole('status').filter({ hasText: 'sends to this inbox but is not linked' });
  await expect(offer).toContainText('Billing (by hand)');
  await expect(rows.first()).toContainText('No verdict');
  await screenshot(page, testInfo, 'inbox-1280-unlinked');
  await offer.getByRole('button', { name: 'Link it' }).click();
  await expect(page.getByLabel('Verify with endpoint')).toHaveValue(endpoint.id);
  // captured before the link, verified now: the three signed events pass, the unsigned requests do not
  for (let i = 0; i < 3; i++) await expect(rows.nth(i)).toContainText('✓ Verified');
  await expect(rows.nth(3)).toContainText('✗ Rejected');

  await footer.getByRole('button', { name: 'Load 200 older' }).click();
  await expect(rows).toHaveCount(208);
  await expect(footer).toContainText('All 208 requests shown');

  // item 12: forward the newest request to a real local server
  await page.getByRole('textbox', { name: 'Forward to' }).fill(receiver.url);
  await rows.first().getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Forward selected (1)' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Forwarded 1 request' })).toBeVisible();
  expect(receiver.requests).toHaveLength(1);
  const got = receiver.requests[0];
  expect(got?.method).toBe('POST');
  expect(JSON.parse(got?.body ?? '')).toMatchObject({ type: 'customer.updated' });
  expect(got?.headers['webhook-signature']).toMatch(/^v1,/);
  await rows.first().click();
  const detail = page.getByRole('region', { name: 'Request detail' });
  await expect(detail.getByTestId('local-answer')).toContainText('200');
  await expect(detail.getByRole('region', { name: 'Local answer' })).toContainText('"received": true');
  await expect(rows.first().locator('td').nth(4)).toHaveText('200');
  await screenshot(page, testInfo, 'inbox-1280-forwarded');

  // live: each new request goes to the local server as it arrives
  await page.getByRole('checkbox', { name: 'Live' }).check();
  await expect(page.getByRole('status').filter({ hasText: 'Forwarding new requests to' })).toBeVisible();
  await hookbench.call('events.create', { type: 'invoice.paid', validate: false, data: { id: 'obj_live' } });
  await expect.poll(() => receiver.requests.length).toBe(2);
  expect(JSON.parse(receiver.requests[1]?.body ?? '')).toMatchObject({ data: { id: 'obj_live' } });
  await expect(rows.first().locator('td').nth(4)).toHaveText('200');
  await page.getByRole('checkbox', { name: 'Live' }).uncheck();

  // export as HAR 1.2 and as JSON
  const [har] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export HAR' }).click(),
  ]);
  expect(har.suggestedFilename()).toMatch(/^Billing-inbox-.*\.har$/);
  const archive = JSON.parse(readFileSync((await har.path()) as string, 'utf8')) as HarLog;
  expect(archive.log.version).toBe('1.2');
  expect(archive.log.entries).toHaveLength(209);
  expect(archive.log.entries[0]?.request.method).toBe('POST');
  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export JSON' }).click(),
  ]);
  const exported = JSON.parse(readFileSync((await json.path()) as string, 'utf8')) as { requests: unknown[] };
  expect(exported.requests).toHaveLength(209);

  // usable at 1024 wide: the detail goes under the list, nothing overflows
  await page.setViewportSize({ width: 1024, height: 768 });
  await expect(table).toBeVisible();
  expect(await tableFits(page)).toBe(true);
  await screenshot(page, testInfo, 'inbox-1024');
  await page.close();
});
