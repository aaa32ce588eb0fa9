// Copy as curl must replay the request exactly. The text is checked here; test/e2e/curl-replay.spec.ts runs
// it through a real shell and curl (it needs Node, which this DOM-typed project does not have).
import { buildCurl } from '@renderer/features/compose/curl';
import { shellQuote } from '@shared';
import { describe, expect, it } from 'vitest';

describe('shellQuote', () => {
  it('wraps in single quotes and escapes embedded single quotes', () => {
    expect(shellQuote('plain')).toBe("'plain'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('$HOME `x` "y" \\n')).toBe(`'$HOME \`x\` "y" \\n'`);
  });
});

describe('buildCurl', () => {
  it('prints URL, headers in order and the body with --data-binary', () => {
    const cmd = buildCurl({
      method: 'POST',
      url: 'http://127.0.0.1:4000/hooks?a=1&b=2',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'evt_1',
        'webhook-signature': 'v1,abc+/=',
        'content-length': '17',
        'x-note': "O'Brien",
        'x-empty': '',
      },
      body: '{"msg":"it\'s"}',
    });
    expect(cmd).toBe(
      [
        "curl 'http://127.0.0.1:4000/hooks?a=1&b=2'",
        "-H 'content-type: application/json'",
        "-H 'webhook-id: evt_1'",
        "-H 'webhook-signature: v1,abc+/='",
        `-H 'x-note: O'\\''Brien'`,
        "-H 'x-empty;'",
        `--data-binary '{"msg":"it'\\''s"}'`,
      ].join(' \\\n  '),
    );
  });

  it('names other methods and never lets a leading @ read a file', () => {
    expect(buildCurl({ method: 'put', url: 'http://x', headers: {}, body: '@/etc/passwd' })).toBe(
      "curl -X PUT 'http://x' \\\n  --data-raw '@/etc/passwd'",
    );
    expect(buildCurl({ method: 'GET', url: 'http://x', headers: {}, body: '' })).toBe("curl -X GET 'http://x'");
  });
});
