// Steps of the user stories, as a person does them in the window (the same as the HTTP e2e suite's).
import { expect, type Locator, type Page } from '@playwright/test';

export async function nav(page: Page, name: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: new RegExp(`^${name}`) })
    .click();
}

export async function createEndpoint(page: Page, url: string, description: string): Promise<void> {
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

export async function sendInvoicePaid(page: Page): Promise<void> {
  await nav(page, 'Compose');
  await expect(page.getByRole('textbox', { name: 'Event data (JSON)' })).toContainText('inv_1042');
  await expect(page.getByRole('combobox', { name: 'Event type' })).toHaveValue('type:invoice.paid');
  const send = page.getByRole('button', { name: 'Send', exact: true });
  await expect(send).toBeEnabled();
  await send.click();
  await expect(page.getByRole('status').filter({ hasText: 'Sent invoice.paid' }).first()).toBeVisible();
}

/** The delivery log's rows (the virtualised table renders only those on screen). */
export const logRows = (page: Page): Locator =>
  page.getByRole('table', { name: 'Deliveries' }).locator('tbody tr[data-id]');
