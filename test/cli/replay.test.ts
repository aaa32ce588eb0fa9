// `hookbench replay` as a user runs it beside a real serve: an endpoint made after the events gets the ones it
// missed (counted first with --dry-run), a second run finds nothing, and bad flags, an unknown endpoint, a range
// that ends before it starts or an endpoint disabled by hand are clear errors that send nothing.
import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client';
import { sinceToIso } from '../../src/shared';
import { killAll } from '../support/children';
import { runCli } from '../support/cli';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { startServe } from '../support/serve';
import { tempDbPath } from '../support/temp';
import { waitFor } from '../support/wait';

const children: ChildProcess[] = [];
const receivers: TestReceiver[] = [];
afterAll(() => killAll(children));
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

describe('hookbench replay', () => {
  it('gives an endpoint made later the events it missed, oldest first, once', async () => {
    const serve = await startServe(tempDbPath());
    children.push(serve.child);
    const r = await startTestReceiver();
    receivers.push(r);
    const client = createClient({ baseUrl: serve.url, token: serve.token });
    await client.call('endpoints.create', { url: `${r.url}/first`, eventTypes: ['order.*'] });
    for (const type of ['order.created', 'user.created', 'order.shipped']) {
      await client.call('events.create', { type, validate: false, data: { type } });
    }
    await waitFor(() => r.requests.length === 2);
    const late = await client.call('endpoints.create', {
      url: `${r.url}/late`,
      description: 'late one',
      eventTypes: ['order.*'],
    });
    const base = ['replay', '--server', serve.url, '--token', serve.token, '--endpoint', 'late one'];

    const dry = await runCli([...base, '--since', '1h', '--dry-run']);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(
      /^2 events would be replayed to late one \(http:\/\/127\.0\.0\.1:\d+\/late\) since \S+Z\n$/,
    );

    const run = await runCli([...base, '--since', '1h', '--json']);
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout);
    expect(answer).toMatchObject({ endpointId: late.id, until: null, events: 2, truncated: false, dryRun: false });
    expect(Math.abs(Date.parse(answer.since) - (Date.now() - 3_600_000))).toBeLessThan(30_000);
    await waitFor(() => r.requests.filter((q) => q.path === '/late').length === 2);
    const toLate = r.requests.filter((q) => q.path === '/late');
    const toFirst = r.requests.filter((q) => q.path === '/first');
    expect(toLate.map((q) => q.headers['webhook-id'])).toEqual(toFirst.map((q) => q.headers['webhook-id']));
    expect(toLate.map((q) => JSON.parse(q.body).data.type)).toEqual(['order.created', 'order.shipped']);

    const again = await runCli([...base, '--since', '7d']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Nothing missing for late one \(\S+\) since \S+Z\n$/);

    // refused before anything is sent: bad flags (exit 2), an endpoint disabled by hand (the engine says why, exit 1)
    const refused: Array<[string[], number, RegExp]> = [
      [[...base, '--since', 'yesterday'], 2, /--since: a time ago such as 30m, 24h or 7d/],
      [[...base, '--since', '1h', '--until', '2020-01-01T00:00:00Z'], 2, /--until: must be after --since/],
      [
        [...base.slice(0, -1), 'nobody', '--since', '1h'],
        2,
        /--endpoint nobody: no endpoint has this id, URL or description/,
      ],
      [['replay', '--endpoint', 'late one', '--since', '1h'], 2, /--server is required/],
      [[...base.slice(0, 5), '--since', '1h'], 2, /^hookbench: missing --endpoint\n$/],
      [[...base, '--since', '2099-01-01T00:00:00Z'], 2, /--since: 2099-01-01T00:00:00(\.000)?Z is in the future/],
    ];
    for (const [args, code, said] of refused) {
      const res = await runCli(args);
      expect(res.code, args.join(' ')).toBe(code);
      expect(res.stderr, args.join(' ')).toMatch(said);
    }
    await client.call('endpoints.disable', { id: late.id });
    const disabled = await runCli([...base, '--since', '1h']);
    expect(disabled.code).toBe(1);
    expect(disabled.stderr).toMatch(/The endpoint is disabled: enable it, then replay what it missed/);
    expect(r.requests).toHaveLength(4);
    client.close();
  });

  it("hides a Basic-auth password of the endpoint's URL in what it prints", async () => {
    const serve = await startServe(tempDbPath());
    children.push(serve.child);
    const r = await startTestReceiver();
    receivers.push(r);
    const client = createClient({ baseUrl: serve.url, token: serve.token });
    await client.call('events.create', { type: 'order.created', validate: false, data: {} });
    const url = `http://bob:hunter2pw@127.0.0.1:${r.port}/cred`;
    await client.call('endpoints.create', { url, eventTypes: ['order.*'] });
    await client.call('endpoints.create', { url: `${url}/named`, description: 'named', eventTypes: ['user.*'] });
    client.close();
    const base = ['replay', '--server', serve.url, '--token', serve.token, '--since', '1h'];
    const hidden = `http://bob:•••@127.0.0.1:${r.port}/cred`;

    const dry = await runCli([...base, '--endpoint', url, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(new RegExp(`^1 event would be replayed to ${hidden.replace(/\./g, '\\.')} since`));
    const named = await runCli([...base, '--endpoint', 'named']);
    expect(named.code).toBe(0);
    expect(named.stdout).toContain(`Nothing missing for named (${hidden}/named) since`);
    for (const res of [dry, named]) expect(res.stdout).not.toContain('hunter2pw');
  });

  it('--since counts 30m, 24h and 7d back from now, and takes an ISO time as it is', () => {
    const now = Date.parse('2026-12-02T12:00:00Z');
    expect(sinceToIso('30m', now)).toBe('2026-12-02T11:30:00.000Z');
    expect(sinceToIso('24h', now)).toBe('2026-12-01T12:00:00.000Z');
    expect(sinceToIso('7d', now)).toBe('2026-11-25T12:00:00.000Z');
    expect(sinceToIso('2026-12-01T09:00:00+01:00', now)).toBe('2026-12-01T09:00:00+01:00');
  });
});
