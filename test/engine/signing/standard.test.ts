import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { getScheme } from '../../../src/main/engine/signing';
import type { SignInput } from '../../../src/main/engine/signing/types';

const scheme = getScheme('standard');
const now = Math.floor(Date.now() / 1000);
const body = JSON.stringify({ id: 'msg_1', type: 'invoice.paid', data: { amount: 4900, note: 'café ☕' } });

function input(over: Partial<SignInput> = {}): SignInput {
  return {
    msgId: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
    timestamp: now,
    body,
    secrets: [scheme.generateSecret()],
    eventType: 'invoice.paid',
    endpointId: 'ep_1',
    ...over,
  };
}

/** sign() output with lower-cased names, as a receiver hands them to verify() */
const lower = (h: Record<string, string>) =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

describe('standard scheme', () => {
  it('generates whsec_ + base64 of 32 bytes, different each time', () => {
    const a = scheme.generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(scheme.generateSecret()).not.toBe(a);
  });

  it('round-trips and sends the three Standard Webhooks headers', () => {
    const i = input();
    const headers = scheme.sign(i);
    expect(Object.keys(headers).sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
    expect(headers['webhook-id']).toBe(i.msgId);
    expect(headers['webhook-timestamp']).toBe(String(now));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(scheme.verify({ headers: lower(headers), body, secret: i.secrets[0] as string, now })).toEqual({ ok: true });
    // the body as bytes verifies the same
    expect(
      scheme.verify({ headers: lower(headers), body: Buffer.from(body), secret: i.secrets[0] as string, now }).ok,
    ).toBe(true);
  });

  it('is verified by the standardwebhooks reference library', () => {
    const i = input();
    const headers = scheme.sign(i);
    expect(new Webhook(i.secrets[0] as string).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it("verifies the reference library's signatures", () => {
    const secret = scheme.generateSecret();
    const wh = new Webhook(secret);
    const msgId = 'msg_ref_1';
    const sig = wh.sign(msgId, new Date(now * 1000), body);
    const headers = { 'webhook-id': msgId, 'webhook-timestamp': String(now), 'webhook-signature': sig };
    expect(scheme.verify({ headers, body, secret, now })).toEqual({ ok: true });
    // a secret without the whsec_ prefix is read as raw base64, like the reference library does
    expect(scheme.verify({ headers, body, secret: secret.slice(6), now }).ok).toBe(true);
  });

  it('rejects a body with one byte changed, a wrong secret, a changed id', () => {
    const i = input();
    const headers = lower(scheme.sign(i));
    const secret = i.secrets[0] as string;
    const tampered = body.replace('4900', '4901');
    expect(scheme.verify({ headers, body: tampered, secret, now })).toEqual({
      ok: false,
      reason: 'no matching signature',
    });
    expect(() => new Webhook(secret).verify(tampered, headers)).toThrow();
    expect(scheme.verify({ headers, body, secret: scheme.generateSecret(), now }).ok).toBe(false);
    expect(scheme.verify({ headers: { ...headers, 'webhook-id': 'msg_other' }, body, secret, now }).ok).toBe(false);
  });

  it('rejects stale and future timestamps, accepts the edges of the tolerance', () => {
    const i = input();
    const secret = i.secrets[0] as string;
    const headers = lower(scheme.sign(i));
    const at = (t: number, tol?: number) => scheme.verify({ headers, body, secret, now: t, toleranceSec: tol });
    expect(at(now + 300).ok).toBe(true);
    expect(at(now - 300).ok).toBe(true);
    const old = at(now + 301);
    expect(old.ok).toBe(false);
    expect(!old.ok && old.reason).toMatch(/too old/);
    const future = at(now - 301);
    expect(!future.ok && future.reason).toMatch(/too new/);
    expect(at(now + 1000, 3600).ok).toBe(true);
    expect(at(now + 2, 1).ok).toBe(false);
  });

  it('during a rotation every secret signs and each one verifies alone', () => {
    const current = scheme.generateSecret();
    const previous = scheme.generateSecret();
    const headers = scheme.sign(input({ secrets: [current, previous] }));
    const parts = (headers['webhook-signature'] as string).split(' ');
    expect(parts).toHaveLength(2);
    for (const p of parts) expect(p).toMatch(/^v1,/);
    for (const secret of [current, previous]) {
      expect(scheme.verify({ headers: lower(headers), body, secret, now }).ok).toBe(true);
      expect(() => new Webhook(secret).verify(body, headers)).not.toThrow();
    }
    expect(scheme.verify({ headers: lower(headers), body, secret: scheme.generateSecret(), now }).ok).toBe(false);
  });

  it('keeps the same signature for the same input (retries re-sign deterministically)', () => {
    const i = input();
    expect(scheme.sign(i)).toEqual(scheme.sign(i));
  });

  it('refuses to sign with a secret that is not base64, or with none', () => {
    expect(() => scheme.sign(input({ secrets: ['whsec_not base64!'] }))).toThrow(/whsec_/);
    expect(() => scheme.sign(input({ secrets: [] }))).toThrow(/no secret/);
  });
});
