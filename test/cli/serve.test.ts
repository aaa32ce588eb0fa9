// `hookbench serve` as a user runs it: a real process on port 0 with a temp database, called over HTTP, stopped
// with SIGTERM, and killed with SIGKILL mid-dispatch to show that a restart delivers every event.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../src/main/cli/database';
import { connectHost } from '../../src/main/engine/receiver/self-address';
import { hostPolicy } from '../../src/main/transports/http/security';
import { FETCH_BLOCKED_PORTS } from '../../src/shared/cli';
import { killAll } from '../support/children';
import { runCli } from '../support/cli';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { type Serve, startServe as startServeProcess } from '../support/serve';
import { tempDir } from '../support/temp';
import { waitFor } from '../support/wait';
import { callApi } from '../transports/http/harness';

const children: ChildProcess[] = [];
const receivers: TestReceiver[] = [];

afterEach(async () => {
  killAll(children);
  for (const r of receivers.splice(0)) await r.stop();
});

async function startServe(
  dbPath: string,
  env: Record<string, string | undefined> = {},
  args: readonly string[] = [],
): Promise<Serve> {
  const serve = await startServeProcess(dbPath, env, args);
  children.push(serve.child);
  return serve;
}

describe('hookbench serve', () => {
  it('prints where it listens and the token, serves the API with it, and stops on SIGTERM with 0', async () => {
    const dir = tempDir();
    const serve = await startServe(join(dir, 'hookbench.db'));
    // (serve is ready at its first line; the others may still be on their way)
    await waitFor(() => serve.stdout().includes('\nAPI token: '));
    const lines = serve.stdout().split('\n');
    expect(lines[0]).toMatch(/^Hookbench listening on http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines[0]).toBe(`Hookbench listening on ${serve.url}`);
    expect(lines[1]).toBe(`Open ${serve.url}/#token=${serve.token}`);
    expect(lines[2]).toMatch(/^Inbox receiver on http:\/\/127\.0\.0\.1:\d+$/);
    expect(serve.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // the token is stored beside the database, readable by its owner only
    const tokenFile = join(dir, 'token');
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(serve.token);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    // and on a line of its own (for scripts), and nowhere else
    expect(serve.stdout().split('\n')[3]).toBe(`API token: ${serve.token}`);
    expect(serve.stdout().split(serve.token).length - 1).toBe(2);
    expect(serve.stderr()).not.toContain(serve.token);
    // the database, its WAL and SHM, and the key that seals signing secrets are private too
    for (const f of ['hookbench.db', 'hookbench.db-wal', 'hookbench.db-shm', 'secret.key']) {
      expect(statSync(join(dir, f)).mode & 0o777, f).toBe(0o600);
    }

    expect((await callApi(serve.url, 'GET', '/endpoints', { token: serve.token })).status).toBe(200);
    expect((await callApi(serve.url, 'GET', '/endpoints', { token: null })).status).toBe(401);
    expect((await callApi(serve.url, 'GET', '/health', { token: null })).body.ok).toBe(true);
    const created = await callApi(serve.url, 'POST', '/endpoints', {
      token: serve.token,
      body: { url: 'http://127.0.0.1:9/x' },
    });
    expect(created.status).toBe(201);
    // serve seals the signing secret: its bytes are nowhere in the database files
    const secret = String(created.body.secret);
    for (const f of ['hookbench.db', 'hookbench.db-wal', 'hookbench.db-shm']) {
      expect(readFileSync(join(dir, f)).includes(Buffer.from(secret)), f).toBe(false);
    }

    serve.child.kill('SIGTERM');
    expect(await serve.exit).toEqual({ code: 0, signal: null });

    // a restart on the same database reuses the stored token and sees the data
    const again = await startServe(join(dir, 'hookbench.db'));
    expect(again.token).toBe(serve.token);
    expect((await callApi(again.url, 'GET', '/endpoints', { token: again.token })).body.data).toHaveLength(1);
    again.child.kill('SIGINT');
    expect((await again.exit).code).toBe(0);
  });

  it('takes the token from HOOKBENCH_TOKEN and then writes no token file', async () => {
    const dir = tempDir();
    const serve = await startServe(join(dir, 'hookbench.db'), { HOOKBENCH_TOKEN: 'env-token-abcdefghijklmnop' });
    expect(serve.token).toBe('env-token-abcdefghijklmnop');
    expect(existsSync(join(dir, 'token'))).toBe(false);
    expect((await callApi(serve.url, 'GET', '/status', { token: 'env-token-abcdefghijklmnop' })).status).toBe(200);
    serve.child.kill('SIGTERM');
    expect((await serve.exit).code).toBe(0);
  });

  it('refuses a bad flag with exit code 2', async () => {
    const res = await runCli(['serve', '--port', 'eighty']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--port/);
  });

  it("refuses a --port that browsers and fetch refuse (fetch's bad ports), as Chromium's ERR_UNSAFE_PORT would", async () => {
    const dir = tempDir();
    const res = await runCli(['serve', '--port', '6000', '--db', join(dir, 'hookbench.db')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("--port: browsers and fetch refuse this port (one of fetch's bad ports)");
    expect(readdirSync(dir)).toEqual([]);
    // the same list as the fetch undici implements (the spec's), so none is missed and none added
    const require = createRequire(import.meta.url);
    const undiciFetch = require('undici/lib/web/fetch/constants.js') as { badPorts: readonly string[] };
    expect([...FETCH_BLOCKED_PORTS].map(String)).toEqual([...undiciFetch.badPorts]);
  });

  it('refuses a HOOKBENCH_TOKEN too short to be safe or that no Bearer header can carry, with exit code 2', async () => {
    const dir = tempDir();
    for (const [token, said] of [
      ['secret', '$HOOKBENCH_TOKEN is 6 characters long: give at least 16'],
      ['my long secret api token', '$HOOKBENCH_TOKEN holds spaces or characters beyond printable ASCII'],
      ['jeton-très-secret-à-moi', '$HOOKBENCH_TOKEN holds spaces or characters beyond printable ASCII'],
    ]) {
      const res = await runCli(['serve', '--port', '0', '--db', join(dir, 'hookbench.db')], {
        env: { HOOKBENCH_TOKEN: token as string },
      });
      expect(res.code, token).toBe(2);
      expect(res.stderr, token).toContain(said);
      expect(res.stdout).not.toContain('Hookbench listening');
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a malformed HOOKBENCH_SECRET_KEY with exit code 2, naming it', async () => {
    const res = await runCli(['serve', '--port', '0', '--db', join(tempDir(), 'hookbench.db')], {
      env: { HOOKBENCH_SECRET_KEY: 'not-a-key' },
    });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('$HOOKBENCH_SECRET_KEY: not a 256-bit key');
    expect(res.stdout).not.toContain('Hookbench listening');
  });

  it('fails with exit code 1 and a clear message when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = (blocker.address() as AddressInfo).port;
      const dir = tempDir();
      const res = await runCli(['serve', '--port', String(port), '--db', join(dir, 'hookbench.db')]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(
        `hookbench: --port ${port}: 127.0.0.1:${port} is in use by another program: give another --port, or --port 0 for a free one`,
      );
      expect(res.stdout).not.toContain('Hookbench listening');
      // said before the engine starts: no database, token or key made
      expect(readdirSync(dir)).toEqual([]);

      const inbox = await runCli([
        'serve',
        '--port',
        '0',
        '--inbox-port',
        String(port),
        '--db',
        join(dir, 'hookbench.db'),
      ]);
      expect(inbox.code).toBe(1);
      expect(inbox.stderr).toContain(`hookbench: --inbox-port ${port}: 127.0.0.1:${port} is in use by another program`);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it('answers behind a proxy or load balancer whose name --allowed-host gives, and refuses a flag that is not a name', async () => {
    const dir = tempDir();
    const serve = await startServe(join(dir, 'hookbench.db'), {}, [
      '--allowed-host',
      'hookbench.internal',
      '--allowed-host',
      'Tunnel.Example:443',
    ]);
    const status = (host: string) => callApi(serve.url, 'GET', '/status', { token: serve.token, headers: { host } });
    // as a load balancer forwards it: the name the client used, on its own port or none
    expect((await status('hookbench.internal')).status).toBe(200);
    expect((await status('hookbench.internal:8080')).status).toBe(200);
    expect((await status('tunnel.example:443')).status).toBe(200);
    expect((await status('tunnel.example:80')).status).toBe(403);
    expect((await status('evil.example')).status).toBe(403);
    serve.child.kill('SIGTERM');
    expect((await serve.exit).code).toBe(0);

    for (const bad of ['*', 'http://hookbench.internal', 'hookbench.internal/x', '.internal']) {
      const res = await runCli(['serve', '--port', '0', '--db', join(dir, 'other.db'), '--allowed-host', bad]);
      expect(res.code, bad).toBe(2);
      expect(res.stderr, bad).toContain('--allowed-host');
      expect(res.stderr, bad).toContain('no scheme, path or wildcard');
    }
    expect(existsSync(join(dir, 'other.db'))).toBe(false);
  });

  it('refuses a --host that is not an address of this machine with exit code 2, creating nothing', async () => {
    const dir = tempDir();
    // TEST-NET-3 (RFC 5737): on no interface here; binding to it fails before any packet could be sent
    const res = await runCli(['serve', '--host', '203.0.113.7', '--port', '0', '--db', join(dir, 'hookbench.db')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('hookbench: --host 203.0.113.7: not an address of this machine');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses the same --port and --inbox-port with exit code 2, creating nothing', async () => {
    const dir = tempDir();
    const res = await runCli(['serve', '--port', '7790', '--inbox-port', '7790', '--db', join(dir, 'hookbench.db')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--port and --inbox-port are both 7790');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a --db that cannot hold a database with exit code 2, creating nothing beside it', async () => {
    const dir = tempDir();
    // a directory: before, the token and secret.key were written into its parent and SQLite failed after
    const asDir = join(dir, 'data');
    mkdirSync(asDir);
    const res = await runCli(['serve', '--port', '0', '--db', asDir]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      `hookbench: --db ${asDir} is a directory: give a database file's path (such as ${join(asDir, 'hookbench.db')})`,
    );
    // a file that is not a database
    const notDb = join(dir, 'notes.txt');
    writeFileSync(notDb, 'these are my notes, not a database\n');
    const text = await runCli(['serve', '--port', '0', '--db', notDb]);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain(`hookbench: --db ${notDb} is not a SQLite database`);
    expect(readFileSync(notDb, 'utf8')).toBe('these are my notes, not a database\n');
    // a path under a file
    const under = await runCli(['serve', '--port', '0', '--db', join(notDb, 'hookbench.db')]);
    expect(under.code).toBe(2);
    expect(under.stderr).toContain(`is under ${notDb}, which is a file, not a directory`);
    for (const r of [res, text, under]) expect(r.stdout).not.toContain('Hookbench listening');
    expect(readdirSync(dir).sort()).toEqual(['data', 'notes.txt']);
    expect(readdirSync(asDir)).toEqual([]);

    // an empty file is a database SQLite makes (as `sqlite3 FILE` does)
    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '');
    const serve = await startServe(empty);
    expect((await callApi(serve.url, 'GET', '/status', { token: serve.token })).status).toBe(200);
    serve.child.kill('SIGTERM');
    expect((await serve.exit).code).toBe(0);
  });

  it('delivers every event at least once after a kill -9 mid-dispatch and a restart', {
    timeout: 120_000,
  }, async () => {
    const dbPath = join(tempDir(), 'hookbench.db');
    const slow = await startTestReceiver({ respond: () => ({ status: 200, delayMs: 150 }) });
    receivers.push(slow);
    const first = await startServe(dbPath);
    const api = (method: string, path: string, body?: unknown, s: Serve = first) =>
      callApi(s.url, method, path, { token: s.token, body });
    await api('PATCH', '/settings', { concurrency: 4, retry: { initialDelayMs: 100, maxDelayMs: 500, jitter: 0 } });
    await api('POST', '/endpoints', { url: `${slow.url}/hook`, timeoutMs: 2_000 });
    const eventIds: string[] = [];
    for (let i = 0; i < 40; i++)
      eventIds.push((await api('POST', '/events', { type: 'order.created', data: { i } })).body.id);

    await waitFor(() => slow.requests.length >= 4, { timeoutMs: 30_000, message: 'some deliveries in flight' });
    process.kill(first.child.pid as number, 'SIGKILL');
    expect((await first.exit).signal).toBe('SIGKILL');
    const deliveredBeforeKill = new Set(slow.requests.map((r) => r.headers['webhook-id']));
    expect(deliveredBeforeKill.size).toBeLessThan(eventIds.length);

    const second = await startServe(dbPath);
    const received = () => new Set(slow.requests.map((r) => r.headers['webhook-id']));
    await waitFor(() => eventIds.every((id) => received().has(id)), {
      timeoutMs: 90_000,
      message: 'every event delivered',
    });
    await waitFor(
      async () => {
        const list = (await api('GET', '/deliveries?limit=500', undefined, second)).body.data as { status: string }[];
        return list.length === eventIds.length && list.every((d) => d.status === 'succeeded');
      },
      { timeoutMs: 60_000, message: 'every delivery recorded as succeeded' },
    );
    second.child.kill('SIGTERM');
    expect((await second.exit).code).toBe(0);
  });
});

describe('default database location', () => {
  it('follows each platform’s convention for user data', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/data' }, 'linux')).toBe('/data/hookbench');
    expect(defaultDataDir({}, 'linux')).toBe(join(homedir(), '.local', 'share', 'hookbench'));
    expect(defaultDataDir({}, 'darwin')).toBe(join(homedir(), 'Library', 'Application Support', 'Hookbench'));
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }, 'win32')).toBe(
      join('C:\\Users\\me\\AppData\\Roaming', 'Hookbench'),
    );
  });
});

describe('--db that cannot hold a database', () => {
  it('is refused by every command that takes --db, with exit code 2, before anything is made or sent', async () => {
    const dir = tempDir();
    const notDb = join(dir, 'notes.txt');
    writeFileSync(notDb, 'not a database\n');
    const doc = join(dir, 'openapi.json');
    writeFileSync(doc, JSON.stringify({ openapi: '3.1.0', info: { title: 't', version: '1' }, webhooks: {} }));
    // nothing listens on port 1, and nothing is sent: the refusal comes before any engine starts
    const commands = [
      ['send', '--url', 'http://127.0.0.1:1/hook', '--type', 'a.b', '--db'],
      ['trigger', 'a.b', '--data', '{}', '--db'],
      ['api', 'endpoints.list', '--db'],
      ['import', doc, '--db'],
    ];
    for (const args of commands) {
      const cases: [string, string][] = [
        [dir, `--db ${dir} is a directory`],
        [notDb, `--db ${notDb} is not a SQLite database`],
      ];
      for (const [db, said] of cases) {
        const res = await runCli([...args, db]);
        expect(res.code, `${args[0]} --db ${db}: ${res.stderr}`).toBe(2);
        expect(res.stderr, args[0]).toContain(said);
      }
    }
    const scenario = join(dir, 'scenario.yaml');
    writeFileSync(scenario, 'name: s\nsteps:\n  - fire: { type: a.b, data: {} }\n');
    const run = await runCli(['run', scenario, '--db', dir]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`--db ${dir} is a directory`);
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'openapi.json', 'scenario.yaml']);
    expect(readFileSync(notDb, 'utf8')).toBe('not a database\n');
  });
});

describe('the address serve prints to open (and the inbox receiver its URL with)', () => {
  it('is the bound host, or loopback for a wildcard bind (which the Host check accepts there)', () => {
    expect(connectHost('127.0.0.1')).toBe('127.0.0.1');
    expect(connectHost('192.0.2.2')).toBe('192.0.2.2');
    expect(connectHost('0.0.0.0')).toBe('127.0.0.1');
    expect(connectHost('::')).toBe('::1');
    expect(hostPolicy({ port: () => 7777, boundHost: '0.0.0.0' })('127.0.0.1:7777')).toBe(true);
    expect(hostPolicy({ port: () => 7777, boundHost: '::' })('[::1]:7777')).toBe(true);
  });
});
