// Catalog import in real Chromium against a real `hookbench serve`: Compose → Import, pick the example OpenAPI
// 3.1 file, Preview (nothing written yet), Import; the imported type is in the picker with its example, and
// Compose checks data against its bundled schema. Any page error or console error fails the test (fixtures.ts).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventType } from '../../src/shared';
import { expect, nav, restGet, screenshot, test } from './fixtures';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OPENAPI = join(ROOT, 'examples/catalog/openapi-webhooks.yaml');

const ownTypes = async (hb: Parameters<typeof restGet>[0]) =>
  (await restGet<{ data: EventType[] }>(hb, '/event-types')).data.filter((t) => !t.builtIn).map((t) => t.name);

test('imports event types from an OpenAPI 3.1 file after a preview, and Compose uses their schemas', async ({
  page,
  hookbench,
}, testInfo) => {
  await page.goto(hookbench.openUrl);
  await nav(page, 'Compose');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Import event types' });
  await dialog.getByLabel('Or a file').setInputFiles(OPENAPI);
  await expect(dialog.getByLabel(/OpenAPI 3.1 or AsyncAPI 3 document/)).toHaveValue(/Acme Billing webhooks/);
  await dialog.getByRole('button', { name: 'Preview' }).click();
  const plan = dialog.getByRole('region', { name: 'Import preview' });
  await expect(plan).toContainText('OpenAPI "Acme Billing webhooks": 3 to create, 0 to update, 1 skipped');
  await expect(plan).toContainText('ping');
  await expect(plan).toContainText('no application/json request body schema');
  await screenshot(page, testInfo, 'catalog-import-preview');
  expect(await ownTypes(hookbench)).toEqual([]); // the preview wrote nothing

  await dialog.getByRole('button', { name: 'Import 3 event types' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Imported 3 event types' }).first()).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  expect((await ownTypes(hookbench)).sort()).toEqual(['customer.deleted', 'invoice.finalized', 'subscription.renewed']);

  // The imported type loads its example, and its bundled schema ($refs resolved) flags a bad amount.
  const source = page.getByRole('combobox', { name: 'Event type' });
  await source.selectOption({ label: 'invoice.finalized' });
  const editor = page.getByRole('textbox', { name: 'Event data (JSON)' });
  await expect(editor).toContainText('in_1001');
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeEnabled();
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText('{"object": {"id": "in_1", "customer": "cus_1", "total": -5, "currency": "eur"}}');
  const problems = page.getByRole('list', { name: 'Problems' });
  await expect(problems).toContainText('object.total');
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeDisabled();
  await screenshot(page, testInfo, 'catalog-import-compose');
});
