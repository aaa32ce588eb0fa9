import { describe, expect, it } from 'vitest';
import { redactFields, redactUrl, redactUrlsIn } from '../../src/shared';

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
