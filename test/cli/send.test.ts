import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/main/engine';
import { runCli, spawnCollecting } from '../support/cli';
import { startTestReceiver, type TestReceiver, type TestReceiverOptions } from '../support/receiver';
import { tempDir } from '../support/temp';
import { waitFor } from '../support/wait';

const receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});
async function receiver(respond?: TestReceiverOptions['respond']) {
  const r = await startTestReceiver({ respond });
  receivers.push(r);
  return r;
}

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

function flat(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
}

describe('hookbench send', () => {
  it('delivers a request the Standard Webhooks reference verifier accepts, prints the attempt, exits 0', async () => {
    const r = await receiver(() => ({ status: 200, headers: { 'x-answer': 'yes' }, body: '{"received":true}' }));
    const res = await runCli([
      'send',
      '--url',
      `${r.url}/hooks`,
      '--type',
      'invoice.paid',
      '--data',
      '{"object":{"id":"inv_9"}}',
      '--secret',
      SECRET,
      '--header',
      'X-Team: payments',
    ]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(r.requests).toHaveLength(1);
    const req = r.requests[0]!;
    const verified = new Webhook(SECRET).verify(req.body, flat(req.headers)) as Record<string, unknown>;
    expect(verified).toMatchObject({ type: 'invoice.paid', version: 'v1', data: { object: { id: 'inv_9' } } });
    expect(req.headers['x-team']).toBe('payments');
    expect(req.headers['user-agent']).toMatch(/^Hookbench\//);
    expect(res.stdout).toMatch(
      /Attempt 1: HTTP 200 in [\d.]+ ms \(connection [\d.]+ ms, waiting [\d.]+ ms, download [\d.]+ ms\)/,
    );
    expect(res.stdout).toContain('x-answer: yes');
    expect(res.stdout).toContain('{"received":true}');
    expect(res.stdout).toContain('Delivered');
    // the secret was given: it is not printed
    expect(res.stdout).not.toContain(SECRET);
  });

  it('exits 1 against a 500 receiver after the asked retries, printing each attempt', async () => {
    const r = await receiver(() => ({ status: 500, body: 'boom' }));
    const res = await runCli(['send', '--url', r.url, '--type', 'user.created', '--retries', '1', '--secret', SECRET]);
    expect(res.code).toBe(1);
    expect(r.requests).toHaveLength(2);
    expect(res.stdout).toContain('Attempt 1: HTTP 500');
    expect(res.stdout).toContain('Attempt 2: HTTP 500');
    expect(res.stdout).toContain('Not delivered after 2 attempts');
    // without --data a built-in type sends its catalog example
    expect(JSON.parse(r.requests[0]!.body).data.object.email).toBe('ada@example.com');
  });

  it('generates and prints a secret when none is given; --data @file and --json', async () => {
    const r = await receiver();
    const file = join(tempDir(), 'data.json');
    writeFileSync(file, '{"hello":"file"}');
    const res = await runCli(['send', '--url', r.url, '--type', 'x.y', '--data', `@${file}`, '--json']);
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out.status).toBe('succeeded');
    expect(out.secret).toMatch(/^whsec_/);
    expect(out.attempts).toHaveLength(1);
    const req = r.requests[0]!;
    expect(JSON.parse(req.body).data).toEqual({ hello: 'file' });
    expect(() => new Webhook(out.secret).verify(req.body, flat(req.headers))).not.toThrow();
  });

  it('sends a profile fixture with the profile scheme', async () => {
    const r = await receiver();
    const res = await runCli(['send', '--url', r.url, '--type', 'payment_intent.succeeded', '--profile', 'stripe']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(r.requests[0]!.headers['stripe-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}/);
    expect(JSON.parse(r.requests[0]!.body)).toMatchObject({ object: 'event', type: 'payment_intent.succeeded' });
  });

  it("stops at Ctrl+C: the delivery cancelled, a --db database's settings never changed, the send's endpoint gone, exit 130", async () => {
    const r = await receiver(() => ({ status: 503, body: 'down' }));
    const db = join(tempDir(), 'hookbench.db');
    const seed = await createEngine({ dbPath: db, inbox: false, dispatch: false });
    const before = await seed.handlers['settings.get']({});
    await seed.stop();

    // 20 retries, 0.5 s apart at first: the send waits for a long while
    const send = await spawnCollecting(['send', '--url', r.url, '--type', 'a.b', '--retries', '20', '--db', db]);
    try {
      await waitFor(() => send.stdout().includes('Attempt 2: HTTP 503'), { message: 'two attempts' });
      // while it runs, the database's settings are as they were: the quick retries are the send endpoint's own
      const during = await createEngine({ dbPath: db, inbox: false, dispatch: false });
      try {
        expect(await during.handlers['settings.get']({})).toEqual(before);
        const [own] = (await during.handlers['endpoints.list']({})).data;
        expect([own?.retry?.initialDelayMs, own?.retry?.maxAttempts, own?.autoDisableThreshold]).toEqual([500, 21, 0]);
      } finally {
        await during.stop();
      }
      send.child.kill('SIGINT');
      expect((await send.exit).code).toBe(130);
    } finally {
      if (send.child.exitCode === null) send.child.kill('SIGKILL');
    }
    expect(send.stderr()).toContain('hookbench send: SIGINT: stopping; cancelling the delivery first');
    expect(send.stdout()).toContain('Interrupted: not delivered (the delivery is cancelled)');
    const sent = r.requests.length;

    const after = await createEngine({ dbPath: db, inbox: false });
    try {
      expect(await after.handlers['settings.get']({})).toEqual(before);
      expect((await after.handlers['endpoints.list']({})).data).toEqual([]);
      const deliveries = (await after.handlers['deliveries.list']({ limit: 50 })).data;
      expect(deliveries.map((d) => d.status)).toEqual(['cancelled']);
      // an engine on that database (serve's, say) sends nothing more of it
      await new Promise((done) => setTimeout(done, 1_500));
      expect(r.requests.length).toBe(sent);
    } finally {
      await after.stop();
    }
  }, 40_000);

  it('stops at once at Ctrl+C while an attempt hangs, printing nothing after; the delivery is never sent again', async () => {
    const r = await receiver(() => ({ status: 500, delayMs: 20_000 }));
    const db = join(tempDir(), 'hookbench.db');
    for (const json of [false, true]) {
      const args = ['send', '--url', r.url, '--type', 'a.b', '--timeout', '30000', '--db', db];
      const send = await spawnCollecting(json ? [...args, '--json'] : args);
      let stoppedIn = 0;
      try {
        await waitFor(() => r.requests.length === (json ? 2 : 1), { message: 'the attempt to hang' });
        const t0 = Date.now();
        send.child.kill('SIGINT');
        expect((await send.exit).code).toBe(130);
        stoppedIn = Date.now() - t0;
      } finally {
        if (send.child.exitCode === null) send.child.kill('SIGKILL');
      }
      // not the 20 s the receiver takes to answer (about 0.5 s, the stop's grace; the bound leaves room for slow CI)
      expect(stoppedIn).toBeLessThan(8_000);
      const interrupted = 'Interrupted: not delivered (the delivery is cancelled)\n';
      if (json) {
        // stdout holds JSON only, and an interrupted send has no result
        expect(send.stdout()).toBe('');
        expect(send.stderr()).toContain(interrupted);
      } else {
        expect(send.stdout().endsWith(interrupted)).toBe(true);
        expect(send.stdout()).not.toContain('Attempt');
      }
    }

    // the next engine on that database cancels what was in flight (its endpoint is deleted) and sends nothing
    const after = await createEngine({ dbPath: db, inbox: false });
    try {
      await waitFor(async () => {
        const deliveries = (await after.handlers['deliveries.list']({ limit: 50 })).data;
        return deliveries.length === 2 && deliveries.every((d) => d.status === 'cancelled');
      });
      expect((await after.handlers['endpoints.list']({})).data).toEqual([]);
      await new Promise((done) => setTimeout(done, 500));
      expect(r.requests).toHaveLength(2);
    } finally {
      await after.stop();
    }
  }, 60_000);

  it('exits 1 when nothing listens', async () => {
    const r = await receiver();
    const url = r.url;
    await r.stop();
    receivers.length = 0;
    const res = await runCli(['send', '--url', url, '--type', 'user.created', '--secret', SECRET]);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('connection refused');
  });

  it.each([
    [['send', '--type', 'a.b'], /--url/],
    [['send', '--url', 'ftp://x', '--type', 'a.b'], /--url/],
    [['send', '--url', 'http://127.0.0.1:1', '--type', 'a b'], /--type/],
    [['send', '--url', 'http://127.0.0.1:1', '--type', 'a.b', '--data', '{nope'], /--data/],
    [['send', '--url', 'http://127.0.0.1:1', '--type', 'a.b', '--retries', 'many'], /--retries/],
    [['send', '--url', 'http://127.0.0.1:1', '--type', 'a.b', '--header', 'no colon'], /--header/],
    [['send', '--url', 'http://127.0.0.1:1', '--type', 'a.b', '--secret', 'not base64 at all!'], /secret/],
    [
      ['send', '--url', 'http://127.0.0.1:1', '--type', 'a.b', '--secret', 'notwhsec_x'],
      /^hookbench: --secret: not a valid standard secret/,
    ],
    [['send', '--url', 'http:/x', '--type', 'a.b'], /--url/],
    [['send', '--url', 'http://127.0.0.1:1', '--type', 'a.b', '--bogus'], /unknown option/],
    // what the engine refuses of the send's endpoint is bad usage too, named by its flag (nothing is sent)
    [
      ['send', '--url', 'http://169.254.169.254/latest', '--type', 'a.b'],
      /^hookbench: --url: 169\.254\.169\.254 is a link-local or cloud metadata address/,
    ],
    [
      ['send', '--url', 'http://127.0.0.1:1', '--type', 'a.b', '--header', 'Host: elsewhere'],
      /^hookbench: --header: Host is a framing or hop-by-hop header/,
    ],
  ])('bad flags exit 2 with a message: %j', async (args, message) => {
    const res = await runCli(args);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
  });
});
