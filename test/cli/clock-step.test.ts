// A wall-clock step never sends a delivery again while its attempt is open (issue 10, fencing). The real
// `hookbench serve` runs under libfaketime, its wall clock stepped 10 minutes forward (a laptop resuming, NTP) or
// back while five attempts are held open by the receiver; its monotonic clock is left real. Every delivery must
// end succeeded with exactly one attempt, and the receiver must have seen each webhook once.
import type { ChildProcess } from 'node:child_process';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { spawnCollecting } from '../support/cli';
import { fakeWallClock } from '../support/faketime';
import { tempDir } from '../support/temp';
import { sleep, waitFor } from '../support/wait';
import { callApi } from '../transports/http/harness';

const TOKEN = 'clock-step-token-0123456789abcdefghij';
const STEP_SECONDS = 600;
const IN_FLIGHT = 5;
/**
 * How long the attempts stay open after the step. Longer than any periodic lease check an engine may run (today's
 * engine rechecks leases at least every 15 s): one that compared wall-clock leases would resend within this window.
 */
const HOLD_AFTER_STEP_MS = 16_000;
/** well beyond the hold, so the engine's own timeout never ends an attempt here */
const ENDPOINT_TIMEOUT_MS = 60_000;

/** A receiver that holds every request open until `release()`, then answers 200 (and answers later ones at once). */
async function holdingReceiver() {
  const seen: { id: string; at: number }[] = [];
  const held: ServerResponse[] = [];
  /** requests that arrived while another request of the same webhook was still open */
  const overlapping: string[] = [];
  const open = new Map<string, number>();
  let released = false;
  const answer = (res: ServerResponse) => {
    if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  };
  const server = createServer((req, res) => {
    const id = String(req.headers['webhook-id']);
    req.resume();
    req.on('end', () => {
      seen.push({ id, at: Date.now() });
      if ((open.get(id) ?? 0) > 0) overlapping.push(id);
      open.set(id, (open.get(id) ?? 0) + 1);
      res.once('close', () => open.set(id, (open.get(id) ?? 1) - 1));
      if (released) answer(res);
      else held.push(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    seen,
    overlapping,
    openCount: () => [...open.values()].reduce((a, b) => a + b, 0),
    release() {
      released = true;
      for (const res of held.splice(0)) answer(res);
    },
    stop: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `hookbench serve` on port 0 under the fake wall clock; resolves to its base URL once it printed it. */
async function startServe(env: Record<string, string>, track: (c: ChildProcess) => void): Promise<string> {
  const dbPath = join(tempDir(), 'hookbench.db');
  const { child, stdout, stderr } = await spawnCollecting(['serve', '--port', '0', '--db', dbPath], {
    env: { ...process.env, ...env, HOOKBENCH_TOKEN: TOKEN },
  });
  track(child);
  const m = await waitFor(() => /^Hookbench listening on (http:\/\/\S+)$/m.exec(stdout()), {
    timeoutMs: 60_000,
    message: `serve to print its URL under libfaketime (stderr: ${stderr()})`,
  });
  return m[1] as string;
}

/** The server's wall clock as its HTTP Date header reports it, minus ours, in seconds. */
async function serverClockOffset(base: string): Promise<number> {
  const res = await callApi(base, 'GET', '/health', { token: null });
  return (Date.parse(String(res.headers.date)) - Date.now()) / 1000;
}

async function scenario(stepSeconds: number, onFinished: (fn: () => void | Promise<void>) => void) {
  const clock = fakeWallClock();
  const receiver = await holdingReceiver();
  onFinished(() => receiver.stop());
  let child: ChildProcess | null = null;
  onFinished(() => {
    if (child?.pid && child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
  });
  const base = await startServe(clock.env, (c) => {
    child = c;
  });
  const api = (method: string, path: string, body?: unknown) => callApi(base, method, path, { token: TOKEN, body });

  const endpoint = await api('POST', '/endpoints', { url: receiver.url, timeoutMs: ENDPOINT_TIMEOUT_MS });
  if (endpoint.status !== 201 && endpoint.status !== 200) throw new Error(`endpoints.create: ${endpoint.text}`);
  const endpointId = (endpoint.body as { id: string }).id;
  const eventIds: string[] = [];
  for (let i = 0; i < IN_FLIGHT; i++) {
    const ev = await api('POST', '/events', { type: 'bench.tick', data: { i } });
    if (ev.status !== 201) throw new Error(`events.create: ${ev.text}`);
    eventIds.push((ev.body as { id: string }).id);
  }
  await waitFor(() => receiver.openCount() === IN_FLIGHT, { message: 'five attempts open at the receiver' });

  clock.set(stepSeconds);
  // the step reached the server: its Date header is off by the step (libfaketime re-reads its file within ~1 s)
  await waitFor(async () => Math.abs((await serverClockOffset(base)) - stepSeconds) < 30, {
    message: `the server's wall clock to step ${stepSeconds} s`,
  });
  await sleep(HOLD_AFTER_STEP_MS);
  const sendsWhileOpen = receiver.seen.length;
  receiver.release();

  const deliveries = await waitFor(
    async () => {
      const list = await api('GET', `/deliveries?endpointId=${endpointId}&limit=50`);
      const data = (list.body as { data: { id: string; status: string }[] }).data;
      return data.length === IN_FLIGHT && data.every((d) => d.status === 'succeeded') && data;
    },
    { timeoutMs: 20_000, message: 'every delivery to succeed' },
  );
  // a resend scheduled by the step would come now, after the first answers
  await sleep(1_500);
  const details = await Promise.all(
    deliveries.map(async (d) => {
      const r = await api('GET', `/deliveries/${d.id}`);
      return r.body as { status: string; attempts: { number: number }[] };
    }),
  );
  return { eventIds, receiver, sendsWhileOpen, details };
}

describe('a wall-clock step under the real serve', () => {
  for (const step of [STEP_SECONDS, -STEP_SECONDS]) {
    it.concurrent(`${step > 0 ? '+' : ''}${step / 60} min while five attempts are open: each delivery sent once, one attempt`, async ({
      expect,
      onTestFinished,
    }) => {
      const { eventIds, receiver, sendsWhileOpen, details } = await scenario(step, onTestFinished);
      expect(sendsWhileOpen, 'requests received while the first five were still open').toBe(IN_FLIGHT);
      expect(receiver.overlapping, 'webhooks sent again while their first request was open').toEqual([]);
      expect(receiver.seen.length, 'requests received in all').toBe(IN_FLIGHT);
      expect(receiver.seen.map((s) => s.id).sort()).toEqual([...eventIds].sort());
      for (const d of details) {
        expect(d.status).toBe('succeeded');
        expect(d.attempts.map((a) => a.number)).toEqual([1]);
      }
    }, 120_000);
  }
});
