import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { schemes } from '../../../src/main/engine/signing';
import type { VerifyInput } from '../../../src/main/engine/signing/types';
import type { SchemeName } from '../../../src/shared';

const now = 1_718_878_521;
const body = '{"id":"evt_1","amount":100}';
const names = Object.keys(schemes) as SchemeName[];

/** A genuine request for each scheme, lower-cased the way a receiver hands it over. */
function genuine(name: SchemeName): { headers: Record<string, string>; secret: string } {
  const scheme = schemes[name];
  const secret = scheme.generateSecret();
  const signed = scheme.sign({
    msgId: 'msg_1',
    timestamp: now,
    body,
    secrets: [secret],
    eventType: 'push',
    endpointId: 'ep_1',
  });
  return { headers: Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toLowerCase(), v])), secret };
}

describe.each(names)('%s verify on hostile input', (name) => {
  const scheme = schemes[name];
  const { headers, secret } = genuine(name);
  const sigHeader = scheme.signatureHeaders[0] as string;
  const check = (h: VerifyInput['headers'], over: Partial<VerifyInput> = {}) =>
    scheme.verify({ headers: h, body, secret, now, ...over });

  it('accepts the genuine request', () => {
    expect(check(headers)).toEqual({ ok: true });
  });

  it('rejects a missing, empty or duplicated signature header with a reason', () => {
    const { [sigHeader]: sig, ...rest } = headers;
    const missing = check(rest);
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.reason).toMatch(/missing/);
    expect(check({ ...headers, [sigHeader]: '' }).ok).toBe(false);
    const dup = check({ ...headers, [sigHeader]: [sig as string, sig as string] });
    expect(!dup.ok && dup.reason).toMatch(/duplicate/);
    // a one-element array is just the value
    expect(check({ ...headers, [sigHeader]: [sig as string] }).ok).toBe(true);
  });

  it('rejects truncated, extended and garbage signatures', () => {
    const sig = headers[sigHeader] as string;
    for (const bad of [
      sig.slice(0, -1),
      `${sig}0`,
      `${sig}==`,
      'garbage',
      'v1,',
      'sha256=',
      't=,v1=',
      '\u0000\uffff',
    ]) {
      expect(check({ ...headers, [sigHeader]: bad }).ok).toBe(false);
    }
  });

  it('rejects an empty body and a body with one byte changed', () => {
    expect(check(headers, { body: '' }).ok).toBe(false);
    const bytes = Buffer.from(body);
    bytes[5] = (bytes[5] ?? 0) ^ 1;
    expect(check(headers, { body: bytes }).ok).toBe(false);
  });

  it('never throws, whatever the headers, body, secret and clock', () => {
    const headerValue = fc.oneof(
      fc.string(),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.constant(undefined),
      fc.anything() as fc.Arbitrary<string>,
    );
    const headerName = fc.oneof(fc.constantFrom(...Object.keys(headers), '__proto__', 'constructor'), fc.string());
    fc.assert(
      fc.property(
        fc.dictionary(headerName, headerValue, { maxKeys: 6 }),
        fc.oneof(fc.string(), fc.uint8Array({ maxLength: 64 })),
        fc.string(),
        fc.oneof(fc.integer(), fc.constant(Number.NaN), fc.double()),
        fc.option(fc.oneof(fc.integer(), fc.double()), { nil: undefined }),
        (h, b, s, t, tol) => {
          const res = scheme.verify({ headers: { ...headers, ...h }, body: b, secret: s, now: t, toleranceSec: tol });
          expect(typeof res.ok).toBe('boolean');
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('timestamp headers on hostile input', () => {
  it.each(['standard', 'stripe'] as const)('%s rejects non-numeric, signed, fractional and huge timestamps', (name) => {
    const scheme = schemes[name];
    const { headers, secret } = genuine(name);
    const withTs = (ts: string): VerifyInput['headers'] =>
      name === 'standard'
        ? { ...headers, 'webhook-timestamp': ts }
        : { 'stripe-signature': (headers['stripe-signature'] as string).replace(/^t=\d+/, `t=${ts}`) };
    for (const ts of [
      'abc',
      '-1',
      '+1718878521',
      '1718878521.0',
      '1e9',
      '0x66741ab9',
      '99999999999999999999',
      ' ',
      '',
    ]) {
      const res = scheme.verify({ headers: withTs(ts), body, secret, now });
      expect(res.ok, ts).toBe(false);
    }
    const dup = scheme.verify({
      headers: name === 'standard' ? { ...headers, 'webhook-timestamp': [String(now), String(now)] } : headers,
      body,
      secret,
      now,
    });
    expect(dup.ok).toBe(name !== 'standard');
  });
});
