// At-least-once across a crash: kill -9 a process while it dispatches, restart on the same file,
// every event is delivered at least once and nothing is left behind.
import { type ChildProcess, spawn } from 'node:child_process';
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleEntry } from '../support/bundle';
import { killAll } from '../support/children';
import { FakeClock } from '../support/clock';
import { call, startEngine } from '../support/engine';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

const receivers: TestReceiver[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  killAll(children);
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

const EVENTS = 40;

describe('crash recovery', () => {
  it('redelivers what a killed dispatcher had leased', async () => {
    const child = await bundleEntry('test/engine/fixtures/dispatching-child.ts');
    const r = await startTestReceiver({ respond: () => ({ status: 200, delayMs: 80 }) });
    receivers.push(r);

    // Queue the events without dispatching, then hand the file to the child.
    const setup = await startEngine({ dispatch: false });
    const dbPath = setup.dbPath;
    await call(setup, 'settings.update', { retry: { initialDelayMs: 100, maxDelayMs: 100 } });
    await call(setup, 'endpoints.create', { url: r.url });
    const ids: string[] = [];
    for (let i = 0; i < EVENTS; i++)
      ids.push((await call(setup, 'events.create', { type: 'crash.test', data: { i } })).id);
    await setup.stop();

    // default lease (the endpoint's 15 s timeout + 10 s): only the dead-owner takeover makes the restart prompt
    const proc = spawn(process.execPath, [child, dbPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(proc);
    await waitFor(() => r.requests.length >= 5, { timeoutMs: 20_000, message: 'child dispatching' });
    expect(proc.pid).toBeDefined();
    process.kill(proc.pid!, 'SIGKILL');
    await new Promise((res) => proc.once('exit', res));

    const before = new Set(r.requests.map((q) => q.headers['webhook-id']));
    expect(before.size).toBeLessThan(EVENTS); // it really died mid-way

    const db = new Database(dbPath, { readonly: true });
    const leased = db.prepare("SELECT COUNT(*) AS n FROM deliveries WHERE status = 'sending'").get() as { n: number };
    db.close();
    expect(leased.n).toBeGreaterThan(0); // the crash left claimed deliveries behind

    const engine = await startEngine({ dbPath });
    await waitFor(
      async () => {
        const list = await call(engine, 'deliveries.list', { limit: 500 });
        return list.data.length === EVENTS && list.data.every((d) => d.status === 'succeeded');
      },
      { timeoutMs: 20_000, message: 'all delivered after restart' },
    );
    const delivered = new Set(r.requests.map((q) => q.headers['webhook-id']));
    expect([...delivered].sort()).toEqual([...ids].sort());
    // duplicates are bounded by what was in flight at the kill (per-endpoint concurrency 8)
    expect(r.requests.length - EVENTS).toBeLessThanOrEqual(8);
    const check = new Database(dbPath, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  });

  it('takes back the leases of a live dispatcher only when they expire', async () => {
    const clock = new FakeClock(Date.now());
    const r = await startTestReceiver();
    receivers.push(r);
    const setup = await startEngine({ dispatch: false, clock });
    await call(setup, 'endpoints.create', { url: r.url });
    const ev = await call(setup, 'events.create', { type: 'lease.test', data: {} });
    await setup.stop();
    // another dispatcher (this test's parent process, alive) holds the delivery for one more minute
    const db = new Database(setup.dbPath);
    db.prepare("UPDATE deliveries SET status = 'sending', lease_until = ?").run(clock.now() + 60_000);
    db.prepare("INSERT INTO settings (key, value) VALUES ('dispatcher_owner', ?)").run(
      JSON.stringify({ pid: process.ppid, host: hostname() }),
    );
    db.close();

    const engine = await startEngine({ dbPath: setup.dbPath, clock });
    const id = ev.deliveries![0]!.id;
    expect((await call(engine, 'deliveries.get', { id })).status).toBe('sending');
    clock.advance(60_001);
    await waitFor(async () => (await call(engine, 'deliveries.get', { id })).status === 'succeeded');
    expect(r.requests).toHaveLength(1);
  });
});
