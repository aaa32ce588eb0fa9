import { describe, expect, it } from 'vitest';
import { runListen } from '../../src/main/cli/listen';
import { getScheme } from '../../src/main/engine/signing';
import { ListenFlags } from '../../src/shared';
import { send, signedStandard, waitUntil } from '../engine/receiver/helpers';
import { runCli, spawnCli } from '../support/cli';
import { startTestReceiver } from '../support/receiver';

/** Runs `listen` in-process on a free port; `stop()` ends it as SIGINT would. */
async function startListen(flags: Partial<ListenFlags>) {
  let out = '';
  let stop!: () => void;
  const until = new Promise<void>((r) => {
    stop = r;
  });
  const done = runListen(ListenFlags.parse({ port: 0, ...flags }), { out: (s) => (out += s), until });
  const url = await waitUntil(() => /Listening on (http:\/\/\S+)/.exec(out)?.[1]);
  return {
    url,
    output: () => out,
    stop: async () => {
      stop();
      await done;
    },
  };
}

describe('hookbench listen (in-process)', () => {
  it('prints a verified verdict, headers and a pretty body for a signed request', async () => {
    const secret = getScheme('standard').generateSecret();
    const l = await startListen({ secret });
    const body = JSON.stringify({ type: 'invoice.paid', data: { amount: 42 } });
    const res = await send(`${l.url}/webhooks?x=1`, { headers: signedStandard(secret, body, 'msg_1'), body });
    expect(res.status).toBe(200);
    await waitUntil(() => l.output().includes('verified'));
    await l.stop();
    const out = l.output();
    expect(out).toMatch(/POST \/webhooks\?x=1 {2}\d+ B {2}→ 200/);
    expect(out).toContain('✓ verified (standard)');
    expect(out).toContain('webhook-id: msg_1');
    expect(out).toContain('"amount": 42');
  });

  it('prints the reason for a tampered request and "no secret given" without a secret', async () => {
    const secret = getScheme('standard').generateSecret();
    const withSecret = await startListen({ secret });
    const body = '{"a":1}';
    await send(`${withSecret.url}/`, { headers: signedStandard(secret, body, 'msg_2'), body: '{"a":2}' });
    await waitUntil(() => withSecret.output().includes('✗'));
    await withSecret.stop();
    expect(withSecret.output()).toMatch(/✗ \S+/);

    const noSecret = await startListen({});
    await send(`${noSecret.url}/`, { body });
    await waitUntil(() => noSecret.output().includes('no secret given'));
    await noSecret.stop();
  });

  it('fails the first N requests of each webhook id with 500, then answers --status', async () => {
    const l = await startListen({ failFirst: 2, status: 202 });
    const statuses: number[] = [];
    for (const id of ['a', 'a', 'b', 'a', 'b', 'b']) {
      statuses.push((await send(`${l.url}/`, { headers: { 'webhook-id': id }, body: '{}' })).status);
    }
    await l.stop();
    expect(statuses).toEqual([500, 500, 500, 202, 500, 202]);
  });

  it('answers 401 to a signature that does not verify with --reject-unverified, 200 to a good one', async () => {
    const secret = getScheme('standard').generateSecret();
    const l = await startListen({ secret, rejectUnverified: true });
    const body = '{"a":1}';
    const bad = await send(`${l.url}/`, { headers: signedStandard(secret, body, 'msg_3'), body: '{"a":2}' });
    const good = await send(`${l.url}/`, { headers: signedStandard(secret, body, 'msg_4'), body });
    await waitUntil(() => l.output().includes('✓ verified'));
    await l.stop();
    expect([bad.status, good.status]).toEqual([401, 200]);
    expect(l.output()).toMatch(/→ 401\n {2}✗ \S+/);
  });

  it('forwards each request to --forward-to as received and prints the local answer; the sender gets the script', async () => {
    const app = await startTestReceiver({ respond: () => ({ status: 201, body: '{"seen":true}' }) });
    try {
      const secret = getScheme('standard').generateSecret();
      // no scheme, as people type it for `stripe listen --forward-to`
      const l = await startListen({ secret, status: 202, forwardTo: `127.0.0.1:${app.port}/webhooks` });
      expect(l.output()).toContain(`\nForwarding to http://127.0.0.1:${app.port}/webhooks\n`);
      const body = '{"type":"invoice.paid"}';
      const headers = { ...signedStandard(secret, body, 'msg_fw'), 'content-type': 'application/json' };
      const res = await send(`${l.url}/anything?x=1`, { headers, body });
      expect(res.status).toBe(202);
      await waitUntil(() => l.output().includes('⇢'));
      await l.stop();
      expect(app.requests).toHaveLength(1);
      const got = app.requests[0];
      expect(got).toMatchObject({ method: 'POST', path: '/webhooks', body });
      for (const h of ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'content-type']) {
        expect(got?.headers[h]).toBe(headers[h as keyof typeof headers]);
      }
      expect(l.output()).toMatch(
        new RegExp(`⇢ POST http://127\\.0\\.0\\.1:${app.port}/webhooks {2}→ 201 {2}\\d+ ms {2}\\(msg_fw\\)`),
      );
    } finally {
      await app.stop();
    }
  });

  it('says why a forward got no answer, and puts the answer in the JSON line with --json', async () => {
    const app = await startTestReceiver({ respond: () => ({ status: 500, body: 'boom' }) });
    const closed = await startTestReceiver();
    await closed.stop(); // a port nothing listens on any more: connection refused
    try {
      const refused = await startListen({ forwardTo: `http://127.0.0.1:${closed.port}/hook` });
      expect((await send(`${refused.url}/`, { body: '{}' })).status).toBe(200);
      await waitUntil(() => refused.output().includes('⇢'));
      await refused.stop();
      expect(refused.output()).toMatch(/⇢ POST http:\/\/127\.0\.0\.1:\d+\/hook {2}✗ connection refused/);

      const json = await startListen({ json: true, forwardTo: `${app.url}/hook` });
      await send(`${json.url}/j`, { headers: { 'webhook-id': 'msg_j' }, body: '{"a":1}' });
      await waitUntil(() => json.output().includes('"forward"'));
      await json.stop();
      const line = JSON.parse(
        json
          .output()
          .split('\n')
          .find((x) => x.startsWith('{')) ?? '',
      );
      expect(line).toMatchObject({
        path: '/j',
        webhookId: 'msg_j',
        responseStatus: 200,
        forward: { url: `${app.url}/hook`, status: 500, body: 'boom', error: null },
      });
    } finally {
      await app.stop();
    }
  });

  it('prints one JSON line per request with --json', async () => {
    const l = await startListen({ json: true });
    await send(`${l.url}/j`, { headers: { 'x-a': 'b' }, body: 'plain text' });
    await send(`${l.url}/k`, { body: '{}' });
    const secret = getScheme('standard').generateSecret();
    await send(`${l.url}/s`, { headers: signedStandard(secret, '{}', 'msg_json'), body: '{}' });
    await waitUntil(
      () =>
        l
          .output()
          .split('\n')
          .filter((x) => x.startsWith('{')).length === 3,
    );
    await l.stop();
    const lines = l
      .output()
      .split('\n')
      .filter((x) => x.startsWith('{'))
      .map((x) => JSON.parse(x));
    expect(lines[0]).toMatchObject({ method: 'POST', path: '/j', body: 'plain text', responseStatus: 200 });
    expect(lines[0].headers['x-a']).toBe('b');
    expect(lines[1]).toMatchObject({ path: '/k', verification: null, webhookId: null });
    // the id as sent, not the receiver's internal `webhook-id:` key
    expect(lines[2]).toMatchObject({ path: '/s', webhookId: 'msg_json' });
  });
});

describe('hookbench listen (as a process)', () => {
  it('prints the verdict of a signed request and stops with exit 0 on SIGINT', async () => {
    const secret = getScheme('standard').generateSecret();
    const child = await spawnCli(['listen', '--port', '0', '--secret', secret, '--status', '202']);
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      const url = await waitUntil(() => /Listening on (http:\/\/\S+)/.exec(out)?.[1], 60_000);
      const body = '{"type":"invoice.paid"}';
      const res = await send(`${url}/hook`, { headers: signedStandard(secret, body, 'msg_proc'), body });
      expect(res.status).toBe(202);
      await waitUntil(() => out.includes('✓ verified (standard)'));
      await send(`${url}/hook`, { headers: signedStandard(secret, body, 'msg_proc'), body: `${body} ` });
      await waitUntil(() => out.includes('✗'));
    } finally {
      if (child.pid) process.kill(child.pid, 'SIGINT');
    }
    expect(await exited).toBe(0);
  });

  it('rejects bad flags with exit 2 and a message', async () => {
    const res = await runCli(['listen', '--port', 'abc']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--port: must be a whole number from 0 to 65535, got "abc"');
    const scheme = await runCli(['listen', '--scheme', 'nope']);
    expect(scheme.code).toBe(2);
    expect(scheme.stderr).toMatch(/--scheme/);
    // a secret that could never verify is refused up front, naming the flag
    const secret = await runCli(['listen', '--port', '0', '--secret', 'notwhsec_x']);
    expect(secret.code).toBe(2);
    expect(secret.stderr).toContain('--secret: not a valid standard secret');
    // rejecting unverified requests needs a secret to verify them with
    const reject = await runCli(['listen', '--port', '0', '--reject-unverified']);
    expect(reject.code).toBe(2);
    expect(reject.stderr).toContain('--reject-unverified: needs --secret, the secret that verifies signatures');
    const forward = await runCli(['listen', '--port', '0', '--forward-to', 'ftp://127.0.0.1/x']);
    expect(forward.code).toBe(2);
    expect(forward.stderr).toContain('--forward-to: must be an http:// or https:// URL with a host');
  });

  it('refuses a --forward-to that is the listener itself (each request would come back forever), exit 2', async () => {
    const holder = await startTestReceiver();
    const port = new URL(holder.url).port;
    await holder.stop(); // a port just free: the listener takes it, and --forward-to names it
    const res = await runCli(['listen', '--port', port, '--forward-to', `localhost:${port}/hooks`]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      `--forward-to http://localhost:${port}/hooks is this listener (http://127.0.0.1:${port})`,
    );
    expect(res.stdout).not.toContain('Listening on');
  });

  it("says a held --port (exit 1) and a --host not of this machine (exit 2) in the flags' words", async () => {
    const holder = await startTestReceiver();
    try {
      const port = new URL(holder.url).port;
      const held = await runCli(['listen', '--port', port]);
      expect(held.code).toBe(1);
      expect(held.stderr).toContain(
        `hookbench: --port ${port}: 127.0.0.1:${port} is in use by another program: give another --port, or --port 0 for a free one`,
      );
    } finally {
      await holder.stop();
    }
    // TEST-NET-3 (RFC 5737): on no interface here; binding fails before any packet could be sent
    const foreign = await runCli(['listen', '--host', '203.0.113.7', '--port', '0']);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain('hookbench: --host 203.0.113.7: not an address of this machine');
  });
});
