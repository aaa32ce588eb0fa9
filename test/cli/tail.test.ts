// `hookbench tail` as a user runs it beside a real serve: one line per attempt's outcome, the filters, a clean stop
// on SIGTERM, and clear errors for a bad flag, an unknown endpoint or a wrong token.
import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createClient, type HookbenchClient } from '../../src/client';
import { killAll } from '../support/children';
import { runCli, spawnCollecting } from '../support/cli';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { type Serve, startServe } from '../support/serve';
import { tempDbPath } from '../support/temp';
import { sleep, waitFor } from '../support/wait';

const children: ChildProcess[] = [];
const receivers: TestReceiver[] = [];
afterAll(() => killAll(children));
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

interface Setup {
  serve: Serve;
  client: HookbenchClient;
}

/** serve with two endpoints: `app` answers 200, `down` 503 (two attempts, 100 ms apart). */
async function setup(): Promise<Setup> {
  const serve = await startServe(tempDbPath());
  children.push(serve.child);
  const ok = await startTestReceiver();
  const down = await startTestReceiver({ respond: () => ({ status: 503 }) });
  receivers.push(ok, down);
  const client = createClient({ baseUrl: serve.url, token: serve.token });
  await client.call('settings.update', { retry: { maxAttempts: 2, initialDelayMs: 100, jitter: 0 } });
  await client.call('endpoints.create', { url: ok.url, description: 'app' });
  await client.call('endpoints.create', { url: down.url, description: 'down' });
  return { serve, client };
}

/**
 * An endpoint of its own for the `NAME.*` events, described NAME, on a receiver answering `status` (after `delayMs`),
 * with its own retry policy (`delayMs` apart, `maxAttempts` in all) and auto-disable threshold.
 */
async function ownEndpoint(
  s: Setup,
  name: string,
  answer: { status: number; delayMs?: number },
  policy: { retryDelayMs: number; maxAttempts: number; autoDisableThreshold: number | null },
) {
  const r = await startTestReceiver({ respond: () => answer });
  receivers.push(r);
  const { retryDelayMs: delay, maxAttempts, autoDisableThreshold } = policy;
  const retry = { initialDelayMs: delay, multiplier: 1, maxDelayMs: delay, maxAttempts, jitter: 0 };
  return s.client.call('endpoints.create', {
    url: r.url,
    description: name,
    eventTypes: [`${name}.*`],
    retry,
    autoDisableThreshold,
  });
}

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function tail(s: Setup, args: string[]) {
  const run = await spawnCollecting(['tail', '--server', s.serve.url, '--token', s.serve.token, ...args]);
  children.push(run.child);
  await waitFor(() => run.stderr().includes('Tailing deliveries'), { message: `tail to start (${run.stderr()})` });
  return { child: run.child, out: run.stdout, err: run.stderr, exit: run.exit.then((e) => e.code) };
}

/**
 * Fires `type` until tail prints a line matching `seen` (its event stream connects a moment after it starts, and
 * what happens before that is not its to print); at most 20 tries.
 */
async function fireUntilSeen(client: HookbenchClient, out: () => string, seen: RegExp, type = 'test.ping') {
  for (let i = 0; i < 20 && !seen.test(out()); i++) {
    await client.call('events.create', { type, data: {}, validate: false });
    await sleep(250);
  }
  await waitFor(() => seen.test(out()), { message: `tail to print ${seen}` });
}

describe('hookbench tail', () => {
  it("prints each attempt's outcome as it happens and stops on SIGTERM with exit 0", async () => {
    const s = await setup();
    const t = await tail(s, []);
    await fireUntilSeen(s.client, t.out, /succeeded {2}test\.ping {2}app {2}HTTP 200 \(1 attempt\) {2}\S+/);
    await s.client.call('events.create', { type: 'invoice.paid', validate: false, data: {} });
    await waitFor(() => /failed {5}invoice\.paid {2}down {2}HTTP 503 \(2 attempts, no retry left\)/.test(t.out()));
    expect(t.out()).toMatch(/pending {4}invoice\.paid {2}down {2}HTTP 503, attempt 1 of 2 failed: retrying/);
    // queued and sending steps are left out without --all
    expect(t.out()).not.toMatch(/ queued | in flight /);
    t.child.kill('SIGTERM');
    expect(await t.exit).toBe(0);
    s.client.close();
  });

  it('with --all also prints the sending steps, each attempt numbered of the ones its endpoint allows', async () => {
    const s = await setup();
    // an endpoint of its own policy (3 attempts) answering 503 slowly: the stream coalesces a delivery's updates
    // within 100 ms, so each attempt's sending step is seen only when the answer takes longer than that
    await ownEndpoint(
      s,
      'slow',
      { status: 503, delayMs: 400 },
      { retryDelayMs: 300, maxAttempts: 3, autoDisableThreshold: null },
    );
    const t = await tail(s, ['--all', '--endpoint', 'slow']);
    await fireUntilSeen(
      s.client,
      t.out,
      /sending {4}slow\.ping {2}slow {2}attempt 1 of 3 in flight {2}\S+/,
      'slow.ping',
    );
    const id = /attempt 1 of 3 in flight {2}(\S+)/.exec(t.out())?.[1] as string;
    // (a delivery not leased as it was written is queued first; retries come 300 ms apart, beyond the coalescing)
    const steps = () =>
      t
        .out()
        .split('\n')
        .filter((l) => l.endsWith(id) && !l.includes('  queued  '));
    await waitFor(() =>
      steps().some((l) => /failed {5}slow\.ping {2}slow {2}HTTP 503 \(3 attempts, no retry left\)/.test(l)),
    );
    const attempts = steps().map((l) => /attempt (\d of \d)( failed: retrying| in flight)/.exec(l)?.slice(1).join(''));
    expect(attempts).toEqual([
      '1 of 3 in flight',
      '1 of 3 failed: retrying',
      '2 of 3 in flight',
      '2 of 3 failed: retrying',
      '3 of 3 in flight',
      undefined,
    ]);
    t.child.kill('SIGTERM');
    expect(await t.exit).toBe(0);
    s.client.close();
  });

  it('says when an endpoint is disabled and why its deliveries pause: after failing, or by a person', async () => {
    const s = await setup();
    // fragile: disabled by its first failure (its own threshold of 1; one attempt, no retry)
    const fragile = await ownEndpoint(
      s,
      'fragile',
      { status: 500 },
      { retryDelayMs: 100, maxAttempts: 1, autoDisableThreshold: 1 },
    );
    // held: its delivery waits for a retry an hour away when a person disables it
    const held = await ownEndpoint(
      s,
      'held',
      { status: 503 },
      { retryDelayMs: 3_600_000, maxAttempts: 2, autoDisableThreshold: 0 },
    );
    const t = await tail(s, ['--endpoint', 'app', '--endpoint', 'fragile', '--endpoint', 'held']);
    await fireUntilSeen(s.client, t.out, /succeeded {2}test\.ping {2}app /); // the stream is connected

    await s.client.call('events.create', { type: 'fragile.ping', data: {}, validate: false });
    await waitFor(() => /failed {5}fragile\.ping {2}fragile {2}HTTP 500 \(1 attempt, no retry left\)/.test(t.out()));
    const notice = /endpoint fragile disabled: 1 consecutive failed attempts; last: HTTP 500 \(0 deliveries paused/;
    await waitFor(() => notice.test(t.err()), { message: t.err() });
    expect((await s.client.call('endpoints.get', { id: fragile.id })).disabledBy).toBe('auto');
    // what it misses meanwhile is kept, paused, and the line says why
    await s.client.call('events.create', { type: 'fragile.ping', data: {}, validate: false });
    const kept = /paused {5}fragile\.ping {2}fragile {2}paused: its endpoint was disabled after failing; sent when it/;
    await waitFor(() => kept.test(t.out()), { message: t.out() });

    await s.client.call('events.create', { type: 'held.ping', data: {}, validate: false });
    await waitFor(() => /pending {4}held\.ping {2}held {2}HTTP 503, attempt 1 of 2 failed: retrying/.test(t.out()));
    await s.client.call('endpoints.disable', { id: held.id });
    await waitFor(() => /paused {5}held\.ping {2}held {2}paused: its endpoint is disabled {2}\S+/.test(t.out()));
    const manual = /endpoint held disabled: Disabled manually \(1 delivery paused until it is enabled\)/;
    await waitFor(() => manual.test(t.err()), { message: t.err() });
    t.child.kill('SIGTERM');
    expect(await t.exit).toBe(0);
    s.client.close();
  });

  it('filters by endpoint, status and type family, one JSON object per line with --json', async () => {
    const s = await setup();
    const t = await tail(s, ['--json', '--endpoint', 'down', '--status', 'failed', '--type', 'invoice.*']);
    // fired to both endpoints until the stream is surely connected: only down's final failures of invoice.* print
    await fireUntilSeen(s.client, t.out, /"status":"failed"/, 'invoice.paid');
    await s.client.call('events.create', { type: 'test.ping', data: {} });
    await sleep(1_000);
    const lines = t
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      expect(l).toMatchObject({
        type: 'invoice.paid',
        status: 'failed',
        attemptCount: 2,
        maxAttempts: 2,
        lastStatus: 503,
      });
      expect(Number.isNaN(Date.parse(l.at as string))).toBe(false);
    }
    t.child.kill('SIGTERM');
    expect(await t.exit).toBe(0);
    s.client.close();
  });

  it("hides a Basic-auth password of an endpoint's URL in its lines and notices", async () => {
    const s = await setup();
    const r = await startTestReceiver();
    receivers.push(r);
    const url = `http://bob:hunter2pw@127.0.0.1:${r.port}/cred`;
    const ep = await s.client.call('endpoints.create', { url, eventTypes: ['cred.*'] });
    const hidden = `http://bob:•••@127.0.0.1:${r.port}/cred`;
    // named by its URL as stored (the one a person has), with the password
    const t = await tail(s, ['--endpoint', url]);
    await fireUntilSeen(
      s.client,
      t.out,
      new RegExp(`succeeded {2}cred\\.ping {2}${literal(hidden)} {2}HTTP 200`),
      'cred.ping',
    );
    await s.client.call('endpoints.disable', { id: ep.id });
    await waitFor(() => t.err().includes(`endpoint ${hidden} disabled: Disabled manually`), { message: t.err() });
    t.child.kill('SIGTERM');
    expect(await t.exit).toBe(0);
    expect(t.out() + t.err()).not.toContain('hunter2pw');
    s.client.close();
  });

  it('exits 2 for a bad flag or an unknown endpoint, 1 for a wrong token, with the reason', async () => {
    const s = await setup();
    const base = ['tail', '--server', s.serve.url, '--token', s.serve.token];
    const noServer = await runCli(['tail', '--token', 'x']);
    expect(noServer.code).toBe(2);
    expect(noServer.stderr).toContain('--server is required');
    const badStatus = await runCli([...base, '--status', 'done']);
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toContain('--status "done": Invalid option: expected one of');
    const unknown = await runCli([...base, '--endpoint', 'nobody']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--endpoint nobody: no endpoint has this id, URL or description (there are: app');
    const wrongToken = await runCli(['tail', '--server', s.serve.url, '--token', 'wrong']);
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stderr).toContain('Missing or wrong API token');
    s.client.close();
  });

  it('documents itself in --help', async () => {
    const help = await runCli(['tail', '--help']);
    expect(help.code).toBe(0);
    for (const text of ['--server', '--token', '--endpoint', '--type', '--status', '--all', '--json'])
      expect(help.stdout).toContain(text);
    expect(help.stdout).toContain('HTTP 503, attempt 1 of 5 failed: retrying');
  });
});
