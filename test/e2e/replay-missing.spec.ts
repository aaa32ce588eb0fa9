// Replay missing events in real Chromium against a real `hookbench serve`: events fired before an endpoint existed
// are counted by the dialog's dry run, sent on confirm (the same webhook ids and bodies as the first endpoint got,
// oldest first), and show up in the endpoint's deliveries; a second look finds nothing missing.
import type { Endpoint } from '../../src/shared';
import { expect, oneAttemptEach, screenshot, test } from './fixtures';

test('replay missing: an endpoint made later gets the events it missed, counted first', async ({
  page,
  hookbench,
  receiver,
}, testInfo) => {
  await oneAttemptEach(hookbench);
  await hookbench.call<Endpoint>('endpoints.create', { url: `${receiver.url}/first`, eventTypes: ['order.*'] });
  for (const type of ['order.created', 'user.created', 'order.shipped']) {
    await hookbench.call('events.create', { type, validate: false, data: { type } });
  }
  await expect.poll(() => receiver.requests.length).toBe(2);
  const late = await hookbench.call<Endpoint>('endpoints.create', {
    url: `${receiver.url}/late`,
    description: 'Late',
    eventTypes: ['order.*'],
  });

  await page.goto(hookbench.openUrl);
  await page.goto(`${hookbench.baseUrl}/#/endpoints/${late.id}`);
  await page.getByRole('button', { name: 'Replay missing…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Replay missing events' });
  await expect(dialog.getByRole('status')).toHaveText('2 events to replay.');
  await screenshot(page, testInfo, 'replay-missing-dialog');
  await dialog.getByRole('button', { name: 'Replay 2 events' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Replayed 2 events')).toBeVisible();

  await expect.poll(() => receiver.requests.filter((r) => r.url.endsWith('/late')).length).toBe(2);
  const first = receiver.requests.filter((r) => r.url.endsWith('/first'));
  const toLate = receiver.requests.filter((r) => r.url.endsWith('/late'));
  expect(toLate.map((r) => r.headers['webhook-id'])).toEqual(first.map((r) => r.headers['webhook-id']));
  expect(toLate.map((r) => JSON.parse(r.body).type)).toEqual(['order.created', 'order.shipped']);
  const recent = page.getByRole('region', { name: 'Recent deliveries' });
  await expect(recent.getByText('Succeeded')).toHaveCount(2);

  await page.getByRole('button', { name: 'Replay missing…' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Nothing is missing in this range.');
  await expect(dialog.getByRole('button', { name: 'Replay', exact: true })).toBeDisabled();
  expect(receiver.requests).toHaveLength(4);
});
