// Issue 13 item 8: axe-core finds no serious or critical WCAG 2.1 A/AA violation on any page, the delivery
// inspector and the open dialogs of a seeded app (endpoints, deliveries that succeeded and failed, an inbox with
// captured requests, health charts). Real Chromium against a real `hookbench serve`.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { Endpoint, Inbox } from '../../src/shared';
import { expect, nav, test } from './fixtures';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** The serious and critical violations on the page as it is now, one line each (rule, impact, where). */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary ?? ''}`));
}

test('axe: no serious or critical violation on any page, the inspector and the dialogs', async ({
  page,
  hookbench,
  receiver,
  failingReceiver,
}) => {
  test.setTimeout(180_000);
  await hookbench.call('settings.update', {
    retry: { initialDelayMs: 0, maxDelayMs: 0, multiplier: 1, maxAttempts: 1, jitter: 0 },
  });
  const ok = await hookbench.call<Endpoint>('endpoints.create', { url: receiver.url, description: 'Billing' });
  await hookbench.call<Endpoint>('endpoints.create', { url: failingReceiver.url, eventTypes: ['user.*'] });
  // enough endpoints for Compose's target list to scroll
  for (let i = 0; i < 6; i++) {
    await hookbench.call('endpoints.create', {
      url: `${receiver.url}/t${i}`,
      description: `Team ${i}`,
      eventTypes: ['x.*'],
    });
  }
  const inbox = await hookbench.call<Inbox & { endpointId: string }>('inboxes.create', {
    name: 'Local',
    createEndpoint: { eventTypes: ['invoice.*'] },
  });
  await hookbench.call('events.create', { type: 'invoice.paid', validate: false, data: { object: { id: 'inv_1' } } });
  await hookbench.call('events.create', { type: 'user.created', validate: false, data: { id: 'u_1' } });
  // a type the catalog lacks: Settings › Event types lists it apart
  await hookbench.call('events.create', { type: 'build.finished', data: { ok: true } });
  await expect
    .poll(async () => (await hookbench.call<Inbox>('inboxes.get', { id: inbox.id })).requestCount)
    .toBeGreaterThan(0);

  const found: Record<string, string[]> = {};
  const check = async (name: string) => {
    found[name] = await seriousViolations(page);
  };

  await page.goto(hookbench.openUrl);
  await expect(page.getByRole('heading', { name: 'Endpoints', level: 1 })).toBeVisible();
  await expect(page.locator('.sparkline canvas').first()).toBeVisible();
  await check('endpoints');

  await page.goto(`${hookbench.baseUrl}/#/endpoints/${ok.id}`);
  await expect(page.getByRole('region', { name: 'Health over time' }).locator('canvas')).toHaveCount(3);
  await check('endpoint detail');
  await page.getByText('Verify signatures in your receiver').click();
  await expect(page.getByRole('tabpanel')).toContainText('verifyWebhook');
  await check('endpoint detail, verify code');
  await page.getByRole('button', { name: 'Replay missing…' }).click();
  await expect(page.getByRole('dialog', { name: 'Replay missing events' }).getByRole('status')).toHaveText(
    'Nothing is missing in this range.',
  );
  await check('replay missing dialog');
  await page.keyboard.press('Escape');

  await nav(page, 'Compose');
  await expect(page.getByRole('textbox', { name: 'Event data (JSON)' })).toContainText('inv_1042');
  await check('compose');
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByRole('region', { name: 'Preview' })).toBeVisible();
  await check('compose preview');

  await nav(page, 'Deliveries');
  const rows = page.getByRole('table', { name: 'Deliveries' }).locator('tbody tr[data-id]');
  await expect(rows.first()).toBeVisible();
  await check('deliveries');
  await rows.first().click();
  await expect(page.getByRole('complementary', { name: 'Delivery inspector' })).toBeVisible();
  await check('delivery inspector');
  await page.keyboard.press('Escape');

  await nav(page, 'Inbox');
  await expect(page.getByRole('table', { name: 'Captured requests' })).toBeVisible();
  await check('inbox');
  await page.getByRole('tab', { name: 'Response script' }).click();
  await check('inbox script');

  await nav(page, 'Settings');
  await expect(page.getByRole('button', { name: 'Save settings' })).toBeVisible();
  await check('settings');
  await page.getByRole('link', { name: 'Event types' }).click();
  await expect(page.getByRole('navigation', { name: 'Event types' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Fired, not in the catalog' })).toContainText('build.finished');
  await check('event types');

  await nav(page, 'Events');
  await page.getByRole('table', { name: 'Events' }).getByRole('link', { name: 'build.finished' }).click();
  await expect(page.getByRole('complementary', { name: 'Event detail' })).toContainText('Edit and resend');
  await check('event detail');
  await page.keyboard.press('Escape');

  await page.keyboard.press('?');
  await expect(page.getByRole('dialog')).toBeVisible();
  await check('shortcuts help');
  await page.keyboard.press('Escape');

  // the dark theme (prefers-color-scheme) has its own colours: the busiest pages again
  await page.emulateMedia({ colorScheme: 'dark' });
  await nav(page, 'Inbox');
  await expect(page.getByRole('table', { name: 'Captured requests' })).toBeVisible();
  await check('inbox (dark)');
  await nav(page, 'Deliveries');
  await rows.first().click();
  await expect(page.getByRole('complementary', { name: 'Delivery inspector' })).toBeVisible();
  await check('delivery inspector (dark)');
  await page.keyboard.press('Escape');
  await page.goto(`${hookbench.baseUrl}/#/endpoints/${ok.id}`);
  await expect(page.getByRole('region', { name: 'Health over time' }).locator('canvas')).toHaveCount(3);
  await page.getByText('Verify signatures in your receiver').click();
  await expect(page.getByRole('tabpanel')).toContainText('verifyWebhook');
  await check('endpoint detail (dark)');
  await nav(page, 'Compose');
  await expect(page.getByRole('textbox', { name: 'Event data (JSON)' })).toContainText('inv_1042');
  await check('compose (dark)');

  expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
  await page.close();
});
