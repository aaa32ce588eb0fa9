import { describe, expect, it } from 'vitest';
import {
  hideHeaderValue,
  hideUrlPassword,
  isSecretHeader,
  redactFields,
  redactUrl,
  redactUrlsIn,
} from '../../src/shared';

describe('redactUrl', () => {
  it('masks userinfo and every query value, keeping scheme, host, path and query names', () => {
    expect(redactUrl('https://user:pw@example.com/path?token=abc')).toBe('https://***@example.com/path?token=***');
    expect(redactUrl('http://127.0.0.1:8787/hook')).toBe('http://127.0.0.1:8787/hook');
    expect(redactUrl('https://h/p?a=1&b=&c#frag')).toBe('https://h/p?a=***&b=***&***#***');
    expect(redactUrl('https://only-user@h/')).toBe('https://***@h/');
    expect(redactUrl('not a url')).toBe('not a url');
  });

  it('finds URLs in free text and in nested log fields', () => {
    expect(redactUrlsIn('POST http://u:p@h:1/x?k=v failed: ECONNREFUSED')).toBe(
      'POST http://***@h:1/x?k=*** failed: ECONNREFUSED',
    );
    expect(redactFields({ url: 'https://a:b@h/?t=1', n: 3, list: ['http://h/?s=2'] })).toEqual({
      url: 'https://***@h/?t=***',
      n: 3,
      list: ['http://h/?s=***'],
    });
  });
});

describe('hideUrlPassword', () => {
  it("hides only a URL's password, keeping the user, host, path and query", () => {
    expect(hideUrlPassword('https://alice:s3cret@example.com:8443/hook?x=1')).toBe(
      'https://alice:•••@example.com:8443/hook?x=1',
    );
    expect(hideUrlPassword('http://alice:p%40ss@127.0.0.1/a@b')).toBe('http://alice:•••@127.0.0.1/a@b');
    for (const same of [
      'http://127.0.0.1:9/x',
      'http://alice@host/x',
      'http://alice:@host/x',
      'not a url',
      'http://h/p?u=a:b@c',
    ])
      expect(hideUrlPassword(same)).toBe(same);
  });
});

describe('secret header values', () => {
  it('knows credential headers by name and hides their value, keeping an auth scheme word', () => {
    for (const name of [
      'Authorization',
      'proxy-authorization',
      'Cookie',
      'X-Api-Key',
      'api_key'.replace('_', '-'),
      'X-Auth-Token',
      'X-Webhook-Secret',
      'X-Password',
    ])
      expect(isSecretHeader(name), name).toBe(true);
    for (const name of ['X-Tenant', 'Accept', 'X-Request-Id', 'User-Agent'])
      expect(isSecretHeader(name), name).toBe(false);
    expect(hideHeaderValue('Bearer abc.def')).toBe('Bearer •••');
    expect(hideHeaderValue('Basic YWxpY2U6cHc=')).toBe('Basic •••');
    expect(hideHeaderValue('sk_live_123')).toBe('•••');
  });
});
