// Retry schedules on a test clock: no sleeping for the backoff, exact times asserted.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../support/clock';
import { call, startEngine } from '../support/engine';
import { startTestReceiver, type TestReceiver, type TestResponse } from '../support/receiver';
import { waitFor } from '../support/wait';

const receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});
async function receiver(respond: (n: number) => TestResponse) {
  const r = await startTestReceiver({ respond: (_req, n) => respond(n) });
  receivers.push(r);
  return r;
}

const policy = { initialDelayMs: 1_000, multiplier: 2, maxDelayMs: 60_000, maxAttempts: 5, jitter: 0 };

async function setup(respond: (n: number) => TestResponse, retry: Partial<typeof policy> = {}) {
  const clock = new FakeClock();
  const engine = await startEngine({ clock });
  await call(engine, 'settings.update', { retry: { ...policy, ...retry } });
  const r = await receiver(respond);
  await call(engine, 'endpoints.create', { url: r.url });
  const ev = await call(engine, 'events.create', { type: 'invoice.paid', validate: false, data: {} });
  const id = ev.deliveries![0]!.id;
  const get = () => call(engine, 'deliveries.get', { id });
  /** waits until the delivery has made n attempts and left `sending` */
  const attempts = (n: number) =>
    waitFor(async () => {
      const d = await get();
      return d.attemptCount === n && d.status !== 'sending' ? d : null;
    });
  return { clock, engine, r, get, attempts, t0: clock.now() };
}

describe('retries', () => {
  it('retries a receiver that fails twice on the backoff schedule, then succeeds', async () => {
    const { clock, r, attempts, t0 } = await setup((n) => ({ status: n <= 2 ? 500 : 200 }));
    let d = await attempts(1);
    expect(d.status).toBe('pending');
    expect(d.nextAttemptAt).toBe(new Date(t0 + 1_000).toISOString());
    clock.advance(999);
    await new Promise((res) => setTimeout(res, 50));
    expect(r.requests).toHaveLength(1);
    clock.advance(1);
    d = await attempts(2);
    expect(d.status).toBe('pending');
    expect(d.nextAttemptAt).toBe(new Date(t0 + 3_000).toISOString());
    clock.advance(2_000);
    d = await attempts(3);
    expect(d.status).toBe('succeeded');
    expect(d.nextAttemptAt).toBeNull();
    expect(d.attempts.map((a) => [a.number, a.response?.status, a.succeeded])).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 200, true],
    ]);
    expect(d.attempts.map((a) => Date.parse(a.startedAt) - t0)).toEqual([0, 1_000, 3_000]);
    // the same event id signs every attempt; the timestamp is the attempt's own
    const ids = new Set(r.requests.map((q) => q.headers['webhook-id']));
    expect(ids.size).toBe(1);
    expect(r.requests.map((q) => Number(q.headers['webhook-timestamp']))).toEqual(
      [0, 1, 3].map((s) => Math.floor(t0 / 1000) + s),
    );
    expect(new Set(r.requests.map((q) => q.body)).size).toBe(1);
  });

  it('gives up after maxAttempts: failed', async () => {
    const { clock, attempts } = await setup(() => ({ status: 500 }), { maxAttempts: 3 });
    await attempts(1);
    clock.advance(1_000);
    await attempts(2);
    clock.advance(2_000);
    const d = await attempts(3);
    expect(d.status).toBe('failed');
    expect(d.nextAttemptAt).toBeNull();
    expect(d.lastError).toBe('HTTP 500');
  });

  it('honours Retry-After in seconds on 429', async () => {
    const { attempts, t0 } = await setup((n) => (n === 1 ? { status: 429, headers: { 'retry-after': '7' } } : {}));
    const d = await attempts(1);
    expect(d.nextAttemptAt).toBe(new Date(t0 + 7_000).toISOString());
  });

  it('honours Retry-After as an HTTP date on 503', async () => {
    const clock = new FakeClock();
    const at = new Date(clock.now() + 20_000).toUTCString();
    const engine = await startEngine({ clock });
    await call(engine, 'settings.update', { retry: policy });
    const r = await receiver(() => ({ status: 503, headers: { 'retry-after': at } }));
    await call(engine, 'endpoints.create', { url: r.url });
    const ev = await call(engine, 'events.create', { type: 'invoice.paid', validate: false, data: {} });
    const d = await waitFor(async () => {
      const x = await call(engine, 'deliveries.get', { id: ev.deliveries![0]!.id });
      return x.attemptCount === 1 && x.status === 'pending' ? x : null;
    });
    expect(Date.parse(d.nextAttemptAt!)).toBe(Date.parse(at));
  });

  it('caps Retry-After at maxDelayMs and ignores it on other statuses', async () => {
    const capped = await setup(() => ({ status: 503, headers: { 'retry-after': '86400' } }));
    expect((await capped.attempts(1)).nextAttemptAt).toBe(new Date(capped.t0 + 60_000).toISOString());
    const ignored = await setup(() => ({ status: 500, headers: { 'retry-after': '30' } }));
    expect((await ignored.attempts(1)).nextAttemptAt).toBe(new Date(ignored.t0 + 1_000).toISOString());
  });
});
