// Resource limits: a 10 MiB event is refused with a clear error and nothing written; a full disk (a file-size
// limit on the serving process, so SQLite's writes fail as on a full disk) answers storage_full to the caller,
// keeps serving reads, and loses nothing it had accepted.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleEntry } from '../support/bundle';
import { call } from '../support/engine';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { tempDbPath } from '../support/temp';
import { waitFor } from '../support/wait';
import { type ApiUnderTest, rawCall, startApiUnderTest, TOKEN } from './api';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const TEN_MIB = 10 * 1024 * 1024;
/** the serving process may not grow any file past this (ulimit -f counts 1024-byte blocks) */
const FILE_LIMIT_KIB = 4096;
const LEASE_GRACE_MS = 300;

async function counts(api: ApiUnderTest) {
  const ev = await api.json('GET', '/events?limit=500');
  const dl = await api.json('GET', '/deliveries?limit=500');
  return {
    events: (ev.body as { data: unknown[] }).data.length,
    deliveries: (dl.body as { data: unknown[] }).data.length,
  };
}

/** Starts the HTTP child, under a file-size limit when `limitKiB` is given; resolves to its base URL. */
async function startChild(
  file: string,
  dbPath: string,
  limitKiB?: number,
): Promise<{ url: string; proc: ChildProcess }> {
  const args = [file, dbPath, TOKEN, String(LEASE_GRACE_MS)];
  const proc = limitKiB
    ? spawn('sh', ['-c', `ulimit -f ${limitKiB} && exec "$0" "$@"`, process.execPath, ...args], {
        stdio: ['ignore', 'pipe', 'inherit'],
      })
    : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });
  let out = '';
  proc.stdout?.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  const url = await waitFor(() => /url (\S+)\n/.exec(out)?.[1], { timeoutMs: 20_000, message: 'child listening' });
  return { url, proc };
}

describe('resource limits', () => {
  it('refuses a 10 MiB event with payload_too_large and writes nothing', async () => {
    const api = await startApiUnderTest();
    cleanups.push(() => api.close());
    await api.json('POST', '/endpoints', { url: 'http://127.0.0.1:9/hook' });
    const before = await counts(api);

    const big = JSON.stringify({ type: 'big.event', data: { blob: 'x'.repeat(TEN_MIB) } });
    const res = await api.call({ method: 'POST', path: '/events', body: big });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: { code: 'payload_too_large' } });
    expect((res.body as { error: { message: string } }).error.message).toMatch(/too large|exceeds|limit/i);

    // The same through the RPC route the browser UI uses.
    const rpc = await api.call({ method: 'POST', path: '/rpc/events.create', body: big });
    expect(rpc.status).toBe(413);

    // Under the body limit but over the engine's payload limit (1 MiB of JSON data) is refused by the engine too.
    const engineRes = await call(api.engine, 'events.create', {
      type: 'big.event',
      data: { blob: 'x'.repeat(TEN_MIB) },
    }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(engineRes).toMatchObject({ code: 'payload_too_large' });

    expect(await counts(api)).toEqual(before);
    const health = await api.json('GET', '/health');
    expect(health.status).toBe(200);
  });

  it('answers storage_full when the disk is full, keeps serving, and loses nothing it accepted', async () => {
    const file = await bundleEntry('test/hardening/fixtures/http-child.ts');
    const receiver: TestReceiver = await startTestReceiver();
    cleanups.push(() => receiver.stop());
    const dbPath = tempDbPath();

    const full = await startChild(file, dbPath, FILE_LIMIT_KIB);
    const created = await rawCall(full.url, {
      method: 'POST',
      path: '/endpoints',
      body: JSON.stringify({ url: receiver.url, timeoutMs: 1_000 }),
    });
    expect(created.status).toBe(201);

    // Fire 8 KiB events until the database cannot grow any more. The WAL fills first; a checkpoint (on the worker
    // thread) may make room in it again until the database file is full too: then every write is refused.
    const accepted: string[] = [];
    let refused: { status: number; body: unknown } | null = null;
    let refusedInARow = 0;
    for (let i = 0; i < 3_000 && refusedInARow < 5; i++) {
      const res = await rawCall(full.url, {
        method: 'POST',
        path: '/events',
        body: JSON.stringify({ type: 'fill.disk', data: { i, pad: 'p'.repeat(8 * 1024) } }),
      });
      if (res.status === 201) {
        accepted.push((res.body as { id: string }).id);
        refusedInARow = 0;
      } else {
        refused = { status: res.status, body: res.body };
        expect(refused).toMatchObject({ status: 507, body: { error: { code: 'storage_full' } } });
        refusedInARow++;
      }
    }
    expect(refusedInARow, 'the file-size limit was reached').toBe(5);
    expect(refused).toMatchObject({ status: 507, body: { error: { code: 'storage_full' } } });
    expect(accepted.length).toBeGreaterThan(10);

    // Still alive and answering: a write is refused again the same way, reads work.
    const again = await rawCall(full.url, {
      method: 'POST',
      path: '/events',
      body: JSON.stringify({ type: 'fill.disk', data: { pad: 'q'.repeat(8 * 1024) } }),
    });
    expect(again.status).toBe(507);
    const read = await rawCall(full.url, { method: 'GET', path: '/events?limit=1' });
    expect(read.status).toBe(200);
    expect(full.proc.exitCode).toBeNull();

    full.proc.kill('SIGTERM');
    await once(full.proc, 'exit');

    // With room again, on the same file: every accepted event is there and gets delivered.
    const roomy = await startChild(file, dbPath);
    for (const id of accepted) {
      const ev = await rawCall(roomy.url, { method: 'GET', path: `/events/${id}` });
      expect(ev.status, `accepted event ${id}`).toBe(200);
    }
    await waitFor(
      () => {
        const got = new Set(receiver.requests.map((r) => r.headers['webhook-id']));
        return accepted.every((id) => got.has(id));
      },
      { timeoutMs: 30_000, message: 'every accepted event delivered' },
    );
    roomy.proc.kill('SIGTERM');
    await once(roomy.proc, 'exit');
    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  }, 60_000);
});
