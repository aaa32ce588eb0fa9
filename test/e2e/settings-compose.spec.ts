// Issue 13 items 5, 7 (Compose and Settings parts) and 14 in real Chromium against a real `hookbench serve`:
// Compose tests an enabled endpoint by default, never flashes a false "Empty" problem, opens the JSON Schema from
// its badge and takes back its "Cannot send" toast once the JSON is fixed; Settings keeps Save in sight at 800 px,
// warns before a lower auto-disable threshold disables an endpoint, and the auto-disable is toasted with a link;
// Settings › Event types browses and edits the catalog.
import type { Endpoint, EventType } from '../../src/shared';
import { expect, nav, oneAttemptEach, screenshot, test } from './fixtures';

test('compose defaults and toasts, settings sticky save and threshold warning, auto-disable toast, event types', async ({
  page,
  hookbench,
  receiver,
  failingReceiver,
}, testInfo) => {
  await oneAttemptEach(hookbench);
  // the failing endpoint comes first in the list; it fails 3 times in a row, and one more is disabled by hand
  const failing = await hookbench.call<Endpoint>('endpoints.create', {
    url: failingReceiver.url,
    description: 'Flaky billing',
    eventTypes: ['user.*'],
  });
  const off = await hookbench.call<Endpoint>('endpoints.create', { url: `${receiver.url}/off`, description: 'Off' });
  await hookbench.call('endpoints.disable', { id: off.id, reason: 'maintenance' });
  const good = await hookbench.call<Endpoint>('endpoints.create', { url: receiver.url, description: 'Good one' });
  for (let i = 0; i < 3; i++)
    await hookbench.call('events.create', { type: 'user.created', validate: false, data: { i } });
  await expect
    .poll(async () => (await hookbench.call<Endpoint>('endpoints.get', { id: failing.id })).stats.consecutiveFailures)
    .toBe(3);

  // Record whether the false "Empty" problem ever shows while Compose opens.
  // (a string: this file is type-checked without the DOM library)
  await page.addInitScript(`
    window.sawEmpty = false;
    new MutationObserver(() => {
      if (document.body?.textContent?.includes('Empty: the data must be a JSON value')) window.sawEmpty = true;
    }).observe(document, { subtree: true, childList: true, characterData: true });
  `);
  await page.goto(hookbench.openUrl);
  await nav(page, 'Compose');
  const editor = page.getByRole('textbox', { name: 'Event data (JSON)' });
  await expect(editor).toContainText('inv_1042');
  expect(await page.evaluate(() => (globalThis as unknown as { sawEmpty: boolean }).sawEmpty)).toBe(false);
  // "Test to" defaults to an enabled endpoint, never the disabled one
  const testTo = page.getByLabel('Test to');
  const enabledIds = [failing.id, good.id];
  expect(enabledIds).toContain(await testTo.inputValue());
  await expect(testTo.locator('option', { hasText: '(disabled)' })).toHaveCount(1);

  // the JSON Schema badge opens the schema
  await page.getByRole('button', { name: 'JSON Schema' }).click();
  const schemaDialog = page.getByRole('dialog', { name: 'JSON Schema of invoice.paid' });
  await expect(schemaDialog).toContainText('"properties"');
  await screenshot(page, testInfo, 'compose-schema');
  await page.keyboard.press('Escape');
  await expect(schemaDialog).toHaveCount(0);

  // broken JSON + Ctrl+Enter: a "Cannot send" toast, gone once the JSON is fixed
  await editor.click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type(',');
  await page.keyboard.press('ControlOrMeta+Enter');
  const cannot = page.locator('.toast').filter({ hasText: 'Cannot send' });
  await expect(cannot).toBeVisible();
  await page.keyboard.press('Backspace');
  await expect(cannot).toHaveCount(0, { timeout: 3000 });

  // Settings: Save is in sight at 800 px; lowering the threshold warns about the endpoint it would disable
  await nav(page, 'Settings');
  const save = page.getByRole('button', { name: 'Save settings' });
  await page.getByLabel('Auto-disable after').fill('2');
  await expect(save).toBeInViewport();
  const warning = page.getByRole('alert').filter({ hasText: 'would be disabled at the next failed attempt' });
  await expect(warning).toContainText('Flaky billing');
  await expect(warning).toContainText('3 consecutive failures');
  await screenshot(page, testInfo, 'settings-threshold-warning');
  await save.click();
  await expect(page.locator('.toast').filter({ hasText: 'Settings saved' })).toBeVisible();

  // the next failure disables it: a toast says so, with a link to the endpoint
  await hookbench.call('events.create', { type: 'user.created', validate: false, data: { last: true } });
  const disabledToast = page.locator('.toast').filter({ hasText: 'Endpoint disabled' });
  await expect(disabledToast).toContainText(failingReceiver.url);
  await screenshot(page, testInfo, 'auto-disable-toast');
  await disabledToast.getByRole('link', { name: 'Open endpoint' }).click();
  await expect(page).toHaveURL(new RegExp(`#/endpoints/${failing.id}$`));
  await expect(page.getByRole('alert').filter({ hasText: 'This endpoint is disabled' })).toBeVisible();

  // Settings › Event types: browse, view and edit a schema and example
  await nav(page, 'Settings');
  await page.getByRole('link', { name: 'Event types' }).click();
  const catalog = page.getByRole('navigation', { name: 'Event types' });
  await catalog.getByRole('link', { name: /invoice\.paid/ }).click();
  const form = page.getByRole('form', { name: 'Event type invoice.paid' });
  await expect(form.getByLabel('JSON Schema for data')).toHaveValue(/"properties"/);
  await form.getByLabel('Description').fill('An invoice was paid (edited)');
  await form.getByLabel('Example (what Compose loads)').fill('{ "broken": ');
  await expect(form.getByRole('button', { name: 'Save event type' })).toBeDisabled();
  // (the example must satisfy the schema: the engine refuses one that does not)
  await form
    .getByLabel('Example (what Compose loads)')
    .fill('{ "object": { "id": "inv_9", "customer_id": "cus_9", "amount_paid": 100, "currency": "eur" } }');
  await form.getByRole('button', { name: 'Save event type' }).click();
  await expect(page.locator('.toast').filter({ hasText: 'Saved invoice.paid' })).toBeVisible();
  const types = await hookbench.call<{ data: EventType[] }>('eventTypes.list', {});
  const paid = types.data.find((t) => t.name === 'invoice.paid');
  expect(paid?.description).toBe('An invoice was paid (edited)');
  expect(paid?.example).toEqual({ object: { id: 'inv_9', customer_id: 'cus_9', amount_paid: 100, currency: 'eur' } });
  await screenshot(page, testInfo, 'settings-event-types');
  await page.close();
});
