// The endpoint page's "Verify in your receiver" snippets, run as a receiver would run them: each scheme's Node.js and
// Python code against a request the engine really sent (true), the same request with one byte more (false) and with
// another secret (false); the CLI line as written, through the built CLI.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { getScheme } from '../../src/main/engine/signing';
import type { SchemeName } from '../../src/shared';
import { type SnippetLanguage, verifySnippet } from '../../src/shared/verify-snippets';
import { cliRunner } from '../support/cli';
import { call, startEngine } from '../support/engine';
import { flatHeaders, startTestReceiver, type TestReceiver } from '../support/receiver';
import { tempDir } from '../support/temp';
import { waitFor } from '../support/wait';

const run = promisify(execFile);
const SCHEMES: SchemeName[] = ['standard', 'stripe', 'github', 'shopify'];
/** valid in form for every scheme (a Standard Webhooks secret is whsec_ + base64), and not the endpoint's */
const WRONG_SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

const receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

interface Sent {
  scheme: SchemeName;
  secret: string;
  body: string;
  headers: Record<string, string>;
}

/** One event to an endpoint of each scheme; what each received, with its endpoint's secret. */
async function sentRequests(): Promise<Sent[]> {
  const r = await startTestReceiver();
  receivers.push(r);
  const engine = await startEngine();
  const secrets = new Map<string, { scheme: SchemeName; secret: string }>();
  try {
    for (const scheme of SCHEMES) {
      const ep = await call(engine, 'endpoints.create', { url: `${r.url}/${scheme}`, scheme });
      secrets.set(`/${scheme}`, { scheme, secret: ep.secret as string });
    }
    await call(engine, 'events.create', { type: 'order.shipped', validate: false, data: { id: 'ord_1', note: 'é ✓' } });
    await waitFor(() => r.requests.length === SCHEMES.length);
  } finally {
    await engine.stop();
  }
  return r.requests.map((req) => {
    const s = secrets.get(req.path) as { scheme: SchemeName; secret: string };
    return { ...s, body: req.body, headers: flatHeaders(req.headers) };
  });
}

interface Check {
  body: string;
  headers: Record<string, string>;
  secret: string;
}

/** What the snippet's verify function answers for each check, run by node or python3 as a receiver would. */
async function runSnippet(
  language: Exclude<SnippetLanguage, 'cli'>,
  scheme: SchemeName,
  checks: Check[],
): Promise<boolean[]> {
  const dir = tempDir();
  const input = JSON.stringify(checks);
  if (language === 'node') {
    writeFileSync(join(dir, 'verify.mjs'), verifySnippet(scheme, 'node'));
    writeFileSync(
      join(dir, 'run.mjs'),
      `import { verifyWebhook } from './verify.mjs';
const checks = JSON.parse(${JSON.stringify(input)});
console.log(JSON.stringify(checks.map((c) => verifyWebhook(Buffer.from(c.body, 'utf8'), c.headers, c.secret))));
`,
    );
    const { stdout } = await run(process.execPath, [join(dir, 'run.mjs')]);
    return JSON.parse(stdout);
  }
  writeFileSync(join(dir, 'verify.py'), verifySnippet(scheme, 'python'));
  writeFileSync(
    join(dir, 'run.py'),
    `import json
from verify import verify_webhook
checks = json.loads(${JSON.stringify(input)})
print(json.dumps([verify_webhook(c["body"].encode("utf-8"), c["headers"], c["secret"]) for c in checks]))
`,
  );
  const { stdout } = await run('python3', [join(dir, 'run.py')], { cwd: dir });
  return JSON.parse(stdout);
}

describe('verify snippets', () => {
  it('every Node.js and Python snippet accepts what the engine sent and refuses a changed body or another secret', async () => {
    const sent = await sentRequests();
    expect(sent.map((s) => s.scheme).sort()).toEqual([...SCHEMES].sort());
    for (const s of sent) {
      const checks = [s, { ...s, body: `${s.body} ` }, { ...s, secret: WRONG_SECRET }];
      expect(await runSnippet('node', s.scheme, checks), `node ${s.scheme}`).toEqual([true, false, false]);
      expect(await runSnippet('python', s.scheme, checks), `python ${s.scheme}`).toEqual([true, false, false]);
    }
  });

  it('the schemes that sign a time refuse one more than 5 minutes off, either way', async () => {
    const body = '{"id":"evt_1","type":"order.shipped","data":{}}';
    const now = Math.floor(Date.now() / 1000);
    const secrets = { standard: `whsec_${Buffer.alloc(32, 9).toString('base64')}`, stripe: 'whsec_stripe-like' };
    for (const scheme of ['standard', 'stripe'] as const) {
      const secret = secrets[scheme];
      const at = (timestamp: number): Check => {
        const signed = getScheme(scheme).sign({
          msgId: 'msg_1',
          timestamp,
          body,
          secrets: [secret],
          eventType: 't',
          endpointId: 'e',
        });
        return {
          body,
          secret,
          headers: Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toLowerCase(), v])),
        };
      };
      const checks = [at(now), at(now - 240), at(now - 400), at(now + 400)];
      expect(await runSnippet('node', scheme, checks), `node ${scheme}`).toEqual([true, true, false, false]);
      expect(await runSnippet('python', scheme, checks), `python ${scheme}`).toEqual([true, true, false, false]);
    }
  });

  it('the CLI line verifies as written', async () => {
    const sent = await sentRequests();
    const runner = await cliRunner();
    for (const s of sent) {
      const dir = tempDir();
      writeFileSync(join(dir, 'headers.json'), JSON.stringify(s.headers));
      writeFileSync(join(dir, 'body.raw'), s.body);
      const line = verifySnippet(s.scheme, 'cli')
        .split('\n')
        .find((l) => l.startsWith('hookbench verify')) as string;
      const script = `hookbench() { "${process.execPath}" "${runner}" "$@"; }\n${line}`;
      const ok = await run('bash', ['-c', script], { cwd: dir, env: { ...process.env, WEBHOOK_SECRET: s.secret } });
      expect(ok.stdout, s.scheme).toMatch(/^verified/);
      const bad = run('bash', ['-c', script], { cwd: dir, env: { ...process.env, WEBHOOK_SECRET: WRONG_SECRET } });
      await expect(bad, s.scheme).rejects.toMatchObject({ code: 1 });
    }
  });
});
