// Claims bounded across processes on PostgreSQL: per-endpoint concurrency (live leases in all processes together)
// and the endpoint's rate limit (a shared token bucket), both held by claimWithin's per-endpoint lock. Two pools
// stand for two processes.

import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { ClaimedRow } from '../../src/main/engine/delivery/queue';
import { claimWithin } from '../../src/main/engine/store/pg/claims';
import { PgDeliveryStates } from '../../src/main/engine/store/pg/delivery-states';
import { openPgPool } from '../../src/main/engine/store/pg/pool';
import { pgClusterPerFile } from '../support/pg-cluster';
import { pgStore } from '../support/state-stores';

const cluster = pgClusterPerFile();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every claim loop's result; the first failure rethrown only once all have stopped (none outlives its pool). */
async function settled<T>(loops: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(loops);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/** A migrated database with `pending` deliveries due on endpoint A (optionally rate limited). */
async function backlog(pending: number, ratePerSec: number | null = null) {
  const store = await pgStore(cluster.url);
  await store.seed(['A'], ['e1']);
  await store.sql('UPDATE endpoints SET rate_limit_per_sec = ? WHERE id = ?', [ratePerSec, 'A']);
  await store.sql(
    `INSERT INTO deliveries (id, event_id, endpoint_id, event_type, status, max_attempts, next_attempt_at,
       created_at, updated_at)
     SELECT 'd' || g, 'e1', 'A', 'a.b', 'pending', 3, g, 0, 0 FROM generate_series(1, ?::int) AS g`,
    [pending],
  );
  const pools = [openPgPool(store.url), openPgPool(store.url)];
  return {
    ...store,
    pools,
    async closeAll() {
      await Promise.all(pools.map((p) => p.end()));
      await store.close();
    },
  };
}

function succeed(states: PgDeliveryStates, r: ClaimedRow) {
  return states.finish({
    id: r.id,
    leaseSeq: r.lease_seq,
    attemptCount: r.attempt_count,
    status: 'succeeded',
    pausedReason: null,
    nextAt: null,
    lastStatus: 200,
    durationMs: 1,
    error: null,
    now: Date.now(),
  });
}

describe('claimWithin: per-endpoint concurrency across processes', () => {
  it('two processes together never hold more than maxInFlight live leases, and claim everything', async () => {
    const PENDING = 200;
    const MAX = 8;
    const store = await backlog(PENDING);
    let highest = 0;
    try {
      const loops = store.pools.flatMap((pool) =>
        Array.from({ length: 2 }, async () => {
          const states = new PgDeliveryStates(pool);
          const claimed: string[] = [];
          const finishing: Promise<unknown>[] = [];
          // bounded: each round claims, or waits a little for another claimer's attempts to finish
          for (let round = 0; round < 5_000; round++) {
            const now = Date.now();
            const got = await claimWithin(pool, {
              endpointId: 'A',
              now,
              leaseUntil: now + 60_000,
              limit: 3,
              maxInFlight: MAX,
            });
            expect(got.live).toBeLessThanOrEqual(MAX);
            highest = Math.max(highest, got.live);
            const [live] = await store.sql(
              "SELECT count(*)::int AS n FROM deliveries WHERE status = 'sending' AND lease_until > ?",
              [Date.now()],
            );
            expect(live?.n).toBeLessThanOrEqual(MAX);
            claimed.push(...got.rows.map((r) => r.id));
            // each attempt "runs" a few ms, then its outcome frees a slot
            // (a failed finish is kept as its error, checked below, rather than left unhandled meanwhile)
            for (const r of got.rows) {
              finishing.push(
                sleep(2 + (round % 4))
                  .then(() => succeed(states, r))
                  .catch((err: Error) => err),
              );
            }
            if (got.rows.length === 0) {
              const [left] = await store.sql("SELECT count(*)::int AS n FROM deliveries WHERE status = 'pending'");
              if (left?.n === 0) break;
              await sleep(1);
            }
          }
          const outcomes = await Promise.all(finishing);
          expect(outcomes.filter((o) => o === null || o instanceof Error)).toEqual([]);
          return claimed;
        }),
      );
      const claimed = (await settled(loops)).flat();
      expect(claimed).toHaveLength(PENDING);
      expect(new Set(claimed).size).toBe(PENDING);
      // the bound was reached (as the claims counted it), so it is what held the claimers back
      expect(highest).toBe(MAX);
      const rows = await store.sql('SELECT status, count(*)::int AS n FROM deliveries GROUP BY status');
      expect(rows).toEqual([{ status: 'succeeded', n: PENDING }]);
    } finally {
      await store.closeAll();
    }
  });

  it('inside a caller transaction: rolled back, its leases are undone; outside one, it refuses', async () => {
    const store = await backlog(10, 5);
    const client = await store.pools[0]!.connect();
    try {
      await expect(
        claimWithin(client, { endpointId: 'A', now: 1_000, leaseUntil: 61_000, limit: 5, maxInFlight: 8 }),
      ).rejects.toThrow(/inside a transaction/);
      await client.query('BEGIN');
      const got = await claimWithin(client, {
        endpointId: 'A',
        now: 1_000,
        leaseUntil: 61_000,
        limit: 10,
        maxInFlight: 8,
      });
      // a burst of 5 tokens (5/s) bounds it below maxInFlight
      expect(got.rows.map((r) => r.id)).toEqual(['d1', 'd2', 'd3', 'd4', 'd5']);
      expect(got.tokenAt).toBe(1_200);
      await client.query('ROLLBACK');
      expect(await store.sql("SELECT count(*)::int AS n FROM deliveries WHERE status = 'pending'")).toEqual([
        { n: 10 },
      ]);
      expect(await store.sql('SELECT * FROM endpoint_rate')).toEqual([]);
    } finally {
      client.release();
      await store.closeAll();
    }
  });
});

describe('claimWithin: per-endpoint rate limit across processes', () => {
  it('two processes claiming for 1.5 s at 20/s take no more than 20 * 1.5 + a burst of 20', async () => {
    const RATE = 20;
    const WINDOW_MS = 1_500;
    const store = await backlog(200, RATE);
    try {
      const start = Date.now();
      const loops = store.pools.flatMap((pool) =>
        Array.from({ length: 2 }, async () => {
          let taken = 0;
          let heldUntil = 0;
          // bounded by the window: every round either claims or sleeps until the next token (at most 20 ms)
          while (Date.now() - start < WINDOW_MS) {
            const now = Date.now();
            const got = await claimWithin(pool, {
              endpointId: 'A',
              now,
              leaseUntil: now + 60_000,
              limit: 10,
              maxInFlight: 1_000,
            });
            taken += got.rows.length;
            if (got.rows.length === 0) {
              expect(got.tokenAt).not.toBeNull();
              heldUntil = got.tokenAt ?? now;
              await sleep(Math.min(20, Math.max(1, heldUntil - Date.now())));
            }
          }
          return taken;
        }),
      );
      const total = (await settled(loops)).reduce((a, b) => a + b, 0);
      expect(total).toBeLessThanOrEqual(RATE * (WINDOW_MS / 1_000) + RATE);
      // and the limit is not stricter than asked: the burst plus most of the refill was taken
      expect(total).toBeGreaterThanOrEqual(RATE + RATE);
      const [sending] = await store.sql("SELECT count(*)::int AS n FROM deliveries WHERE status = 'sending'");
      expect(sending?.n).toBe(total);
    } finally {
      await store.closeAll();
    }
  });

  it("shares one bucket, and a process whose clock lags never makes tokens from another's", async () => {
    const store = await backlog(30, 10); // 10/s: a burst of 10
    const [a, b] = store.pools as [pg.Pool, pg.Pool];
    const claim = (pool: pg.Pool, now: number, limit: number) =>
      claimWithin(pool, { endpointId: 'A', now, leaseUntil: now + 60_000, limit, maxInFlight: 100 });
    try {
      expect((await claim(a, 10_000, 4)).rows).toHaveLength(4);
      // B's clock is 5 s behind: it sees the 6 tokens left (no refill for a time before the last one)
      const fromB = await claim(b, 5_000, 10);
      expect(fromB.rows).toHaveLength(6);
      expect(fromB.tokenAt).toBe(5_100);
      // A, at its own time, finds the bucket empty: B's lagging clock did not move the refill time back
      const again = await claim(a, 10_000, 10);
      expect(again.rows).toEqual([]);
      expect(again.tokenAt).toBe(10_100);
      // 250 ms later two tokens have come
      expect((await claim(b, 10_250, 10)).rows).toHaveLength(2);
      expect(await store.sql('SELECT tokens, refilled_at FROM endpoint_rate')).toEqual([
        { tokens: 0.5, refilled_at: 10_250 },
      ]);
    } finally {
      await store.closeAll();
    }
  });
});
