// `hookbench run` as CI runs it: the shipped example scenarios pass, a broken expectation exits 1 with a JUnit
// <failure> saying what was seen, an invalid file exits 2 naming its line and field, and a run against a running
// serve (through hookbench/client) leaves its settings and endpoints as they were.
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client';
import { createEngine } from '../../src/main/engine';
import { ROOT } from '../support/bundle';
import { killAll } from '../support/children';
import { runCli, spawnCollecting } from '../support/cli';
import { startServe } from '../support/serve';
import { tempDbPath, tempDir } from '../support/temp';
import { waitFor } from '../support/wait';

const children: ChildProcess[] = [];
afterAll(() => killAll(children));

const examplesDir = join(ROOT, 'examples/scenarios');
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => join(examplesDir, f));

const broken = `name: broken expectation
settings: { retry: { initialDelayMs: 50, jitter: 0 } }
endpoints:
  app: { inbox: { failFirst: 1 } }
steps:
  - fire: { type: invoice.paid }
  - expect: { endpoint: app, status: succeeded, attempts: 1, within: 3s }
  - expect: { endpoint: app, status: succeeded, attempts: 2 }
`;

describe('hookbench run', () => {
  it('runs the example scenarios green and writes one JUnit testsuite per file', async () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
    const report = join(tempDir(), 'junit.xml');
    const res = await runCli(['run', ...examples, '--reporter', 'junit', '--output', report], { timeoutMs: 120_000 });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/PASS {2}5 scenario files, \d+ expectations: \d+ passed, 0 failed/);
    const xml = readFileSync(report, 'utf8');
    expect(xml.match(/<testsuite /g)).toHaveLength(examples.length);
    expect(xml).toContain('<testsuite name="auto-disable and recovery"');
    expect(xml).toMatch(/<testsuites name="hookbench run" tests="(\d+)" failures="0" errors="0"/);
    expect(xml).not.toContain('<failure');
  }, 150_000);

  it('exits 1 on a broken expectation with a JUnit <failure> saying what it saw, and keeps going', async () => {
    const file = join(tempDir(), 'broken.yaml');
    writeFileSync(file, broken);
    const res = await runCli(['run', file, '--reporter', 'junit']);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('<testsuite name="broken expectation"');
    expect(res.stdout).toContain('failures="1"');
    expect(res.stdout).toMatch(
      /<testcase name="app: succeeded, 1 attempt"[^>]*>\s*<failure message="expected 1 attempt, saw 2: 500 then 200 \(after 3000 ms\)" type="expectation">/,
    );
    // the next expectation still ran and passed
    expect(res.stdout).toMatch(/<testcase name="app: succeeded, 2 attempts"[^>]*\/>/);
  });

  it('a resend that has nothing to resend is a step error saying why, and the rest is skipped', async () => {
    const dir = tempDir();
    const unsettled = join(dir, 'unsettled.yaml');
    writeFileSync(
      unsettled,
      `name: still in flight
endpoints:
  slow: { inbox: { hang: true }, eventTypes: ['invoice.*'] }
  orders: { inbox: { status: 200 }, eventTypes: ['order.*'] }
steps:
  - fire: { type: invoice.paid, validate: false, data: {} }
  - resend: { endpoint: slow, within: 1s }
  - expect: { endpoint: slow, attempts: 2 }
`,
    );
    const unmatched = join(dir, 'unmatched.yaml');
    writeFileSync(
      unmatched,
      `name: not subscribed
endpoints:
  orders: { inbox: { status: 200 }, eventTypes: ['order.*'] }
steps:
  - fire: { type: invoice.paid, validate: false, data: {} }
  - resend: { endpoint: orders, within: 500ms }
`,
    );
    const res = await runCli(['run', unsettled, unmatched, '--reporter', 'json']);
    expect(res.code).toBe(1);
    const cases = JSON.parse(res.stdout).suites.flatMap((s: { cases: unknown[] }) => s.cases);
    expect(cases).toEqual([
      expect.objectContaining({
        name: 'step 2 (resend)',
        status: 'error',
        message:
          'conflict: the delivery of invoice.paid to slow was still sending after 1000 ms: nothing to resend yet',
      }),
      expect.objectContaining({ name: 'slow: 2 attempts', status: 'skipped' }),
      expect.objectContaining({
        name: 'step 2 (resend)',
        status: 'error',
        message: 'conflict: no delivery of invoice.paid to orders (does its filter match?)',
      }),
    ]);
  });

  it('exits 2 on an invalid file, naming the file, line and field, and runs nothing', async () => {
    const dir = tempDir();
    const good = join(dir, 'good.yaml');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(good, broken);
    writeFileSync(bad, broken.replace('status: succeeded, attempts: 2', 'status: delivered, attempts: 2'));
    const res = await runCli(['run', good, bad]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`invalid scenario ${bad}:8: steps.2.expect.status: Invalid option`);
    expect(res.stdout).toBe('');

    // a file that cannot be read says so, without a line number, and nothing runs either
    const missing = join(dir, 'missing.yaml');
    const unread = await runCli(['run', good, missing]);
    expect(unread.code).toBe(2);
    expect(unread.stderr).toBe(`hookbench: ${missing}: cannot read the file (ENOENT)\n`);
    expect(unread.stdout).toBe('');
  });

  it('prints a json report, and refuses conflicting flags with exit 2', async () => {
    const res = await runCli(['run', join(examplesDir, 'retry.yaml'), '--reporter', 'json']);
    expect(res.code).toBe(0);
    const report = JSON.parse(res.stdout);
    expect(report).toMatchObject({ ok: true, tests: 1, passed: 1, failed: 0 });
    expect(report.suites[0].cases[0].name).toBe(
      'app invoice.paid: succeeded, 2 attempts, response 200, signature verified',
    );

    const both = await runCli([
      'run',
      join(examplesDir, 'retry.yaml'),
      '--db',
      'x.db',
      '--server',
      'http://127.0.0.1:1',
    ]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--db: give --server or --db, not both');
    const noToken = await runCli(['run', join(examplesDir, 'retry.yaml'), '--server', 'http://127.0.0.1:1'], {
      env: { HOOKBENCH_TOKEN: '' },
    });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('--server needs --token');
  });

  it('runs against a running serve with --server and restores its settings and endpoints', async () => {
    const serve = await startServe(tempDbPath());
    children.push(serve.child);
    const client = createClient({ baseUrl: serve.url, token: serve.token });
    const before = await client.call('settings.get', {});
    const res = await runCli(['run', join(examplesDir, 'auto-disable.yaml'), '--server', serve.url], {
      env: { HOOKBENCH_TOKEN: serve.token },
      timeoutMs: 90_000,
    });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`against ${serve.url}`);
    expect(await client.call('settings.get', {})).toEqual(before);
    expect((await client.call('endpoints.list', {})).data).toEqual([]);
    expect((await client.call('inboxes.list', {})).data).toEqual([]);
    // the run happened there: its events are in the server's log
    expect((await client.call('events.list', {})).data.map((e) => e.type)).toContain('invoice.paid');
    client.close();
  }, 120_000);

  it('stops at Ctrl+C and still leaves a serve as found (settings restored, endpoints deleted), exit 130', async () => {
    const serve = await startServe(tempDbPath());
    children.push(serve.child);
    const client = createClient({ baseUrl: serve.url, token: serve.token });
    const before = await client.call('settings.get', {});
    const dir = tempDir();
    const long = join(dir, 'long.yaml');
    writeFileSync(
      long,
      `name: long wait
settings: { retry: { initialDelayMs: 100, maxAttempts: 3, jitter: 0 }, concurrency: 3 }
endpoints:
  app: { inbox: {} }
  other: { inbox: { status: 500 } }
steps:
  - fire: { type: order.created, data: { n: 1 } }
  - wait: 60s
  - expect: { endpoint: app, status: succeeded }
`,
    );
    const next = join(dir, 'next.yaml');
    writeFileSync(next, 'name: never started\nendpoints:\n  app: { inbox: {} }\nsteps:\n  - fire: { type: a.b }\n');
    const run = await spawnCollecting(['run', long, next, '--server', serve.url], {
      env: { ...process.env, HOOKBENCH_TOKEN: serve.token },
    });
    children.push(run.child);
    await waitFor(() => run.stdout().includes('fired order.created'), { message: 'the scenario to fire' });
    // mid-run, the scenario's settings and endpoints are on the serve; its retry policy is its endpoints' own, so the
    // serve's policy (every other endpoint's) is untouched
    const mid = await client.call('settings.get', {});
    expect(mid.concurrency).toBe(3);
    expect(mid.retry).toEqual(before.retry);
    const own = (await client.call('endpoints.list', {})).data;
    expect(own.map((e) => e.retry)).toEqual([
      { ...before.retry, initialDelayMs: 100, maxAttempts: 3, jitter: 0 },
      { ...before.retry, initialDelayMs: 100, maxAttempts: 3, jitter: 0 },
    ]);

    run.child.kill('SIGINT');
    // (the 60 s wait gives way: this test's 40 s budget would not cover it)
    expect((await run.exit).code).toBe(130);
    expect(run.stderr()).toContain(
      "hookbench run: SIGINT: stopping; restoring settings and deleting the scenario's endpoints first",
    );
    expect(run.stdout()).toContain('interrupted: the run stopped here');
    expect(run.stdout()).not.toContain('never started');
    expect(await client.call('settings.get', {})).toEqual(before);
    expect((await client.call('endpoints.list', {})).data).toEqual([]);
    expect((await client.call('inboxes.list', {})).data).toEqual([]);
    client.close();
  }, 40_000);

  it('restores the settings of a --db database', async () => {
    const db = tempDbPath();
    const res = await runCli(['run', join(examplesDir, 'retry.yaml'), '--db', db]);
    expect(res.code).toBe(0);
    const engine = await createEngine({ dbPath: db, inbox: false, dispatch: false });
    try {
      expect((await engine.handlers['settings.get']({})).retry.initialDelayMs).toBe(2_000);
      expect((await engine.handlers['events.list']({ limit: 10 })).data).toHaveLength(1);
    } finally {
      await engine.stop();
    }
  });

  it('documents itself in --help and prints the JSON Schema with --schema', async () => {
    const help = await runCli(['run', '--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--reporter', '--output', '--server', '--token', '--db', '--schema', 'expect'])
      expect(help.stdout).toContain(flag);
    const schema = await runCli(['run', '--schema']);
    expect(JSON.parse(schema.stdout)).toEqual(
      JSON.parse(readFileSync(join(examplesDir, 'scenario.schema.json'), 'utf8')),
    );
  });
});
