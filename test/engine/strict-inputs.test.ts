// Inputs that cannot work are refused up front, naming what is wrong, and change nothing: framing, hop-by-hop and
// signature headers, URLs without a host, link-local and cloud metadata targets (unless settings allow them).
// No request is ever sent to those addresses here: dispatch is off and every assertion is on the refusal.
import { describe, expect, it } from 'vitest';
import { getScheme } from '../../src/main/engine/signing';
import { HttpUrl, linkLocalReason, ONE_SIGNATURE_SCHEMES, SCHEME_HEADERS, SchemeName } from '../../src/shared';
import { call, startEngine } from '../support/engine';

const LOCAL = 'http://127.0.0.1:9/hook';

describe('custom headers', () => {
  it('refuses framing and hop-by-hop headers on create, naming the header', async () => {
    const engine = await startEngine({ dispatch: false });
    for (const name of [
      'Host',
      'Content-Length',
      'Transfer-Encoding',
      'connection',
      'Keep-Alive',
      'Upgrade',
      'TE',
      'Trailer',
      'Expect',
      'Proxy-Authorization',
    ]) {
      await expect(
        call(engine, 'endpoints.create', { url: LOCAL, headers: { [name]: 'x' } }),
        name,
      ).rejects.toMatchObject({
        code: 'invalid_input',
        issues: [expect.objectContaining({ path: ['headers', name], message: expect.stringContaining(name) })],
      });
    }
    expect((await call(engine, 'endpoints.list', {})).data).toEqual([]);
    // ordinary headers are fine
    const ok = await call(engine, 'endpoints.create', {
      url: LOCAL,
      headers: { 'X-Team': 'blue', 'User-Agent': 'me' },
    });
    expect(ok.headers).toEqual({ 'X-Team': 'blue', 'User-Agent': 'me' });
  });

  it("refuses the scheme's own headers on create, and on update against the stored scheme", async () => {
    const engine = await startEngine({ dispatch: false });
    await expect(
      call(engine, 'endpoints.create', { url: LOCAL, headers: { 'Webhook-Signature': 'v1,forged' } }),
    ).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ['headers', 'Webhook-Signature'] })] });
    await expect(
      call(engine, 'endpoints.create', { url: LOCAL, scheme: 'github', headers: { 'X-Hub-Signature-256': 'x' } }),
    ).rejects.toMatchObject({ code: 'invalid_input' });

    const ep = await call(engine, 'endpoints.create', {
      url: LOCAL,
      scheme: 'stripe',
      headers: { 'webhook-id': 'mine' },
    });
    // a patch of headers alone meets the stored scheme (stripe)
    await expect(
      call(engine, 'endpoints.update', { id: ep.id, headers: { 'Stripe-Signature': 'x' } }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      issues: [expect.objectContaining({ path: ['headers', 'Stripe-Signature'] })],
    });
    // a new scheme meets the stored headers: webhook-id belongs to standard
    await expect(call(engine, 'endpoints.update', { id: ep.id, scheme: 'standard' })).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ['headers', 'webhook-id'] })],
    });
    expect(await call(engine, 'endpoints.get', { id: ep.id })).toMatchObject({
      scheme: 'stripe',
      headers: { 'webhook-id': 'mine' },
    });
    // webhooks.test to a bare URL follows the same rule
    await expect(
      call(engine, 'webhooks.test', { url: LOCAL, headers: { 'Transfer-Encoding': 'chunked' } }),
    ).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ['headers', 'Transfer-Encoding'] })] });
  });

  it('names exactly the headers each signer sets', () => {
    for (const scheme of SchemeName.options) {
      const secret = getScheme(scheme).generateSecret();
      const signed = getScheme(scheme).sign({
        msgId: 'm',
        timestamp: 1,
        body: '{}',
        secrets: [secret],
        eventType: 'a.b',
        endpointId: 'e',
      });
      expect(
        Object.keys(signed)
          .map((k) => k.toLowerCase())
          .sort(),
        scheme,
      ).toEqual([...SCHEME_HEADERS[scheme]].sort());
    }
  });

  it('names exactly the schemes whose signature a previous secret cannot join (no rotation grace for them)', () => {
    for (const scheme of SchemeName.options) {
      const s = getScheme(scheme);
      const [next, previous] = [s.generateSecret(), s.generateSecret()];
      const input = {
        msgId: 'm',
        timestamp: Math.floor(Date.now() / 1000),
        body: '{}',
        eventType: 'a.b',
        endpointId: 'e',
      };
      const headers = s.sign({ ...input, secrets: [next, previous] });
      const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
      const verifies = (secret: string) => s.verify({ headers: lower, body: '{}', secret, now: input.timestamp }).ok;
      expect(verifies(next), scheme).toBe(true);
      expect(!verifies(previous), scheme).toBe(ONE_SIGNATURE_SCHEMES.includes(scheme));
    }
  });
});

describe('target URLs', () => {
  it('accepts http and https with a host only', () => {
    for (const bad of ['http:/x', 'http:x', 'https:///x', 'ftp://h/', 'http://', 'mailto:a@b']) {
      expect(HttpUrl.safeParse(bad).success, bad).toBe(false);
    }
    for (const good of ['http://127.0.0.1:9/x', 'https://example.com', 'http://[::1]:8080/h?x=1']) {
      expect(HttpUrl.safeParse(good).success, good).toBe(true);
    }
  });

  it('recognises link-local and metadata hosts in their spellings; loopback and private stay allowed', () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://169.254.1.1:80/',
      'http://2852039166/',
      'http://0xa9.0xfe.0xa9.0xfe/',
      'http://[fd00:ec2::254]/',
      'http://[fe80::1]/',
      'http://[::ffff:169.254.169.254]/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://METADATA.google.internal./',
    ]) {
      expect(linkLocalReason(url), url).not.toBeNull();
    }
    for (const url of [
      'http://127.0.0.1:9/',
      'http://localhost/',
      'http://10.0.0.5/',
      'http://192.168.1.2/',
      'http://[::1]/',
      'http://172.16.0.1/',
    ]) {
      expect(linkLocalReason(url), url).toBeNull();
    }
  });

  it('refuses them for endpoints, test sends and the notification URL unless settings.allowLinkLocal', async () => {
    const engine = await startEngine({ dispatch: false });
    const metadata = 'http://169.254.169.254/latest/meta-data/iam';
    await expect(call(engine, 'endpoints.create', { url: metadata })).rejects.toMatchObject({
      code: 'invalid_input',
      issues: [{ path: ['url'], message: expect.stringContaining('allowLinkLocal') }],
    });
    const ep = await call(engine, 'endpoints.create', { url: LOCAL });
    await expect(
      call(engine, 'endpoints.update', { id: ep.id, url: 'http://metadata.google.internal/' }),
    ).rejects.toMatchObject({
      issues: [{ path: ['url'], message: expect.any(String) }],
    });
    await expect(call(engine, 'webhooks.test', { url: 'http://[fd00:ec2::254]/' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(call(engine, 'settings.update', { notificationUrl: metadata })).rejects.toMatchObject({
      issues: [{ path: ['notificationUrl'], message: expect.any(String) }],
    });
    expect(await call(engine, 'settings.get', {})).toMatchObject({ notificationUrl: null, allowLinkLocal: false });
    expect((await call(engine, 'endpoints.get', { id: ep.id })).url).toBe(LOCAL);

    // allowed on purpose (one patch may allow and set it); nothing is sent: dispatch is off
    const s = await call(engine, 'settings.update', { allowLinkLocal: true, notificationUrl: metadata });
    expect(s).toMatchObject({ allowLinkLocal: true, notificationUrl: metadata });
    expect((await call(engine, 'endpoints.create', { url: metadata, enabled: false })).url).toBe(metadata);
  });
});
