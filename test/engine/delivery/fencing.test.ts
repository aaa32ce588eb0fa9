// Fencing and leases on the monotonic clock: a wall-clock step while attempts are open never sends them again, and
// a late outcome (its lease taken back and the delivery claimed again) is kept as a superseded attempt that changes
// no state. Attempt numbers are unique per delivery by constraint.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../support/clock';
import { call, startEngine } from '../../support/engine';
import { startTestReceiver, type TestReceiver } from '../../support/receiver';
import { waitFor } from '../../support/wait';

const receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

const TEN_MINUTES = 10 * 60_000;

describe('a wall-clock step while attempts are open', () => {
  for (const step of [TEN_MINUTES, -TEN_MINUTES]) {
    it(`${step > 0 ? 'forward' : 'back'} 10 min: each delivery is sent once, with one attempt`, async () => {
      const r = await startTestReceiver({ respond: () => ({ status: 200, delayMs: 1_500 }) });
      receivers.push(r);
      const clock = new FakeClock(Date.now());
      const engine = await startEngine({ clock, httpWorker: false });
      // a long timeout: time passing on the test clock must not end the attempts themselves
      await call(engine, 'endpoints.create', { url: r.url, timeoutMs: 60_000 });
      const events = await Promise.all(
        Array.from({ length: 5 }, (_, i) => call(engine, 'events.create', { type: 'a.b', data: { i } })),
      );
      await waitFor(() => r.requests.length === 5);

      // the laptop resumes (or NTP steps the clock); then time passes and lease recovery runs
      clock.step(step);
      clock.advance(16_000);
      const ids = events.map((e) => e.deliveries![0]!.id);
      const done = await waitFor(async () => {
        const all = await Promise.all(ids.map((id) => call(engine, 'deliveries.get', { id })));
        return all.every((d) => d.status === 'succeeded') ? all : null;
      });
      clock.advance(16_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(r.requests).toHaveLength(5);
      for (const d of done) {
        expect(d.attemptCount).toBe(1);
        expect(d.attempts.map((a) => [a.number, a.superseded])).toEqual([[1, false]]);
      }
    });
  }
});

describe('fencing', () => {
  it('keeps a late outcome as a superseded attempt and lets the newer claim decide', async () => {
    const r = await startTestReceiver({ respond: (_q, n) => (n === 1 ? { status: 500, delayMs: 1_500 } : {}) });
    receivers.push(r);
    const engine = await startEngine();
    await call(engine, 'endpoints.create', { url: r.url });
    const ev = await call(engine, 'events.create', { type: 'a.b', data: {} });
    const id = ev.deliveries![0]!.id;
    await waitFor(() => r.requests.length === 1);

    // another process takes the lease back while the first attempt is still open (as its lease recovery would)
    const other = new Database(engine.dbPath);
    other
      .prepare("UPDATE deliveries SET status = 'pending', lease_until = NULL, next_attempt_at = 0 WHERE id = ?")
      .run(id);
    other.close();
    await call(engine, 'deliveries.retry', { id });

    const done = await waitFor(async () => {
      const d = await call(engine, 'deliveries.get', { id });
      return d.attempts.length === 2 ? d : null;
    });
    // the second claim's 200 decided; the first claim's late 500 changed nothing
    expect(done.status).toBe('succeeded');
    expect(done.attemptCount).toBe(2);
    expect(done.attempts.map((a) => [a.number, a.succeeded, a.superseded])).toEqual([
      [1, true, false],
      [2, false, true],
    ]);
    expect(r.requests).toHaveLength(2);
  });

  it('refuses a second attempt with the same number for a delivery', async () => {
    const r = await startTestReceiver();
    receivers.push(r);
    const engine = await startEngine();
    await call(engine, 'endpoints.create', { url: r.url });
    const ev = await call(engine, 'events.create', { type: 'a.b', data: {} });
    const id = ev.deliveries![0]!.id;
    await waitFor(async () => (await call(engine, 'deliveries.get', { id })).status === 'succeeded');
    const db = new Database(engine.dbPath);
    const dup = db.prepare(
      `INSERT INTO attempts (delivery_id, endpoint_id, number, started_at, duration_ms, succeeded, request)
       SELECT delivery_id, endpoint_id, number, started_at, duration_ms, succeeded, request FROM attempts
       WHERE delivery_id = ?`,
    );
    expect(() => dup.run(id)).toThrow(/UNIQUE constraint failed: attempts.delivery_id, attempts.number/);
    db.close();
  });
});
