// HTTP from a worker thread: the same exchanges as HttpClient, answers and transport errors alike; when the worker
// dies, what it held fails as a transport error (the dispatcher records and retries it) and requests carry on.

import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { performAttempt } from '../../src/main/engine/delivery/attempt';
import { HttpClient, TransportError } from '../../src/main/engine/http/client';
import { httpWorkerFile, WorkerHttpClient } from '../../src/main/engine/http/worker-client';
import { type Logger, systemClock } from '../../src/main/engine/types';
import { bundle, HTTP_WORKER_ENTRY } from '../support/bundle';
import { recordingLog } from '../support/log';
import { closedPort, startTestReceiver, type TestReceiver } from '../support/receiver';

const receivers: TestReceiver[] = [];
const clients: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

async function workerFile(): Promise<URL> {
  const dir = await bundle({ 'http-worker': HTTP_WORKER_ENTRY });
  return pathToFileURL(join(dir, 'http-worker.mjs'));
}

async function start(log: Logger = recordingLog()): Promise<WorkerHttpClient> {
  const client = WorkerHttpClient.start(systemClock, log, {}, await workerFile());
  if (!client) throw new Error('the worker did not start');
  clients.push(client);
  return client;
}

const HEADERS = { 'content-type': 'application/json', 'x-test': 'yes' };

describe('WorkerHttpClient', () => {
  it('answers exactly as HttpClient does', async () => {
    const r = await startTestReceiver({
      respond: (_req, n) => ({ status: 201, headers: { 'x-n': String(n) }, body: `{"n":${n}}` }),
    });
    receivers.push(r);
    const worker = await start();
    const local = new HttpClient(systemClock);
    clients.push(local);
    // many at once: they travel to the worker in one batch and come back as they finish
    const fromWorker = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        worker.post(`${r.url}/w`, HEADERS, `{"i":${i}}`, 5_000).then((x) => x.response),
      ),
    );
    const fromHere = (await local.post(`${r.url}/l`, HEADERS, '{"i":0}', 5_000)).response;
    expect(fromWorker.map((x) => x.status)).toEqual(Array(20).fill(201));
    expect(Object.keys(fromWorker[0]!.headers).sort()).toEqual(Object.keys(fromHere.headers).sort());
    expect(fromWorker[0]).toMatchObject({ truncated: false, headers: { 'x-n': expect.any(String) } });
    expect(new Set(fromWorker.map((x) => x.body)).size).toBe(20);
    expect(
      r.requests
        .filter((q) => q.path === '/w')
        .map((q) => JSON.parse(q.body).i)
        .sort((a, b) => a - b),
    ).toEqual([...Array(20).keys()]);
    expect(r.requests[0]?.headers['x-test']).toBe('yes');
  });

  it('rejects with the same TransportError as HttpClient (refused, timeout)', async () => {
    const worker = await start();
    const port = await closedPort();
    const refused = worker.post(`http://127.0.0.1:${port}/`, HEADERS, '{}', 2_000);
    await expect(refused).rejects.toBeInstanceOf(TransportError);
    await expect(refused).rejects.toThrow('connection refused');
    const slow = await startTestReceiver({ respond: () => ({ status: 200, delayMs: 2_000 }) });
    receivers.push(slow);
    await expect(worker.post(slow.url, HEADERS, '{}', 200)).rejects.toThrow('timeout after 200 ms');
  });

  it('fails what a dead worker held as a transport error, then sends from the engine thread', async () => {
    const slow = await startTestReceiver({ respond: () => ({ status: 200, delayMs: 500 }) });
    receivers.push(slow);
    const log = recordingLog();
    const client = await start(log);
    const held = client.post(slow.url, HEADERS, '{"held":true}', 5_000);
    await new Promise((r) => setTimeout(r, 100));
    await (client as unknown as { worker: Worker }).worker.terminate();
    await expect(held).rejects.toBeInstanceOf(TransportError);
    await expect(held).rejects.toThrow(/HTTP worker exited/);
    expect(log.messages('error')).toContain('HTTP worker stopped; requests are sent from the engine thread');
    const after = await client.post(slow.url, HEADERS, '{"after":true}', 5_000);
    expect(after.response.status).toBe(200);
  });

  it('says when its thread has loaded the HTTP client (the engine waits for it while starting)', async () => {
    const log = recordingLog();
    const client = await start(log);
    await client.ready(60_000);
    expect((client as unknown as { worker: Worker | null }).worker).not.toBeNull();
    expect(log.messages('warn')).toEqual([]);
    // a bound that runs out first: ready anyway, with a warning, and what is posted meanwhile waits for the thread
    const r = await startTestReceiver({ respond: () => ({ status: 204 }) });
    receivers.push(r);
    const slowLog = recordingLog();
    const fresh = await start(slowLog);
    await fresh.ready(1);
    expect(slowLog.messages('warn')).toEqual(['the HTTP worker is slow to start; requests wait for it']);
    expect((await fresh.post(r.url, HEADERS, '{}', 5_000)).response.status).toBe(204);
  });

  it('is ready at once when its thread cannot load, and sends from the engine thread instead', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookbench-broken-worker-'));
    const broken = join(dir, 'http-worker.mjs');
    writeFileSync(broken, "throw new Error('cannot load');\n");
    const r = await startTestReceiver({ respond: () => ({ status: 200 }) });
    receivers.push(r);
    const log = recordingLog();
    const client = WorkerHttpClient.start(systemClock, log, {}, pathToFileURL(broken));
    if (!client) throw new Error('the worker did not start');
    clients.push(client);
    try {
      await client.ready(60_000);
      expect(log.messages('error')).toContain('HTTP worker stopped; requests are sent from the engine thread');
      expect((await client.post(r.url, HEADERS, '{}', 5_000)).response.status).toBe(200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("times each exchange on its own thread: while the engine thread is busy, the wait is not the endpoint's", async () => {
    // The endpoint answers from a thread of its own, so it answers while this thread is blocked.
    const endpoint = new Worker(
      `const { parentPort } = require('node:worker_threads');
       const server = require('node:http').createServer((req, res) => {
         req.resume();
         req.on('end', () => res.end('{"ok":true}'));
       });
       server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));`,
      { eval: true },
    );
    try {
      const [port] = (await once(endpoint, 'message')) as [number];
      const url = `http://127.0.0.1:${port}/hook`;
      const client = await start();
      await client.ready(60_000);
      await client.post(url, HEADERS, '{}', 5_000); // a warm connection and warm code on both threads
      const block = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

      const t0 = performance.now();
      const out = client.post(url, HEADERS, '{"n":1}', 5_000);
      await Promise.resolve(); // the request has left for the worker (post hands it over in a microtask)
      block(1_000); // this thread busy, as with a pass being written
      const { response, durationMs } = await out;
      expect(performance.now() - t0).toBeGreaterThanOrEqual(900); // the wait, as the engine thread saw it
      expect(response.status).toBe(200);
      expect(durationMs).toBeGreaterThan(0);
      expect(durationMs).toBeLessThan(500);

      // the attempt records that duration
      const attempt = performAttempt(
        client,
        systemClock,
        {
          endpointId: 'ep',
          url,
          scheme: 'standard',
          headers: {},
          secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
          timeoutMs: 5_000,
        },
        { id: 'evt_1', type: 'invoice.paid', version: 'v1', createdAt: new Date().toISOString(), data: { n: 2 } },
      );
      await Promise.resolve();
      block(1_000);
      const result = await attempt;
      expect(result.succeeded).toBe(true);
      expect(result.durationMs).toBeLessThan(500);
    } finally {
      await endpoint.terminate();
    }
  });

  it('is not used from TypeScript sources: there is no built worker beside them', () => {
    expect(httpWorkerFile()).toBeNull();
    expect(WorkerHttpClient.start(systemClock, recordingLog())).toBeNull();
  });
});
