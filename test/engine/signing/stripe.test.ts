import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { getScheme } from '../../../src/main/engine/signing';
import type { SignInput } from '../../../src/main/engine/signing/types';

const scheme = getScheme('stripe');
const now = Math.floor(Date.now() / 1000);
const body = JSON.stringify({ id: 'evt_1', object: 'event', type: 'payment_intent.succeeded', data: { object: {} } });

function input(over: Partial<SignInput> = {}): SignInput {
  return {
    msgId: 'evt_1',
    timestamp: now,
    body,
    secrets: [scheme.generateSecret()],
    eventType: 'payment_intent.succeeded',
    endpointId: 'ep_1',
    ...over,
  };
}
const headerOf = (h: Record<string, string>) => h['Stripe-Signature'] as string;

describe('stripe scheme', () => {
  it("generates secrets that look like Stripe's", () => {
    const s = scheme.generateSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9]{32}$/);
    expect(scheme.generateSecret()).not.toBe(s);
  });

  it('signs t=<unix>,v1=<hex> and round-trips', () => {
    const i = input();
    const headers = scheme.sign(i);
    expect(Object.keys(headers)).toEqual(['Stripe-Signature']);
    expect(headerOf(headers)).toMatch(new RegExp(`^t=${now},v1=[0-9a-f]{64}$`));
    const verdict = scheme.verify({
      headers: { 'stripe-signature': headerOf(headers) },
      body,
      secret: i.secrets[0] as string,
      now,
    });
    expect(verdict).toEqual({ ok: true });
  });

  it('is accepted by stripe.webhooks.constructEvent', () => {
    const i = input();
    const event = Stripe.webhooks.constructEvent(body, headerOf(scheme.sign(i)), i.secrets[0] as string);
    expect(event.type).toBe('payment_intent.succeeded');
  });

  it("verifies Stripe's generateTestHeaderString", () => {
    const secret = scheme.generateSecret();
    const header = Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: now });
    expect(scheme.verify({ headers: { 'stripe-signature': header }, body, secret, now })).toEqual({ ok: true });
    expect(scheme.verify({ headers: { 'stripe-signature': header }, body: `${body} `, secret, now }).ok).toBe(false);
  });

  it('rejects a tampered body, a wrong secret, stale and future timestamps', () => {
    const i = input();
    const secret = i.secrets[0] as string;
    const headers = { 'stripe-signature': headerOf(scheme.sign(i)) };
    const tampered = body.replace('evt_1', 'evt_2');
    expect(scheme.verify({ headers, body: tampered, secret, now }).ok).toBe(false);
    expect(() => Stripe.webhooks.constructEvent(tampered, headers['stripe-signature'], secret)).toThrow();
    expect(scheme.verify({ headers, body, secret: scheme.generateSecret(), now }).ok).toBe(false);
    const stale = scheme.verify({ headers, body, secret, now: now + 301 });
    expect(!stale.ok && stale.reason).toMatch(/too old/);
    // Stripe's verifier agrees about the stale one (its receivedAt clock parameter is in milliseconds)
    const receivedAt = (now + 301) * 1000;
    expect(() =>
      Stripe.webhooks.constructEvent(body, headers['stripe-signature'], secret, 300, undefined, receivedAt),
    ).toThrow(/tolerance/);
    const future = scheme.verify({ headers, body, secret, now: now - 301 });
    expect(!future.ok && future.reason).toMatch(/too new/);
    expect(scheme.verify({ headers, body, secret, now: now + 299 }).ok).toBe(true);
  });

  it('during a rotation sends one v1= per secret; each verifies, with ours and with Stripe', () => {
    const current = scheme.generateSecret();
    const previous = scheme.generateSecret();
    const header = headerOf(scheme.sign(input({ secrets: [current, previous] })));
    expect(header.match(/v1=/g)).toHaveLength(2);
    for (const secret of [current, previous]) {
      expect(scheme.verify({ headers: { 'stripe-signature': header }, body, secret, now }).ok).toBe(true);
      expect(() => Stripe.webhooks.constructEvent(body, header, secret)).not.toThrow();
    }
  });

  it('ignores unknown elements such as v0= but requires t= and v1=', () => {
    const i = input();
    const secret = i.secrets[0] as string;
    const header = headerOf(scheme.sign(i));
    const v1 = header.split(',')[1] as string;
    const check = (h: string) => scheme.verify({ headers: { 'stripe-signature': h }, body, secret, now });
    expect(check(`${header},v0=deadbeef`).ok).toBe(true);
    expect(check(v1)).toEqual({ ok: false, reason: 'no t= timestamp in Stripe-Signature' });
    expect(check(`t=${now}`)).toEqual({ ok: false, reason: 'no v1= signature in Stripe-Signature' });
    expect(check(`t=${now},t=${now},${v1}`).ok).toBe(false);
  });
});
