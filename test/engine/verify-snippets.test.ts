// The endpoint page's "Verify in your receiver" snippets, run as a receiver would run them: each scheme's Node.js and
// Python code against a request the engine really sent (true), the same request with one byte more (false) and with
// another secret (false); the CLI line as written, through the built CLI.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
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

async function runSnippet(language: Exclude<SnippetLanguage, 'cli'>, sent: Sent): Promise<boolean[]> {
  const dir = tempDir();
  const input = JSON.stringify({ ...sent, wrong: WRONG_SECRET });
  if (language === 'node') {
    writeFileSync(join(dir, 'verify.mjs'), verifySnippet(sent.scheme, 'node'));
    writeFileSync(
      join(dir, 'run.mjs'),
      `import { verifyWebhook } from './verify.mjs';
const d = JSON.parse(${JSON.stringify(input)});
const body = Buffer.from(d.body, 'utf8');
console.log(JSON.stringify([
  verifyWebhook(body, d.headers, d.secret),
  verifyWebhook(Buffer.concat([body, Buffer.from(' ')]), d.headers, d.secret),
  verifyWebhook(body, d.headers, d.wrong),
]));
`,
    );
    const { stdout } = await run(process.execPath, [join(dir, 'run.mjs')]);
    return JSON.parse(stdout);
  }
  writeFileSync(join(dir, 'verify.py'), verifySnippet(sent.scheme, 'python'));
  writeFileSync(
    join(dir, 'run.py'),
    `import json
from verify import verify_webhook
d = json.loads(${JSON.stringify(input)})
body = d["body"].encode("utf-8")
print(json.dumps([
    verify_webhook(body, d["headers"], d["secret"]),
    verify_webhook(body + b" ", d["headers"], d["secret"]),
    verify_webhook(body, d["headers"], d["wrong"]),
]))
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
      expect(await runSnippet('node', s), `node ${s.scheme}`).toEqual([true, false, false]);
      expect(await runSnippet('python', s), `python ${s.scheme}`).toEqual([true, false, false]);
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
