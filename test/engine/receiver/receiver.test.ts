import { afterEach, describe, expect, it } from 'vitest';
import {
  type ReceivedRequest,
  type Receiver,
  type ReceiverTarget,
  startReceiver,
} from '../../../src/main/engine/receiver';
import { getScheme } from '../../../src/main/engine/signing';
import { type ResponseScript, ResponseScript as Script } from '../../../src/shared';
import { send, signedStandard, waitUntil } from './helpers';

const running: Receiver[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

async function listen(
  script: Partial<ResponseScript> = {},
  extra: { maxBodyBytes?: number; random?: () => number } = {},
) {
  const got: ReceivedRequest[] = [];
  const target: ReceiverTarget = { key: 't', script: Script.parse(script), verifyWith: null };
  const r = await startReceiver({
    routing: { kind: 'catchAll', target: () => target },
    onRequest: (req) => got.push(req),
    ...extra,
  });
  running.push(r);
  return { r, got, target };
}

describe('receiver: its URL', () => {
  it('names loopback when bound to every interface (0.0.0.0 is no address to connect to on Windows)', async () => {
    const got: ReceivedRequest[] = [];
    const target: ReceiverTarget = { key: 't', script: Script.parse({}), verifyWith: null };
    const r = await startReceiver({
      host: '0.0.0.0',
      routing: { kind: 'catchAll', target: () => target },
      onRequest: (req) => got.push(req),
    });
    running.push(r);
    expect(r.host).toBe('0.0.0.0');
    expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // and it answers there
    expect((await send(`${r.url}/hook`, { body: '{}' })).status).toBe(200);
    await waitUntil(() => got.length === 1);
  });
});

describe('receiver: capture', () => {
  it('keeps method, path with query, lower-cased headers, raw body bytes, size and remote', async () => {
    const { r, got } = await listen();
    const body = Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x22, 0x0a]); // not JSON, not UTF-8
    const res = await send(`${r.url}/hooks/a?x=1&y=2`, {
      method: 'PUT',
      headers: { 'X-Custom': 'Yes', 'content-type': 'application/octet-stream' },
      body,
    });
    expect(res.status).toBe(200);
    expect(got).toHaveLength(1);
    const c = got[0] as ReceivedRequest;
    expect(c.method).toBe('PUT');
    expect(c.path).toBe('/hooks/a?x=1&y=2');
    expect(c.headers['x-custom']).toBe('Yes');
    expect(c.headers['content-type']).toBe('application/octet-stream');
    expect(Buffer.compare(c.body, body)).toBe(0);
    expect(c.size).toBe(body.length);
    expect(c.truncated).toBe(false);
    expect(c.remote).toMatch(/127\.0\.0\.1/);
    expect(c.responseStatus).toBe(200);
    expect(c.verification).toBeNull();
  });

  it('cuts a body past the cap but records its full size, and still answers', async () => {
    const { r, got } = await listen({}, { maxBodyBytes: 1024 });
    const big = Buffer.alloc(3 * 1024 * 1024, 0x61);
    const res = await send(`${r.url}/`, { body: big });
    expect(res.status).toBe(200);
    const c = got[0] as ReceivedRequest;
    expect(c.body.length).toBe(1024);
    expect(c.size).toBe(big.length);
    expect(c.truncated).toBe(true);
  });

  it('captures malformed JSON as bytes, even with a Stripe signature header', async () => {
    const { r, got } = await listen();
    const res = await send(`${r.url}/`, { headers: { 'stripe-signature': 't=1,v1=00' }, body: '{"id": "evt_1", oops' });
    expect(res.status).toBe(200);
    expect((got[0] as ReceivedRequest).body.toString()).toBe('{"id": "evt_1", oops');
    expect((got[0] as ReceivedRequest).webhookId).toBeNull();
  });
});

describe('receiver: routing', () => {
  it('routes /in/<id> to that inbox and answers 404 JSON for an unknown inbox or another path', async () => {
    const target: ReceiverTarget = { key: 'inbox1', script: Script.parse({ status: 202 }), verifyWith: null };
    const got: ReceivedRequest[] = [];
    const r = await startReceiver({
      routing: { kind: 'inboxes', lookup: (id) => (id === 'inbox1' ? target : null) },
      onRequest: (req) => got.push(req),
    });
    running.push(r);
    expect((await send(`${r.url}/in/inbox1`)).status).toBe(202);
    expect((await send(`${r.url}/in/inbox1/sub/path?q=1`)).status).toBe(202);
    const unknown = await send(`${r.url}/in/nope`);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.code).toBe('not_found');
    expect((await send(`${r.url}/elsewhere`)).status).toBe(404);
    expect(got.map((g) => g.targetKey)).toEqual(['inbox1', 'inbox1']);
  });
});

describe('receiver: response scripts', () => {
  it('answers with the scripted status, headers and body', async () => {
    const { r } = await listen({ status: 418, headers: { 'x-teapot': 'short' }, body: 'I am a teapot' });
    const res = await send(`${r.url}/`);
    expect(res.status).toBe(418);
    expect(res.headers['x-teapot']).toBe('short');
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.body).toBe('I am a teapot');
  });

  it('waits delayMs before answering', async () => {
    const { r } = await listen({ delayMs: 300 });
    const t0 = Date.now();
    expect((await send(`${r.url}/`)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('fails the first N requests of each webhook id, counted per id', async () => {
    const { r, got } = await listen({ failFirst: 2, failStatus: 503 });
    const statusFor = async (id: string) =>
      (await send(`${r.url}/`, { headers: { 'webhook-id': id }, body: '{}' })).status;
    expect(await statusFor('a')).toBe(503);
    expect(await statusFor('b')).toBe(503);
    expect(await statusFor('a')).toBe(503);
    expect(await statusFor('a')).toBe(200);
    expect(await statusFor('b')).toBe(503);
    expect(await statusFor('b')).toBe(200);
    expect(got.map((g) => g.scriptedFailure)).toEqual([true, true, true, false, true, false]);
  });

  it('rejects a signature that does not verify with 401 before any failure rule, only where there is a verdict', async () => {
    const secret = getScheme('standard').generateSecret();
    const { r, got, target } = await listen({ rejectUnverified: true, failFirst: 1, failStatus: 503 });
    target.verifyWith = { scheme: 'standard', secrets: [secret] };
    const body = '{"type":"invoice.paid"}';
    const signed = (msgId: string) => signedStandard(secret, body, msgId);
    // tampered: 401 with the reason, counted toward no rule (the next good one is still the first of its id)
    const bad = await send(`${r.url}/`, { headers: signed('msg_1'), body: '{"type":"invoice.void"}' });
    expect(bad.status).toBe(401);
    expect(JSON.parse(bad.body)).toMatchObject({ error: 'signature not verified', reason: expect.any(String) });
    expect((await send(`${r.url}/`, { headers: signed('msg_1'), body })).status).toBe(503);
    expect((await send(`${r.url}/`, { headers: signed('msg_1'), body })).status).toBe(200);
    expect(got.map((g) => [g.responseStatus, g.scriptedFailure, g.verification?.verified])).toEqual([
      [401, true, false],
      [503, true, true],
      [200, false, true],
    ]);
    // nothing verifies (no secret): no verdict, so nothing to reject
    target.verifyWith = null;
    target.script = Script.parse({ rejectUnverified: true });
    expect((await send(`${r.url}/`, { body: '{}' })).status).toBe(200);
  });

  it('identifies webhooks by GitHub, Shopify and Stripe ids too', async () => {
    const { r } = await listen({ failFirst: 1 });
    const twice = async (init: { headers: Record<string, string>; body: string }) => [
      (await send(`${r.url}/`, init)).status,
      (await send(`${r.url}/`, init)).status,
    ];
    expect(await twice({ headers: { 'x-github-delivery': 'g1' }, body: '{}' })).toEqual([500, 200]);
    expect(await twice({ headers: { 'x-shopify-webhook-id': 's1' }, body: '{}' })).toEqual([500, 200]);
    const stripe = { headers: { 'stripe-signature': 't=1,v1=ab' }, body: '{"id":"evt_123","object":"event"}' };
    expect(await twice(stripe)).toEqual([500, 200]);
  });

  it('fails 0% never and 100% always', async () => {
    const never = await listen({ failPercent: 0 });
    const always = await listen({ failPercent: 100, failStatus: 502 });
    for (let i = 0; i < 5; i++) {
      expect((await send(`${never.r.url}/`)).status).toBe(200);
      expect((await send(`${always.r.url}/`)).status).toBe(502);
    }
  });

  it('fails the given share using the injected random source', async () => {
    const draws = [0.1, 0.9, 0.29, 0.3];
    const { r } = await listen({ failPercent: 30 }, { random: () => draws.shift() ?? 0.99 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await send(`${r.url}/`)).status);
    expect(statuses).toEqual([500, 200, 500, 200]);
  });

  it('takes a script change on the next request', async () => {
    const { r, target } = await listen({ status: 200 });
    expect((await send(`${r.url}/`)).status).toBe(200);
    target.script = Script.parse({ status: 410 });
    expect((await send(`${r.url}/`)).status).toBe(410);
  });

  it('hangs until the client gives up, captures the request, and stop() closes the hung socket', async () => {
    const { r, got } = await listen({ hang: true });
    await expect(send(`${r.url}/`, { body: 'x', headersTimeout: 300 })).rejects.toMatchObject({
      code: 'UND_ERR_HEADERS_TIMEOUT',
    });
    expect(got[0]?.responseStatus).toBeNull();
    // A second hung request still open when the receiver stops: stop() must resolve and the client sees the close.
    const pending = send(`${r.url}/`, { body: 'y' });
    await waitUntil(() => got.length === 2);
    await r.stop();
    await expect(pending).rejects.toBeTruthy();
    running.splice(running.indexOf(r), 1);
  });

  it('stop() also cancels delayed answers', async () => {
    const { r, got } = await listen({ delayMs: 60_000 });
    const pending = send(`${r.url}/`);
    await waitUntil(() => got.length === 1);
    await r.stop();
    await expect(pending).rejects.toBeTruthy();
    running.splice(running.indexOf(r), 1);
  });
});
