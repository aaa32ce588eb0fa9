// `hookbench serve` as a user runs it: a real process on port 0 with a temp database, called over HTTP, stopped
// with SIGTERM, and killed with SIGKILL mid-dispatch to show that a restart delivers every event.
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../src/main/cli/database';
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

async function startServe(dbPath: string, env: Record<string, string | undefined> = {}): Promise<Serve> {
  const serve = await startServeProcess(dbPath, env);
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
      const res = await runCli(['serve', '--port', String(port), '--db', join(tempDir(), 'hookbench.db')]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('EADDRINUSE');
      expect(res.stdout).not.toContain('Hookbench listening');
    } finally {
      blocker.close();
    }
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
