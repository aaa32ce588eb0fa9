import { afterEach, describe, expect, it } from 'vitest';
import { type ReceivedRequest, type Receiver, startReceiver } from '../../../src/main/engine/receiver';
import { getScheme } from '../../../src/main/engine/signing';
import { type SchemeName, ResponseScript as Script } from '../../../src/shared';
import { send } from './helpers';

const running: Receiver[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

async function verifyingReceiver(scheme: SchemeName, secrets: string[]) {
  const got: ReceivedRequest[] = [];
  const r = await startReceiver({
    routing: {
      kind: 'catchAll',
      target: () => ({ key: 'v', script: Script.parse({}), verifyWith: { scheme, secrets } }),
    },
    onRequest: (req) => got.push(req),
  });
  running.push(r);
  return { r, got };
}

function signed(scheme: SchemeName, secret: string, body: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    ...getScheme(scheme).sign({
      msgId: 'msg_2abc',
      timestamp: Math.floor(Date.now() / 1000),
      body,
      secrets: [secret],
      eventType: 'invoice.paid',
      endpointId: 'ep_1',
    }),
  };
}

const schemeNames: SchemeName[] = ['standard', 'stripe', 'github', 'shopify'];

describe.each(schemeNames)('receiver verdicts: %s', (scheme) => {
  const body = JSON.stringify({ id: 'evt_1', object: 'event', type: 'invoice.paid', data: { amount: 42 } });

  it('verifies a genuinely signed request', async () => {
    const secret = getScheme(scheme).generateSecret();
    const { r, got } = await verifyingReceiver(scheme, [secret]);
    await send(`${r.url}/hook`, { headers: signed(scheme, secret, body), body });
    expect(got[0]?.verification).toEqual({ scheme, verified: true, reason: null });
  });

  it('rejects a tampered body with a reason', async () => {
    const secret = getScheme(scheme).generateSecret();
    const { r, got } = await verifyingReceiver(scheme, [secret]);
    await send(`${r.url}/hook`, { headers: signed(scheme, secret, body), body: body.replace('42', '43') });
    expect(got[0]?.verification?.verified).toBe(false);
    expect(got[0]?.verification?.reason).toEqual(expect.any(String));
  });

  it('rejects a request signed with another secret', async () => {
    const { r, got } = await verifyingReceiver(scheme, [getScheme(scheme).generateSecret()]);
    const other = getScheme(scheme).generateSecret();
    await send(`${r.url}/hook`, { headers: signed(scheme, other, body), body });
    expect(got[0]?.verification?.verified).toBe(false);
  });

  it('verifies when any of the known secrets (rotation grace) matches', async () => {
    const current = getScheme(scheme).generateSecret();
    const previous = getScheme(scheme).generateSecret();
    const { r, got } = await verifyingReceiver(scheme, [current, previous]);
    await send(`${r.url}/hook`, { headers: signed(scheme, previous, body), body });
    expect(got[0]?.verification?.verified).toBe(true);
  });
});

describe('receiver verdicts: edge cases', () => {
  it('reports an unsigned request as not verified and a cut body as unverifiable', async () => {
    const secret = getScheme('standard').generateSecret();
    const got: ReceivedRequest[] = [];
    const r = await startReceiver({
      maxBodyBytes: 16,
      routing: {
        kind: 'catchAll',
        target: () => ({ key: 'v', script: Script.parse({}), verifyWith: { scheme: 'standard', secrets: [secret] } }),
      },
      onRequest: (req) => got.push(req),
    });
    running.push(r);
    await send(`${r.url}/`, { body: '{}' });
    const long = JSON.stringify({ padding: 'x'.repeat(100) });
    await send(`${r.url}/`, { headers: signed('standard', secret, long), body: long });
    expect(got[0]?.verification?.verified).toBe(false);
    expect(got[1]?.verification).toMatchObject({ verified: false, reason: expect.stringMatching(/capture limit/) });
  });
});
