// Copy as curl must replay the request exactly: checked as text and by running the command through a real
// shell and a real curl against a server on 127.0.0.1 that records what it received.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildCurl, shellQuote } from '@renderer/features/compose/curl';
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

const hasCurl = existsSync('/usr/bin/curl') || existsSync('/bin/curl');

describe.skipIf(!hasCurl)('buildCurl through sh and curl', () => {
  it('sends the same headers and byte-identical body', async () => {
    const received: Array<{ method?: string; url?: string; headers: IncomingMessage['headers']; body: Buffer }> = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const body = JSON.stringify({ text: "quotes ' \" and $(dollar) `tick` \\ back\nnew line", emoji: 'é€😀', n: 1 }, null, 2);
    const cmd = buildCurl({
      method: 'POST',
      url: `http://127.0.0.1:${port}/hook?x=1&y=$2`,
      headers: { 'content-type': 'application/json', 'webhook-signature': "v1,a'b c", 'x-empty': '' },
      body,
    });
    try {
      await new Promise<void>((resolve, reject) =>
        execFile('/bin/sh', ['-c', `${cmd} --silent --show-error`], { timeout: 10_000 }, (err) =>
          err ? reject(err) : resolve(),
        ),
      );
    } finally {
      server.close();
    }
    expect(received).toHaveLength(1);
    const got = received[0];
    expect(got?.method).toBe('POST');
    expect(got?.url).toBe('/hook?x=1&y=$2');
    expect(got?.headers['webhook-signature']).toBe("v1,a'b c");
    expect(got?.headers['x-empty']).toBe('');
    expect(got?.headers['content-type']).toBe('application/json');
    expect(got?.body.equals(Buffer.from(body, 'utf8'))).toBe(true);
  });
});
