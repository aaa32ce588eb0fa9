// `hookbench serve --db postgres://…` in real Chromium: the workbench on PostgreSQL (a private cluster per test),
// and a second serve process on the same database whose deliveries show up live in the first one's UI.
import { expect, nav, openNewEndpoint, startServe, stopProcess, test } from './fixtures';

test.use({ database: 'postgres' });

test('the workbench on PostgreSQL: an endpoint, a sent event, its inspected delivery, and another process’s deliveries live', async ({
  page,
  hookbench,
  receiver,
}) => {
  await page.goto(hookbench.openUrl);
  // an endpoint, created in the UI
  const drawer = await openNewEndpoint(page);
  await drawer.getByLabel('Endpoint URL').fill(receiver.url);
  await drawer.getByRole('button', { name: 'Create endpoint' }).click();
  const created = page.getByRole('dialog', { name: 'Endpoint created' });
  await expect(created.getByTestId('created-secret')).toContainText('whsec_');
  await created.getByRole('button', { name: 'Open endpoint' }).click();

  // an event from the composer, delivered and inspected
  await nav(page, 'Compose');
  const send = page.getByRole('button', { name: 'Send', exact: true });
  await expect(send).toBeEnabled();
  await send.click();
  await expect(page.getByRole('status').filter({ hasText: 'Sent invoice.paid' }).first()).toBeVisible();
  await nav(page, 'Deliveries');
  const rows = page.getByRole('table', { name: 'Deliveries' }).locator('tbody tr[data-id]');
  await expect(rows.first()).toContainText(/succeeded/i);
  await rows.first().click();
  await expect(page.getByText('webhook-signature').first()).toBeVisible();
  expect(receiver.requests).toHaveLength(1);
  expect(receiver.requests[0]?.headers['webhook-signature']).toMatch(/^v1,/);

  // a second process on the same database (same data directory: the same token and key) sends an event; the first
  // process's UI shows that delivery live, without a reload
  const other = await startServe(hookbench.dir, hookbench.databaseUrl ?? undefined);
  try {
    const sent = await other.hb.call<{ id: string }>('events.create', {
      type: 'invoice.paid',
      data: { from: 'the-other-process' },
      validate: false,
    });
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toContainText(/succeeded/i);
    await expect.poll(() => receiver.requests.map((r) => JSON.parse(r.body).id)).toContain(sent.id);
  } finally {
    await stopProcess(other.child);
  }
});
