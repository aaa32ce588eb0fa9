// `--server` pointed at something that is not Hookbench (a `hookbench listen` port, which answers 200 `{"ok":true}`
// to everything, or any other web server): every command that calls a server says so and exits 1, before it fires,
// replays or prints anything, instead of failing on the answer's shape.
import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { killAll } from '../support/children';
import { runCli, spawnCollecting } from '../support/cli';
import { waitFor } from '../support/wait';

const children: ChildProcess[] = [];
const servers: Server[] = [];
afterAll(async () => {
  killAll(children);
  await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
});

const notHookbench = (url: string, route: string) =>
  `hookbench: ${url} is not a Hookbench server of this version (POST /api/v1/rpc/${route} answered something else)\n`;

describe('--server that is not Hookbench', () => {
  it('a hookbench listen port: tail, trigger, replay and api say so, exit 1 and call nothing else', async () => {
    const listen = await spawnCollecting(['listen', '--port', '0']);
    children.push(listen.child);
    await waitFor(() => /Listening on http:\S+/.test(listen.stdout()), { message: 'listen to start' });
    const url = /Listening on (http:\S+)/.exec(listen.stdout())?.[1] as string;
    const server = ['--server', url, '--token', 'not-a-real-token-1234'];

    const cases: [string[], string][] = [
      [['tail'], 'endpoints.list'],
      [['trigger', 'invoice.paid'], 'endpoints.list'],
      [['trigger', 'test.ping', '--data', '{}'], 'endpoints.list'],
      [['replay', '--endpoint', 'app', '--since', '1h'], 'endpoints.list'],
      [['api', 'endpoints.list'], 'endpoints.list'],
      [['api', 'events.list', '--paginate'], 'events.list'],
    ];
    for (const [args, route] of cases) {
      const res = await runCli([...args, ...server]);
      expect(res.stderr, args.join(' ')).toBe(notHookbench(url, route));
      expect(res.code, args.join(' ')).toBe(1);
      expect(res.stdout, args.join(' ')).toBe('');
    }
    // only the first reads were sent: nothing was fired or replayed
    await waitFor(() => (listen.stdout().match(/ POST \/api\/v1\/rpc\//g) ?? []).length === cases.length);
    expect(listen.stdout()).not.toMatch(/rpc\/(events\.create|endpoints\.replayMissing)/);
  });

  it('a web server answering a page to everything: the same', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>my app</title>');
    });
    servers.push(server);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const res = await runCli(['api', 'endpoints.list', '--server', url, '--token', 'not-a-real-token-1234']);
    expect(res.stderr).toBe(notHookbench(url, 'endpoints.list'));
    expect(res.code).toBe(1);
  });
});
