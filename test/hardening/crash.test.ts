// Crash hardening: kill -9 the dispatching process at random moments over several rounds while it both fires
// and delivers events, restart on the same file each time. Every accepted event reaches every endpoint at least
// once, duplicates stay within what could have been in flight, and the database passes integrity_check.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CLAIM_AHEAD } from '../../src/main/engine/delivery/dispatcher';
import { bundleEntry } from '../support/bundle';
import { killAll } from '../support/children';
import { call, startEngine } from '../support/engine';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { sleep, waitFor } from '../support/wait';

const ROUNDS = 3;
const SEEDED = 150;
const FIRED_PER_ROUND = 120;
const ENDPOINTS = ['a', 'b'];
/**
 * settings.concurrency (the default) bounds attempts on the wire; the dispatcher holds up to CLAIM_AHEAD rounds of it
 * leased (running, waiting in memory for a slot, or answered but not yet recorded).
 */
const CONCURRENCY = 32;
const LEASE_GRACE_MS = 300;
const TIMEOUT_MS = 1_000;

const children: ChildProcess[] = [];
let receiver: TestReceiver | null = null;
afterEach(async () => {
  killAll(children);
  await receiver?.stop();
  receiver = null;
});

/** Starts the child; collects the ids it reports as accepted. */
function startChild(file: string, dbPath: string, fire: number) {
  const proc = spawn(process.execPath, [file, dbPath, String(fire), String(LEASE_GRACE_MS)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(proc);
  const accepted: string[] = [];
  let ready = false;
  let buf = '';
  proc.stdout?.on('data', (chunk: Buffer) => {
    buf += chunk.toString('utf8');
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const line of lines) {
      if (line === 'ready') ready = true;
      else if (line.startsWith('accepted ')) accepted.push(line.slice('accepted '.length));
    }
  });
  return { proc, accepted, isReady: () => ready };
}

async function kill9(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = once(proc, 'exit');
  process.kill(proc.pid as number, 'SIGKILL');
  await exited;
}

describe('crash hardening', () => {
  it('survives kill -9 at random moments over several rounds: nothing lost, duplicates bounded, file intact', async () => {
    const file = await bundleEntry('test/hardening/fixtures/crash-child.ts');
    receiver = await startTestReceiver({ respond: () => ({ delayMs: Math.floor(Math.random() * 12) }) });
    const r = receiver;

    // Seed a backlog without dispatching, then hand the file over to the children.
    const setup = await startEngine({ dispatch: false });
    const dbPath = setup.dbPath;
    await call(setup, 'settings.update', { retry: { initialDelayMs: 100, maxDelayMs: 500, maxAttempts: 20 } });
    for (const name of ENDPOINTS)
      await call(setup, 'endpoints.create', { url: `${r.url}/${name}`, timeoutMs: TIMEOUT_MS });
    const accepted = new Set<string>();
    for (let i = 0; i < SEEDED; i++)
      accepted.add((await call(setup, 'events.create', { type: 'crash.seed', data: { i } })).id);
    await setup.stop();

    // Leases a kill left behind, as (delivery, lease) pairs: each can cost at most one duplicate.
    const lostLeases = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      const seen = r.requests.length;
      const child = startChild(file, dbPath, FIRED_PER_ROUND);
      // Kill only once it is really dispatching, then after a random extra moment (0-250 ms).
      await waitFor(() => child.isReady() && r.requests.length >= seen + 5, {
        timeoutMs: 20_000,
        message: `round ${round} dispatching`,
      });
      await sleep(Math.floor(Math.random() * 250));
      await kill9(child.proc);
      for (const id of child.accepted) accepted.add(id);
      const snap = new Database(dbPath, { readonly: true });
      const leased = snap.prepare("SELECT id, lease_until FROM deliveries WHERE status = 'sending'").all() as {
        id: string;
        lease_until: number;
      }[];
      snap.close();
      // Leases of an earlier round may still be unexpired (a restart only recovers expired ones): count the new.
      const fresh = leased.map((l) => `${l.id}@${l.lease_until}`).filter((k) => !lostLeases.has(k));
      expect(fresh.length).toBeLessThanOrEqual(CLAIM_AHEAD * CONCURRENCY);
      for (const k of fresh) lostLeases.add(k);
    }

    // A last run after the leases ran out, left alone until the queue is empty, then stopped gracefully.
    await sleep(LEASE_GRACE_MS + TIMEOUT_MS + 200);
    const last = startChild(file, dbPath, 0);
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      await waitFor(
        () => {
          const row = db
            .prepare("SELECT COUNT(*) AS total, SUM(status = 'succeeded') AS done FROM deliveries")
            .get() as { total: number; done: number };
          return row.total > 0 && row.total === row.done;
        },
        { timeoutMs: 30_000, message: 'every delivery succeeded after the crashes' },
      );
      last.proc.kill('SIGTERM');
      await once(last.proc, 'exit');

      // Nothing accepted was lost: every accepted event is stored and has one succeeded delivery per endpoint.
      const stored = new Set((db.prepare('SELECT id FROM events').all() as { id: string }[]).map((e) => e.id));
      for (const id of accepted) expect(stored.has(id), `accepted event ${id} is stored`).toBe(true);
      const perEvent = db
        .prepare("SELECT event_id, COUNT(*) AS n FROM deliveries WHERE status = 'succeeded' GROUP BY event_id")
        .all() as { event_id: string; n: number }[];
      expect(perEvent.filter((e) => e.n !== ENDPOINTS.length)).toEqual([]);
      expect(perEvent.length).toBe(stored.size);

      // Every accepted event reached every endpoint at least once.
      const received = new Map<string, number>();
      for (const q of r.requests) {
        const key = `${q.path} ${String(q.headers['webhook-id'])}`;
        received.set(key, (received.get(key) ?? 0) + 1);
      }
      const missing = [...stored].flatMap((id) => ENDPOINTS.map((n) => `/${n} ${id}`)).filter((k) => !received.has(k));
      expect(missing).toEqual([]);

      // Duplicates come only from deliveries in flight (leased) at a kill.
      const duplicates = r.requests.length - received.size;
      expect(lostLeases.size).toBeGreaterThan(0); // the kills did land mid-dispatch
      expect(duplicates).toBeLessThanOrEqual(lostLeases.size);
      expect(accepted.size).toBeGreaterThan(SEEDED); // the children did fire events between the kills
    } finally {
      db.close();
    }
    const check = new Database(dbPath, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(check.pragma('foreign_key_check')).toEqual([]);
    check.close();
  }, 60_000);
});
