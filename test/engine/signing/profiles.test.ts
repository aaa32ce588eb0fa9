import { verify as octokitVerify } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { profilesHandlers } from '../../../src/main/engine/api/profiles';
import { builtInEventTypes } from '../../../src/main/engine/db/built-in-event-types';
import { findFixture, profiles, renderBody, stripeEventId } from '../../../src/main/engine/profiles';
import { getScheme } from '../../../src/main/engine/signing';
import { Profile, routes } from '../../../src/shared';

const event = {
  id: '0b8c7a52-9a7e-4d39-9c3f-2f8c1f0f6a11',
  type: 'payment_intent.succeeded',
  version: '1',
  createdAt: '2024-06-20T10:15:21.000Z',
  data: { id: 'pi_1', object: 'payment_intent', amount: 2000, currency: 'usd' },
};

describe('renderBody', () => {
  it('standard: the Hookbench envelope', () => {
    expect(JSON.parse(renderBody('standard', event))).toEqual({
      id: event.id,
      type: event.type,
      version: '1',
      created_at: event.createdAt,
      data: event.data,
    });
  });

  it('stripe: a Stripe event object in Stripe key order', () => {
    const body = JSON.parse(renderBody('stripe', event));
    expect(Object.keys(body)).toEqual([
      'id',
      'object',
      'api_version',
      'created',
      'data',
      'livemode',
      'pending_webhooks',
      'request',
      'type',
    ]);
    expect(body).toEqual({
      id: stripeEventId(event.id),
      object: 'event',
      api_version: '2024-06-20',
      created: 1_718_878_521,
      data: { object: event.data },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: 'payment_intent.succeeded',
    });
    expect(body.id).toMatch(/^evt_[A-Za-z0-9]{24}$/);
    expect(stripeEventId('another-event')).not.toBe(body.id);
  });

  it('github and shopify: the raw data', () => {
    expect(renderBody('github', event)).toBe(JSON.stringify(event.data));
    expect(renderBody('shopify', event)).toBe(JSON.stringify(event.data));
  });

  it('is deterministic: the same event renders the same bytes for every scheme', () => {
    for (const scheme of ['standard', 'stripe', 'github', 'shopify'] as const) {
      expect(renderBody(scheme, { ...event, data: structuredClone(event.data) })).toBe(renderBody(scheme, event));
    }
  });

  it('refuses an event whose createdAt is not a date (stripe needs unix seconds)', () => {
    expect(() => renderBody('stripe', { ...event, createdAt: 'yesterday' })).toThrow(/createdAt/);
  });
});

describe('profiles', () => {
  it('match the contract, one per provider with its scheme', () => {
    for (const p of profiles) expect(Profile.parse(p)).toEqual(p);
    expect(profiles.map((p) => [p.name, p.scheme])).toEqual([
      ['generic', 'standard'],
      ['stripe', 'stripe'],
      ['github', 'github'],
      ['shopify', 'shopify'],
    ]);
  });

  it('carry the fixtures the issue names', () => {
    const types = Object.fromEntries(profiles.map((p) => [p.name, p.fixtures.map((f) => f.type)]));
    expect(types).toEqual({
      generic: ['invoice.paid', 'payment.completed', 'order.shipped', 'user.created'],
      stripe: [
        'payment_intent.succeeded',
        'invoice.paid',
        'checkout.session.completed',
        'customer.subscription.updated',
      ],
      github: ['push', 'pull_request', 'issues', 'ping'],
      shopify: ['orders/create', 'app/uninstalled'],
    });
  });

  it('generic fixtures are the built-in catalog examples', () => {
    const generic = profiles.find((p) => p.name === 'generic')?.fixtures ?? [];
    expect(generic.map((f) => f.data)).toEqual(builtInEventTypes.map((t) => t.example));
  });

  it('stripe fixtures are Stripe objects with id, object, created and livemode false', () => {
    for (const f of profiles.find((p) => p.name === 'stripe')?.fixtures ?? []) {
      const o = f.data as Record<string, unknown>;
      expect(o.id, f.type).toEqual(expect.any(String));
      expect(o.object, f.type).toEqual(expect.any(String));
      expect(o.created, f.type).toEqual(expect.any(Number));
      expect(o.livemode, f.type).toBe(false);
      expect(o.customer, f.type).toMatch(/^cus_/);
    }
  });

  it('github fixtures carry a repository and a sender', () => {
    for (const f of profiles.find((p) => p.name === 'github')?.fixtures ?? []) {
      expect(f.data, f.type).toMatchObject({
        repository: { full_name: expect.any(String) },
        sender: { login: expect.any(String) },
      });
    }
  });

  it('findFixture looks up one fixture', () => {
    expect(findFixture('stripe', 'invoice.paid')?.data).toMatchObject({ object: 'invoice' });
    expect(findFixture('generic', 'invoice.paid')?.data).not.toMatchObject({ object: 'invoice' });
    expect(findFixture('github', 'nope')).toBeUndefined();
  });

  it('profiles.list returns them in the route output shape', async () => {
    const out = await profilesHandlers()['profiles.list']({});
    expect(routes['profiles.list'].output.parse(out)).toEqual({ data: profiles, nextCursor: null });
  });
});

describe('a fixture rendered and signed is accepted by its provider verifier', () => {
  const now = Math.floor(Date.now() / 1000);
  const render = (profile: 'generic' | 'stripe' | 'github' | 'shopify', type: string) => {
    const p = profiles.find((x) => x.name === profile);
    const f = findFixture(profile, type);
    if (!p || !f) throw new Error(`no fixture ${profile}/${type}`);
    const body = renderBody(p.scheme, {
      id: 'msg_fixture_1',
      type,
      version: '1',
      createdAt: new Date(now * 1000).toISOString(),
      data: f.data,
    });
    const scheme = getScheme(p.scheme);
    const secret = scheme.generateSecret();
    const headers = scheme.sign({
      msgId: 'msg_fixture_1',
      timestamp: now,
      body,
      secrets: [secret],
      eventType: type,
      endpointId: 'ep_1',
    });
    return { body, headers, secret };
  };

  it('stripe checkout.session.completed via constructEvent', () => {
    const { body, headers, secret } = render('stripe', 'checkout.session.completed');
    const evt = Stripe.webhooks.constructEvent(body, headers['Stripe-Signature'] as string, secret);
    expect(evt.type).toBe('checkout.session.completed');
    expect((evt.data.object as { object: string }).object).toBe('checkout.session');
  });

  it('github push via @octokit/webhooks-methods', async () => {
    const { body, headers, secret } = render('github', 'push');
    expect(headers['X-GitHub-Event']).toBe('push');
    expect(await octokitVerify(secret, body, headers['X-Hub-Signature-256'] as string)).toBe(true);
  });

  it('generic invoice.paid via standardwebhooks', () => {
    const { body, headers, secret } = render('generic', 'invoice.paid');
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({ type: 'invoice.paid', id: 'msg_fixture_1' });
  });
});
