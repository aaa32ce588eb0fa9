// Fair scheduling (issue 10): a hanging or backlogged endpoint never delays another endpoint's deliveries. A real
// engine on a temp SQLite file, and the same on a private PostgreSQL (issue 15: one suite, both stores), real
// receivers on 127.0.0.1; "delivered" is the healthy receiver having the request,
// matched to its event by the `webhook-id` header. The issue asks for the same target here as in the bench: every
// delivery, enqueue→delivered p99 ≤ 250 ms.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { call, startEngine } from '../support/engine';
import { engineStores, stopEngineStores } from '../support/engine-stores';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { sleep, waitFor } from '../support/wait';

const TARGET_P99_MS = 250;
/** how long, after the last event, a late delivery is still waited for before the test counts it missing */
const SETTLE_MS = 3_000;
/** a hanging receiver answers long after every test here has ended (its sockets are closed at the end) */
const HANG_MS = 600_000;

const receivers: TestReceiver[] = [];
// Receivers stop before the engine does (hooks run in reverse order of registration: this one first), so hung
// requests fail at once instead of the engine's stop waiting out their timeouts.
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

async function receiver(delayMs = 0): Promise<TestReceiver> {
  const r = await startTestReceiver({ respond: () => ({ delayMs }) });
  receivers.push(r);
  return r;
}

/** nearest-rank quantile */
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

/**
 * Fires `count` events at `perSec` on a fixed schedule; resolves to each event's enqueue time (Date.now() just
 * before events.create) by event id.
 */
async function firePaced(
  count: number,
  perSec: number,
  fire: (i: number) => Promise<{ id: string }>,
): Promise<Map<string, number>> {
  const sentAt = new Map<string, number>();
  const start = Date.now();
  for (let i = 0; i < count; i++) {
    const wait = start + (i * 1000) / perSec - Date.now();
    if (wait > 0) await sleep(wait);
    const t0 = Date.now();
    sentAt.set((await fire(i)).id, t0);
  }
  return sentAt;
}

/** Waits (bounded) for every event at the receiver, then returns what arrived: counts and latencies. */
async function deliveredTo(healthy: TestReceiver, sentAt: Map<string, number>) {
  await waitFor(() => healthy.requests.length >= sentAt.size, { timeoutMs: SETTLE_MS }).catch(() => undefined);
  const latencies: number[] = [];
  const ids = new Set<string>();
  for (const req of healthy.requests) {
    const id = String(req.headers['webhook-id']);
    const t0 = sentAt.get(id);
    if (t0 !== undefined && !ids.has(id)) latencies.push(req.receivedAt - t0);
    ids.add(id);
  }
  const missingIds = [...sentAt.keys()].filter((id) => !ids.has(id));
  return {
    requests: healthy.requests.length,
    missing: missingIds.length,
    missingIds,
    latencies,
    p99: quantile(latencies, 0.99),
  };
}

/** what a failed "missing" check prints: where each missing delivery stands (status, attempts, last error, due) */
async function whereMissing(
  engine: Parameters<typeof call>[0],
  endpointId: string,
  missingIds: string[],
  sentAt: Map<string, number>,
): Promise<string> {
  const lines = await Promise.all(
    missingIds.slice(0, 5).map(async (eventId) => {
      const { data } = await call(engine, 'deliveries.list', { eventId, endpointId, limit: 5 });
      const d = data[0];
      if (!d) return `${eventId}: no delivery`;
      const fired = new Date(sentAt.get(eventId) ?? 0).toISOString();
      return `${eventId} (fired ${fired}): ${d.status}, ${d.attemptCount} attempts, last ${d.lastStatus ?? d.lastError}, next ${d.nextAttemptAt}, updated ${d.updatedAt}`;
    }),
  );
  return `healthy deliveries missing ${SETTLE_MS} ms after the last event (now ${new Date().toISOString()}):\n${lines.join('\n')}`;
}

/** what a failed latency check prints: the spread, not just the quantile that missed */
function spread(latencies: number[]): string {
  const slowest = [...latencies].sort((a, b) => b - a).slice(0, 5);
  return `enqueue→delivered p99 (p50 ${quantile(latencies, 0.5)} ms, slowest ${slowest.join(', ')} ms)`;
}

afterAll(stopEngineStores);

describe.each(engineStores)('fair scheduling on $store', ({ fresh, on }) => {
  it('beside 8 endpoints that never answer, a healthy one gets every delivery with p99 ≤ 250 ms', async () => {
    const hanging = await Promise.all(Array.from({ length: 8 }, () => receiver(HANG_MS)));
    const healthy = await receiver();
    const engine = await startEngine(on(await fresh()));
    // 10 s timeouts: every attempt to a hanging endpoint holds its slot for the whole run
    for (const r of hanging) await call(engine, 'endpoints.create', { url: `${r.url}/hook`, timeoutMs: 10_000 });
    const healthyEndpoint = await call(engine, 'endpoints.create', { url: `${healthy.url}/hook`, timeoutMs: 10_000 });

    // 200 events at 20/s, each fanned out to all nine endpoints
    const sentAt = await firePaced(200, 20, (i) => call(engine, 'events.create', { type: 'bench.tick', data: { i } }));
    const got = await deliveredTo(healthy, sentAt);

    expect(hanging.every((r) => r.requests.length > 0)).toBe(true); // the hanging endpoints were really tried
    const why = got.missing > 0 ? await whereMissing(engine, healthyEndpoint.id, got.missingIds, sentAt) : '';
    expect(got.missing, why).toBe(0);
    expect(got.requests).toBe(200); // each once
    expect(got.p99, spread(got.latencies)).toBeLessThanOrEqual(TARGET_P99_MS);
  });

  it('beside an endpoint with 5,000 waiting deliveries, a new event for another endpoint is delivered within the same p99', async () => {
    const slow = await receiver(1_000);
    const healthy = await receiver();
    // The backlog is written with the dispatcher off, so all of it is due when the dispatching engine starts.
    const db = await fresh();
    const filler = await startEngine({ ...on(db), dispatch: false });
    const backlogged = await call(filler, 'endpoints.create', { url: `${slow.url}/hook` });
    const other = await call(filler, 'endpoints.create', { url: `${healthy.url}/hook` });
    for (let i = 0; i < 5_000; i += 500) {
      await Promise.all(
        Array.from({ length: 500 }, (_, j) =>
          call(filler, 'events.create', { type: 'bench.tick', data: { i: i + j }, endpointIds: [backlogged.id] }),
        ),
      );
    }
    await filler.stop();

    const engine = await startEngine(on(db));
    // the dispatcher is at work on the backlog
    await waitFor(() => slow.requests.length > 0, { message: 'the backlogged endpoint to get its first request' });
    const sentAt = await firePaced(50, 20, (i) =>
      call(engine, 'events.create', { type: 'bench.tick', data: { i }, endpointIds: [other.id] }),
    );
    const got = await deliveredTo(healthy, sentAt);

    expect(got.missing, `deliveries missing ${SETTLE_MS} ms after the last event`).toBe(0);
    expect(got.requests).toBe(50);
    expect(got.p99, spread(got.latencies)).toBeLessThanOrEqual(TARGET_P99_MS);
    // the backlog is still there: the endpoint was slow, not drained
    const waiting = await call(engine, 'deliveries.list', { endpointId: backlogged.id, status: 'pending', limit: 1 });
    expect(waiting.data.length).toBe(1);
  });
});
