// runExclusively: of processes starting the same round together, exactly one runs it; the lock is free after.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgPool } from '../../src/main/engine/store/pg/pool';
import { runExclusively } from '../../src/main/engine/store/pg/round-lock';
import { createTestDatabase, type PgCluster, startPgCluster } from '../support/pg-cluster';
import { waitFor } from '../support/wait';

let cluster: PgCluster;
let pools: pg.Pool[];
beforeAll(async () => {
  cluster = await startPgCluster();
  const url = await createTestDatabase(cluster.url);
  pools = [openPgPool(url), openPgPool(url)]; // two processes
});
afterAll(async () => {
  await Promise.all((pools ?? []).map((p) => p.end()));
  await cluster?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runExclusively', () => {
  it('runs a round in exactly one of two concurrent callers; the next call after it runs', async () => {
    let running = 0;
    const runs: string[] = [];
    // the first round to start holds on until the other call has answered (skipped, or run: a failure below), so
    // the two overlap whatever the machine's load; later rounds end at once
    let otherAnswered: () => void = () => {};
    const answered = new Promise<void>((resolve) => {
      otherAnswered = resolve;
    });
    const round = (who: string) => async () => {
      running++;
      expect(running).toBe(1);
      runs.push(who);
      if (runs.length === 1) await Promise.race([answered, sleep(10_000)]);
      running--;
    };
    const calls = [
      runExclusively(pools[0]!, 'retention', round('a')),
      runExclusively(pools[1]!, 'retention', round('b')),
    ];
    for (const c of calls) void c.then(otherAnswered, otherAnswered);
    const ran = await Promise.all(calls);
    expect(ran.filter(Boolean)).toHaveLength(1);
    expect(runs).toHaveLength(1);

    // the winner let go: the other process runs the next round
    expect(await runExclusively(pools[1]!, 'retention', round('b'))).toBe(true);
    expect(await runExclusively(pools[0]!, 'retention', round('a'))).toBe(true);
    expect(runs.slice(1)).toEqual(['b', 'a']);
  });

  it('holds each name apart, also within one process, and frees the lock when the round throws', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const long = runExclusively(pools[0]!, 'lease-recovery', () => held);
    await waitFor(
      async () =>
        (await pools[1]!.query("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted")).rowCount === 1,
      { message: 'the long round holds its lock' },
    );
    // another client of the same pool is another session: it skips too
    expect(await runExclusively(pools[0]!, 'lease-recovery', () => {})).toBe(false);
    expect(await runExclusively(pools[1]!, 'lease-recovery', () => {})).toBe(false);
    // a different round is not held up
    expect(await runExclusively(pools[1]!, 'retention', () => {})).toBe(true);
    release();
    expect(await long).toBe(true);

    await expect(
      runExclusively(pools[0]!, 'lease-recovery', () => {
        throw new Error('round failed');
      }),
    ).rejects.toThrow('round failed');
    expect(await runExclusively(pools[1]!, 'lease-recovery', () => {})).toBe(true);
    const { rows } = await pools[0]!.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'");
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('survives losing its lock session mid-round (the process does not crash); the lock is free after', async () => {
    const ran = await runExclusively(pools[0]!, 'retention', async () => {
      // the server ends the session holding the round's lock while the round runs (as on a restart)
      const { rows } = await pools[1]!.query<{ ok: boolean }>(
        "SELECT pg_terminate_backend(pid) AS ok FROM pg_locks WHERE locktype = 'advisory' AND granted",
      );
      expect(rows).toEqual([{ ok: true }]);
      await sleep(100); // the dead session's error reaches its client while the round still runs
    });
    expect(ran).toBe(true);
    expect(await runExclusively(pools[1]!, 'retention', () => {})).toBe(true);
    expect(await runExclusively(pools[0]!, 'retention', () => {})).toBe(true);
  });
});
