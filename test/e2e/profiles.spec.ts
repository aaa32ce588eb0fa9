// Provider profiles of issue 5 in real Chromium against a real `hookbench serve`: an endpoint with the `stripe`
// scheme pointed at a new inbox (created in the UI, scheme changed on the endpoint page), the Stripe fixture
// `payment_intent.succeeded` sent from Compose, the inbox showing it with Stripe-Signature and a verified ✓
// verdict, and the captured request accepted by Stripe's own `Stripe.webhooks.constructEvent` in this process.
// Any page error or console error fails the test (fixtures.ts).
import Stripe from 'stripe';
import type { InboxRequest, RouteOutput } from '../../src/shared';
import { expect, nav, restGet, screenshot, test } from './fixtures';

test('an endpoint with the stripe scheme delivers a Stripe fixture that the inbox and constructEvent verify', async ({
  page,
  hookbench,
}, testInfo) => {
  await page.goto(hookbench.openUrl);
  await expect(page.getByRole('heading', { name: 'Endpoints', level: 1 })).toBeVisible();

  // 1. An endpoint pointed at a new inbox, in one click.
  await nav(page, 'Inbox');
  await page.getByRole('button', { name: 'Create endpoint with a new inbox' }).click();
  const created = page.getByRole('dialog', { name: 'Endpoint and inbox created' });
  await expect(created.getByTestId('endpoint-secret')).toContainText('whsec_');
  await created.getByRole('button', { name: 'Done' }).click();
  await expect(page).toHaveURL(/#\/inbox\/[^/?]+$/);
  const inboxId = decodeURIComponent(page.url().split('#/inbox/')[1] ?? '');

  // 2. On the endpoint page, switch its signature scheme to Stripe.
  await page.getByRole('link', { name: 'verifies for endpoint' }).click();
  await expect(page).toHaveURL(/#\/endpoints\/[^/?]+$/);
  const endpointId = decodeURIComponent(page.url().split('#/endpoints/')[1] ?? '');
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  const drawer = page.getByRole('dialog', { name: 'Edit endpoint' });
  await drawer.getByLabel('Signature scheme').selectOption('stripe');
  await drawer.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Endpoint saved' })).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  const config = page.getByRole('region', { name: 'Configuration' });
  await expect(config).toContainText(/Scheme\s*Stripe/);

  // 3. Compose the Stripe fixture payment_intent.succeeded; the preview shows the Stripe-signed request.
  await nav(page, 'Compose');
  const source = page.getByRole('combobox', { name: 'Event type' });
  await expect(source).toHaveValue('type:invoice.paid');
  await source.selectOption({ label: 'Stripe · payment_intent.succeeded' });
  const editor = page.getByRole('textbox', { name: 'Event data (JSON)' });
  await expect(editor).toContainText('"object": "payment_intent"');
  await expect(editor).toContainText('pi_3PTq2vLkdIwHu7ix0K8aUq4E');
  await page.getByRole('button', { name: 'Preview' }).click();
  const preview = page.getByRole('region', { name: 'Preview' }).getByRole('article');
  await expect(preview).toHaveCount(1);
  await expect(preview).toContainText(/stripe-signature/i);
  await expect(preview).toContainText(/t=\d+,v1=[0-9a-f]{64}/);
  await screenshot(page, testInfo, 'profiles-compose');
  const send = page.getByRole('button', { name: 'Send', exact: true });
  await expect(send).toBeEnabled();
  await send.click();
  await expect(page.getByRole('status').filter({ hasText: 'Sent payment_intent.succeeded' }).first()).toBeVisible();

  // 4. The inbox shows it: verified with the stripe scheme, Stripe-Signature, a Stripe event body.
  await nav(page, 'Inbox');
  await expect(page).toHaveURL(new RegExp(`#/inbox/${inboxId}$`));
  await expect(page.getByRole('tab', { name: 'Requests (1)' })).toBeVisible();
  const captured = page.getByRole('table', { name: 'Captured requests' }).locator('tbody tr');
  await expect(captured).toHaveCount(1);
  // the row names the Stripe event and keeps the scheme in the verdict's tooltip
  await expect(captured.first()).toContainText('payment_intent.succeeded');
  await expect(captured.first().locator('[data-verdict="verified"]')).toHaveAttribute('title', 'Verified (stripe)');
  await expect(captured.first().locator('td:nth-child(4)')).toHaveText('200');
  const detail = page.getByRole('region', { name: 'Request detail' });
  await expect(detail).toContainText('✓ Verified (stripe)');
  const headers = detail.getByRole('region', { name: 'Request headers' });
  await expect(headers).toContainText(/stripe-signature/i);
  await expect(headers).toContainText(/t=\d+,v1=[0-9a-f]{64}/);
  await expect(headers).not.toContainText('webhook-signature');
  const body = detail.getByRole('region', { name: 'Request body' });
  await expect(body).toContainText('"object": "event"');
  await expect(body).toContainText('"type": "payment_intent.succeeded"');
  await expect(body).toContainText(/"id": "evt_[A-Za-z0-9]{24}"/);
  await expect(body).toContainText('"livemode": false');
  await screenshot(page, testInfo, 'profiles-inbox');

  // 5. Stripe's own verifier accepts the captured bytes with the endpoint's secret (both fetched over REST).
  const listed = await restGet<{ data: InboxRequest[] }>(hookbench, `/inboxes/${inboxId}/requests`);
  expect(listed.data).toHaveLength(1);
  const req = listed.data[0] as InboxRequest;
  expect(req.verification).toEqual({ scheme: 'stripe', verified: true, reason: null });
  const signature = Object.entries(req.headers).find(([k]) => k.toLowerCase() === 'stripe-signature')?.[1];
  expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}/);
  const { secret } = await restGet<RouteOutput<'endpoints.secret'>>(hookbench, `/endpoints/${endpointId}/secret`);
  expect(secret).toMatch(/^whsec_/);
  const event = Stripe.webhooks.constructEvent(req.body, signature as string, secret);
  expect(event.object).toBe('event');
  expect(event.type).toBe('payment_intent.succeeded');
  expect(event.id).toMatch(/^evt_/);
  expect(event.livemode).toBe(false);
  const intent = event.data.object as { object?: string; id?: string; amount?: number };
  expect(intent).toMatchObject({ object: 'payment_intent', id: 'pi_3PTq2vLkdIwHu7ix0K8aUq4E', amount: 2000 });
  // ...and rejects the same request with one byte changed, or with another secret.
  const tampered = req.body.replace('"amount":2000', '"amount":2001');
  expect(tampered).not.toBe(req.body);
  expect(() => Stripe.webhooks.constructEvent(tampered, signature as string, secret)).toThrow();
  expect(() => Stripe.webhooks.constructEvent(req.body, signature as string, `${secret}x`)).toThrow();
  // Close the page before the fixture stops serve: otherwise its live stream reconnects into the stopping
  // server, which answers 403 "Host not allowed" once its socket is closed (transports/http/server.ts reads the
  // port from server.address(), null after close) and that console error would fail a test that passed.
  await page.close();
});
