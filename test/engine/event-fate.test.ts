// How each event went (issue 13 items 4, 9, 10): events.get with every delivery's endpoint, status, attempts and
// last answer; deliveries.signNow re-signing a past delivery with the current time; the inbox's search.
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../support/clock';
import { call, startEngine } from '../support/engine';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';
import { send } from './receiver/helpers';

const receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

describe('events.get', () => {
  it('returns the event with each endpoint’s delivery: status, attempts, last HTTP status and error', async () => {
    const ok = await startTestReceiver();
    const failing = await startTestReceiver({ respond: () => ({ status: 500, body: 'down for maintenance' }) });
    receivers.push(ok, failing);
    const engine = await startEngine();
    await call(engine, 'settings.update', { retry: { maxAttempts: 1 }, autoDisable: { threshold: 0 } });
    const a = await call(engine, 'endpoints.create', { url: ok.url });
    const b = await call(engine, 'endpoints.create', { url: failing.url });
    const ev = await call(engine, 'events.create', { type: 'invoice.paid', validate: false, data: { amount: 42 } });
    const detail = await waitFor(async () => {
      const d = await call(engine, 'events.get', { id: ev.id });
      return d.deliveries.every((x) => x.status === 'succeeded' || x.status === 'failed') ? d : null;
    });
    expect(detail).toMatchObject({ id: ev.id, type: 'invoice.paid', data: { amount: 42 } });
    const byEndpoint = new Map(detail.deliveries.map((d) => [d.endpointId, d]));
    expect(byEndpoint.get(a.id)).toMatchObject({
      endpointUrl: ok.url,
      status: 'succeeded',
      attemptCount: 1,
      lastStatus: 200,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(byEndpoint.get(b.id)).toMatchObject({
      endpointUrl: failing.url,
      status: 'failed',
      attemptCount: 1,
      lastStatus: 500,
      lastError: 'HTTP 500',
    });
    // a deleted endpoint's deliveries stay, without a URL
    await call(engine, 'endpoints.delete', { id: b.id });
    const after = await call(engine, 'events.get', { id: ev.id });
    expect(after.deliveries.find((d) => d.endpointId === b.id)?.endpointUrl).toBeNull();
    await expect(call(engine, 'events.get', { id: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('deliveries.signNow', () => {
  it('re-signs a past delivery with the current time: a Standard Webhooks verifier accepts it now', async () => {
    const r = await startTestReceiver();
    receivers.push(r);
    const clock = new FakeClock(Date.now());
    const engine = await startEngine({ clock });
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const ep = await call(engine, 'endpoints.create', { url: r.url, secret, headers: { 'x-tenant': 'acme' } });
    const ev = await call(engine, 'events.create', { type: 'invoice.paid', validate: false, data: { amount: 42 } });
    const id = ev.deliveries![0]!.id;
    const sent = await waitFor(async () => {
      const d = await call(engine, 'deliveries.get', { id });
      return d.status === 'succeeded' ? d.attempts[0] : null;
    });
    // an hour later the as-sent request is stale for any verifier; the re-signed one is not
    clock.advance(3_600_000);
    const now = await call(engine, 'deliveries.signNow', { id });
    expect(now.signedAt).toBe(new Date(clock.now()).toISOString());
    expect(now.body).toBe(sent!.request.body);
    expect(now.url).toBe(ep.url);
    expect(now.headers['x-tenant']).toBe('acme');
    expect(now.headers['webhook-timestamp']).toBe(String(Math.floor(clock.now() / 1000)));
    const wh = new Webhook(secret);
    const headers = { ...now.headers };
    // the verifier checks against the real clock; the fake one was moved forward, so verify at that time
    const verifyAt = (h: Record<string, string>) => {
      const realNow = Date.now;
      Date.now = () => clock.now();
      try {
        return wh.verify(now.body, h);
      } finally {
        Date.now = realNow;
      }
    };
    expect(verifyAt(headers)).toMatchObject({ id: ev.id, data: { amount: 42 } });
    expect(() => verifyAt(sent!.request.headers)).toThrow();
    // nothing was sent or recorded
    expect(r.requests).toHaveLength(1);
    expect((await call(engine, 'deliveries.get', { id })).attempts).toHaveLength(1);
    // a deleted endpoint cannot sign any more
    await call(engine, 'endpoints.delete', { id: ep.id });
    await expect(call(engine, 'deliveries.signNow', { id })).rejects.toMatchObject({ code: 'conflict' });
    await expect(call(engine, 'deliveries.signNow', { id: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('deliveries.signNow, other schemes', () => {
  it('signs a waiting delivery for a Stripe-style endpoint: stripe.webhooks.constructEvent accepts it', async () => {
    const engine = await startEngine({ dispatch: false });
    const secret = 'whsec_stripe_style_secret_0001';
    await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/stripe', scheme: 'stripe', secret });
    const ev = await call(engine, 'events.create', {
      type: 'invoice.paid',
      validate: false,
      data: { object: { id: 'in_1' } },
    });
    const signed = await call(engine, 'deliveries.signNow', { id: ev.deliveries![0]!.id });
    const evt = Stripe.webhooks.constructEvent(signed.body, signed.headers['stripe-signature']!, secret);
    expect(evt.type).toBe('invoice.paid');
  });
});

describe('inboxes.requests q', () => {
  it('finds captured requests by text in the body, path or headers, case-insensitively, with paging', async () => {
    const engine = await startEngine({ inbox: {} });
    const inbox = await call(engine, 'inboxes.create', { name: 'search' });
    for (let i = 0; i < 5; i++) {
      await send(`${inbox.url}/orders/${i}`, {
        headers: { 'content-type': 'application/json', 'x-shop': i % 2 ? 'Shop-Odd' : 'shop-even' },
        body: JSON.stringify({ customer: i === 3 ? 'Ada_Lovelace 100%' : `customer ${i}` }),
      });
    }
    await waitFor(async () => (await call(engine, 'inboxes.requests', { id: inbox.id })).data.length === 5);
    const paths = async (q: string, limit = 50) =>
      (await call(engine, 'inboxes.requests', { id: inbox.id, q, limit })).data.map((r) => r.path.split('/').pop());
    expect(await paths('ada_lovelace')).toEqual(['3']);
    // LIKE wildcards in the text are literal
    expect(await paths('100%')).toEqual(['3']);
    expect(await paths('_')).toEqual(['3']);
    expect(await paths('/orders/4')).toEqual(['4']);
    expect(await paths('shop-odd')).toEqual(['3', '1']);
    expect(await paths('nothing like it')).toEqual([]);
    const first = await call(engine, 'inboxes.requests', { id: inbox.id, q: 'ORDERS', limit: 3 });
    expect(first.data.map((r) => r.path.split('/').pop())).toEqual(['4', '3', '2']);
    const second = await call(engine, 'inboxes.requests', {
      id: inbox.id,
      q: 'ORDERS',
      limit: 3,
      cursor: first.nextCursor!,
    });
    expect(second.data.map((r) => r.path.split('/').pop())).toEqual(['1', '0']);
    expect(second.nextCursor).toBeNull();
  });
});
