// `hookbench serve --db postgres://…`: two real serve processes on one private PostgreSQL database share one queue.
// Events are fired through both over REST; one process is killed with SIGKILL mid-stream; every acknowledged event
// still reaches the endpoint (the survivor recovers the dead one's leases), repeats stay within what the dead one
// held, and each process's API lists the deliveries the other made.
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killAll } from '../support/children';
import { runCli } from '../support/cli';
import { createTestDatabase, pgClusterPerFile } from '../support/pg-cluster';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { type Serve, startServe } from '../support/serve';
import { tempDir } from '../support/temp';
import { waitFor } from '../support/wait';
import { callApi } from '../transports/http/harness';

const cluster = pgClusterPerFile();

const children: ChildProcess[] = [];
const receivers: TestReceiver[] = [];
afterEach(async () => {
  killAll(children);
  for (const r of receivers.splice(0)) await r.stop();
});

/** Both processes share the database, the API token and the key that seals signing secrets. */
const SHARED = {
  HOOKBENCH_TOKEN: 'shared-token-abcdefghijklmnopqrstuvwxyz',
  HOOKBENCH_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
};

async function serveOn(url: string): Promise<Serve> {
  // --db names the database; the data directory (token and key files) is a temp one, unused with these variables
  const serve = await startServe(url, { ...SHARED, XDG_DATA_HOME: tempDir() });
  children.push(serve.child);
  return serve;
}

const api = (s: Serve, method: string, path: string, body?: unknown) =>
  callApi(s.url, method, path, { token: SHARED.HOOKBENCH_TOKEN, body });

describe('serve on PostgreSQL: many processes, one queue', () => {
  it('survives kill -9 of one of two processes: every acknowledged event delivered, repeats bounded', async () => {
    const url = await createTestDatabase(cluster.url);
    // a slow receiver: when A is killed, it holds leases on deliveries it has sent and not yet recorded
    const receiver = await startTestReceiver({ respond: () => ({ status: 200, delayMs: 300 }) });
    receivers.push(receiver);
    const a = await serveOn(url);
    const b = await serveOn(url);

    // an endpoint created through A is served by B as well; a short timeout keeps the dead one's leases short
    const ep = await api(a, 'POST', '/endpoints', { url: `${receiver.url}/hook`, timeoutMs: 1_000 });
    expect(ep.status).toBe(201);
    await waitFor(async () => (await api(b, 'GET', `/endpoints/${ep.body.id}`)).status === 200, {
      message: 'B sees the endpoint A created',
    });

    const acked = new Set<string>();
    const fire = async (s: Serve, n: number) => {
      const res = await api(s, 'POST', '/events', { type: 'order.created', data: { n }, validate: false });
      if (res.status === 201 || res.status === 200) acked.add(String(res.body.id));
    };
    // a stream through both; A dies in the middle of it
    let n = 0;
    for (let round = 0; round < 10; round++) {
      await Promise.all([fire(a, n++), fire(b, n++), fire(a, n++), fire(b, n++)]);
    }
    process.kill(a.child.pid as number, 'SIGKILL');
    await a.exit;
    for (let round = 0; round < 10; round++) await Promise.all([fire(b, n++), fire(b, n++)]);

    // the survivor takes back what A had leased once those leases run out (timeout 1 s + grace 10 s)
    await waitFor(
      () => {
        const got = new Set(receiver.requests.map((r) => JSON.parse(r.body).id as string));
        return [...acked].every((id) => got.has(id));
      },
      { timeoutMs: 45_000, message: 'every acknowledged event delivered' },
    );
    // and recorded: what A had sent but not recorded came back through B's lease recovery once A's leases ran out
    // (timeout 1 s + grace 10 s), and B sent it again
    await waitFor(
      async () =>
        (await api(b, 'GET', `/deliveries/count?endpointId=${ep.body.id}&status=succeeded`)).body.count === acked.size,
      { timeoutMs: 45_000, message: 'every delivery recorded as succeeded' },
    );
    expect(b.stderr()).toContain('returned expired leases to the queue');
    const ids = receiver.requests.map((r) => JSON.parse(r.body).id as string);
    const repeats = ids.length - new Set(ids).size;
    // repeats: only attempts A had on the wire, sent but not recorded, when it died: at most the endpoint's limit
    // (8 by default), which both processes share
    expect(repeats).toBeLessThanOrEqual(8);

    // B's API lists every delivery, those A made included
    const listed = await api(b, 'GET', `/deliveries?endpointId=${ep.body.id}&limit=200`);
    expect(listed.status).toBe(200);
    const listedEvents = new Set((listed.body.data as Array<{ eventId: string }>).map((d) => d.eventId));
    for (const id of acked) expect(listedEvents.has(id), id).toBe(true);
    b.child.kill('SIGTERM');
    expect((await b.exit).code).toBe(0);
  }, 120_000);

  it('send --db postgres://… delivers through the shared database, and serve lists that delivery', async () => {
    const url = await createTestDatabase(cluster.url);
    const receiver = await startTestReceiver();
    receivers.push(receiver);
    const env = { ...SHARED, XDG_DATA_HOME: tempDir() };
    const sent = await runCli(['send', '--url', `${receiver.url}/hook`, '--type', 'invoice.paid', '--db', url], {
      env,
    });
    expect(sent.code, sent.stderr).toBe(0);
    expect(receiver.requests).toHaveLength(1);
    const serve = await serveOn(url);
    const listed = await api(serve, 'GET', '/deliveries?limit=10');
    expect((listed.body.data as Array<{ status: string }>).map((d) => d.status)).toEqual(['succeeded']);
  });

  it('replays what an endpoint missed once, even when both processes are asked at the same moment', async () => {
    const url = await createTestDatabase(cluster.url);
    const receiver = await startTestReceiver();
    receivers.push(receiver);
    const [a, b] = [await serveOn(url), await serveOn(url)];
    const first = await api(a, 'POST', '/endpoints', { url: `${receiver.url}/first`, eventTypes: ['order.*'] });
    expect(first.status).toBe(201);
    for (let i = 0; i < 120; i++) {
      const fired = await api(i % 2 ? a : b, 'POST', '/events', {
        type: 'order.created',
        data: { i },
        validate: false,
      });
      expect(fired.status).toBe(201);
    }
    // every event reaches the endpoint, fired through either process (the other one made it a moment before)
    await waitFor(() => receiver.requests.length === 120, { timeoutMs: 30_000 });
    const late = await api(b, 'POST', '/endpoints', { url: `${receiver.url}/late`, eventTypes: ['order.*'] });
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const path = `/endpoints/${late.body.id}/replay-missing`;
    const answers = await Promise.all([api(a, 'POST', path, { since }), api(b, 'POST', path, { since })]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    // the two replays took turns: one replayed all 120, the other found nothing left missing
    expect(answers.map((r) => r.body.events).sort((x, y) => x - y)).toEqual([0, 120]);
    await waitFor(() => receiver.requests.filter((r) => r.path === '/late').length >= 120, { timeoutMs: 30_000 });
    const ids = receiver.requests.filter((r) => r.path === '/late').map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(120);
    const again = await runCli(
      ['replay', '--server', a.url, '--endpoint', String(late.body.id), '--since', '1h', '--json'],
      { env: SHARED },
    );
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ events: 0, truncated: false });
    expect(receiver.requests.filter((r) => r.path === '/late')).toHaveLength(120);
  }, 120_000);

  it('run --db postgres://… passes the example scenarios (retries, auto-disable and recovery, fan-out, a profile, a duplicate)', async () => {
    const url = await createTestDatabase(cluster.url);
    const files = ['retry', 'auto-disable', 'fan-out', 'stripe-profile', 'duplicate'].map((n) =>
      resolve('examples/scenarios', `${n}.yaml`),
    );
    const res = await runCli(['run', ...files, '--db', url], {
      env: { ...SHARED, XDG_DATA_HOME: tempDir() },
      timeoutMs: 120_000,
    });
    expect(res.code, `${res.stdout}\n${res.stderr}`).toBe(0);
  }, 150_000);

  it('refuses a malformed database URL with exit code 2, without its password', async () => {
    const res = await runCli(['serve', '--port', '0', '--db', 'postgres://user:hunter2@/nodb'], {
      env: { ...SHARED, XDG_DATA_HOME: tempDir() },
    });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--db/);
    expect(res.stderr + res.stdout).not.toContain('hunter2');
  });
});
