// Issue 13 item 13 (and the long-URL part of 7) in real Chromium: attempts against a real receiver that answers
// 200 and one that answers 500, then the Endpoints list shows a sparkline per endpoint and long URLs cut in the
// middle, and an endpoint's page draws success rate, latency p50/p95 and a histogram of response codes with uPlot
// for the last hour / 24 h / 7 days. uPlot runs under the app's CSP: a violation is a console error, which fails
// the test (fixtures.ts).
import type { Endpoint, EndpointStatsOutput } from '../../src/shared';
import { expect, nav, oneAttemptEach, screenshot, test } from './fixtures';

test('health as pictures: sparklines in the list, charts per endpoint over three windows', async ({
  page,
  hookbench,
  receiver,
  failingReceiver,
}, testInfo) => {
  await oneAttemptEach(hookbench);
  const longUrl = `${receiver.url}/tenants/acme-corporation-international/webhooks/stripe/payments/v2/unique-tail-7f3a`;
  const good = await hookbench.call<Endpoint>('endpoints.create', { url: longUrl, eventTypes: ['order.*'] });
  const bad = await hookbench.call<Endpoint>('endpoints.create', { url: failingReceiver.url, eventTypes: ['user.*'] });
  for (let i = 0; i < 8; i++)
    await hookbench.call('events.create', { type: 'order.created', validate: false, data: { i } });
  for (let i = 0; i < 4; i++)
    await hookbench.call('events.create', { type: 'user.created', validate: false, data: { i } });
  await expect
    .poll(async () => {
      const s = await hookbench.call<EndpointStatsOutput>('endpoints.stats', { window: '1h' });
      return s.endpoints.reduce((n, e) => n + e.attempts, 0);
    })
    .toBe(12);

  await page.goto(hookbench.openUrl);
  await nav(page, 'Endpoints');
  const table = page.locator('table.endpoints-table');
  const goodRow = table.locator('tbody tr').filter({ hasText: 'unique-tail-7f3a' });
  // the unique end of the long URL stays visible; the full URL is on hover
  await expect(goodRow.locator('.middle-ellipsis-tail')).toBeVisible();
  await expect(goodRow.locator('.middle-ellipsis-tail')).toHaveText(/unique-tail-7f3a$/);
  await expect(goodRow.getByRole('link')).toHaveAttribute('title', longUrl);
  await expect(table.locator('.sparkline canvas')).toHaveCount(2);
  await expect(goodRow.getByRole('img')).toHaveAccessibleName('Last 24 h: 100% of 8 attempts succeeded');
  const badRow = table.locator('tbody tr').filter({ hasText: failingReceiver.url });
  await expect(badRow.getByRole('img')).toHaveAccessibleName('Last 24 h: 0% of 4 attempts succeeded');
  await screenshot(page, testInfo, 'endpoints-sparklines');

  await page.goto(`${hookbench.baseUrl}/#/endpoints/${bad.id}`);
  const charts = page.getByRole('region', { name: 'Health over time' });
  await expect(charts.locator('canvas')).toHaveCount(3);
  await expect(charts.getByRole('img', { name: /^Success rate: 0% of 4 attempts/ })).toBeVisible();
  await expect(charts.getByRole('list', { name: 'Response codes' })).toHaveText('500 4');
  await charts.getByText('Last hour').click();
  await expect(charts.getByRole('radio', { name: 'Last hour' })).toBeChecked();
  await expect(charts.locator('canvas')).toHaveCount(3);
  await charts.scrollIntoViewIfNeeded();
  await screenshot(page, testInfo, 'endpoint-health-1h');

  await page.goto(`${hookbench.baseUrl}/#/endpoints/${good.id}`);
  await expect(charts.getByRole('img', { name: /^Latency p50 \d/ })).toBeVisible();
  await charts.getByText('7 days').click();
  await expect(charts.getByRole('img', { name: /^Success rate: 100% of 8 attempts/ })).toBeVisible();
  await charts.scrollIntoViewIfNeeded();
  await screenshot(page, testInfo, 'endpoint-health-7d');
  await page.close();
});
