// Copy as curl, replayed for real: the command the UI copies goes through /bin/sh and curl to a server on
// 127.0.0.1 that records what arrived; headers and body must be exactly those of the request.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { buildCurl } from '../../src/renderer/src/features/compose/curl';

const curl = ['/usr/bin/curl', '/bin/curl'].find((p) => existsSync(p));

test('a copied curl command sends the same headers and a byte-identical body', async () => {
  test.skip(!curl, 'curl is not installed');
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
  const body = JSON.stringify(
    { text: "quotes ' \" and $(dollar) `tick` \\ back\nnew line", emoji: 'é€😀', starts: '@file' },
    null,
    2,
  );
  const cmd = buildCurl({
    method: 'POST',
    url: `http://127.0.0.1:${port}/hook?x=1&y=$2`,
    headers: { 'content-type': 'application/json', 'webhook-signature': "v1,a'b c", 'x-empty': '', 'content-length': '1' },
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
