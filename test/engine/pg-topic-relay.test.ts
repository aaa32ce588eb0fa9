// Topics across processes through PostgreSQL NOTIFY: two relays on one database stand for two processes.
import { afterEach, describe, expect, it } from 'vitest';
import { openPgPool } from '../../src/main/engine/store/pg/pool';
import { PgTopicRelay, type RelayedTopic, TOPIC_CHANNEL } from '../../src/main/engine/store/pg/topic-relay';
import { recordingLog } from '../support/log';
import { createTestDatabase, pgClusterPerFile } from '../support/pg-cluster';
import { deliveryUpdate } from '../support/topics';
import { waitFor } from '../support/wait';

const cluster = pgClusterPerFile();

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** Two started relays (A and B) on a fresh database, each with its own pool, log and received list. */
async function twoRelays() {
  const url = await createTestDatabase(cluster.url);
  const make = async () => {
    const pool = openPgPool(url);
    const log = recordingLog();
    const relay = new PgTopicRelay(pool, { log, minBackoffMs: 20, maxBackoffMs: 200 });
    const got: RelayedTopic[] = [];
    await relay.start((t) => got.push(t));
    cleanup.push(async () => {
      await relay.stop();
      await pool.end();
    });
    return { pool, log, relay, got };
  };
  return { a: await make(), b: await make() };
}

const marker = (id: string) => deliveryUpdate(id, 'pending');

describe('PgTopicRelay', () => {
  it("delivers A's publish to B, parsed with the topic's schema, and not back to A", async () => {
    const { a, b } = await twoRelays();
    await a.relay.publish('delivery.updated', deliveryUpdate('dlv_a1', 'succeeded', 1));
    await waitFor(() => b.got.length === 1, { message: "B receives A's topic" });
    expect(b.got).toEqual([
      { topic: 'delivery.updated', payload: deliveryUpdate('dlv_a1', 'succeeded', 1), ref: null },
    ]);
    // A is listening (it hears B), and its own notification, sent first, was dropped
    await b.relay.publish('delivery.updated', marker('dlv_b1'));
    await waitFor(() => a.got.length > 0, { message: "A receives B's topic" });
    expect(a.got.map((t) => (t.payload as { id: string }).id)).toEqual(['dlv_b1']);
  });

  it('publishMany packs a batch into as few notifications as fit, in order, and B unpacks every topic', async () => {
    const { a, b } = await twoRelays();
    // ~300 topics of ~150 bytes: more than one 8000-byte notification, far fewer than one each
    const items = Array.from({ length: 300 }, (_, i) => ({
      topic: 'delivery.updated' as const,
      payload: deliveryUpdate(`dlv_batch_${i}`, 'succeeded', 1),
    }));
    const notified: string[] = [];
    const tap = await b.pool.connect();
    cleanup.push(async () => tap.release());
    tap.on('notification', (n) => notified.push(n.payload ?? ''));
    await tap.query(`LISTEN ${TOPIC_CHANNEL}`);
    await a.relay.publishMany(items);
    await waitFor(() => b.got.length === 300, { message: 'B receives the whole batch' });
    // the tap is another session: its copies of the notifications may arrive a moment later
    const heard = () => notified.reduce((n, p) => n + ((JSON.parse(p) as { batch?: unknown[] }).batch?.length ?? 1), 0);
    await waitFor(() => heard() === 300, { message: 'the tap hears every notification of the batch' });
    expect(b.got.map((t) => (t.payload as { id: string }).id)).toEqual(items.map((i) => i.payload.id));
    expect(notified.length).toBeGreaterThan(1);
    expect(notified.length).toBeLessThan(20);
    expect(Math.max(...notified.map((n) => Buffer.byteLength(n)))).toBeLessThan(8000);
  });

  it('a topic published inside a transaction goes out at its commit, and never if it rolls back', async () => {
    const { a, b } = await twoRelays();
    const tx = await a.pool.connect();
    try {
      await tx.query('BEGIN');
      await a.relay.publish('delivery.updated', marker('dlv_rolled_back'), tx);
      await tx.query('ROLLBACK');
      await tx.query('BEGIN');
      await a.relay.publish('delivery.updated', marker('dlv_committed'), tx);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(b.got).toEqual([]); // not before the commit
      await tx.query('COMMIT');
    } finally {
      tx.release();
    }
    await waitFor(() => b.got.length === 1, { message: 'B receives the committed topic' });
    expect(b.got.map((t) => (t.payload as { id: string }).id)).toEqual(['dlv_committed']);
  });

  it('drops malformed notifications with a warning and keeps listening', async () => {
    const { a, b } = await twoRelays();
    for (const bad of [
      'not json',
      JSON.stringify({ from: 'x', topic: 'no.such.topic', payload: {} }),
      JSON.stringify({ from: 'x', topic: 'delivery.updated', payload: { id: 'dlv_1' } }),
      JSON.stringify({ topic: 'settings.updated', payload: {} }),
    ]) {
      await a.pool.query('SELECT pg_notify($1, $2)', [TOPIC_CHANNEL, bad]);
    }
    await a.relay.publish('settings.updated', {});
    await waitFor(() => b.got.length === 1, { message: 'B receives the valid topic' });
    expect(b.got).toEqual([{ topic: 'settings.updated', payload: {}, ref: null }]);
    expect(b.log.messages('warn')).toEqual([
      'dropped a malformed topic notification',
      'dropped a malformed topic notification',
      'dropped a topic notification with a malformed payload',
      'dropped a malformed topic notification',
    ]);
  });

  it("sends a payload over NOTIFY's 8000-byte limit as its id, for the receiver to refetch", async () => {
    const { a, b } = await twoRelays();
    const big = { inboxId: 'inb_1', request: { id: 'req_big', body: 'x'.repeat(10_000) } };
    await a.relay.publish('inbox.request', big);
    await waitFor(() => b.got.length === 1, { message: 'B receives the oversized topic by reference' });
    expect(b.got).toEqual([{ topic: 'inbox.request', payload: null, ref: 'req_big' }]);
  });

  it('re-listens after its connection is killed: a gap is reported, then topics arrive again', async () => {
    const { a, b } = await twoRelays();
    const first = b.relay.listenerPid;
    expect(first).toEqual(expect.any(Number));
    const { rows } = await a.pool.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [first]);
    expect(rows).toEqual([{ ok: true }]);

    const second = await waitFor(() => b.relay.listenerPid !== first && b.relay.listenerPid, {
      message: 'B listens again on a new connection',
    });
    expect(second).not.toBe(first);
    await waitFor(() => b.got.some((t) => t.topic === 'stream.gap'), { message: 'B reports the gap' });
    await a.relay.publish('delivery.updated', marker('dlv_after'));
    await waitFor(() => b.got.some((t) => t.topic === 'delivery.updated'), { message: 'B hears A again' });
    expect(b.got).toEqual([
      { topic: 'stream.gap', payload: { dropped: null }, ref: null },
      { topic: 'delivery.updated', payload: marker('dlv_after'), ref: null },
    ]);
    expect(b.log.messages('warn')).toContain('topic relay lost its PostgreSQL connection; re-listening');
    // and says when it is back, so that a log does not end on the loss
    expect(b.log.messages('info')).toContain('topic relay listening again');
  });

  it('stop() ends the listening session and nothing more is received', async () => {
    const { a, b } = await twoRelays();
    const pid = b.relay.listenerPid;
    await b.relay.stop();
    expect(b.relay.listenerPid).toBeNull();
    await waitFor(
      async () => (await a.pool.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount === 0,
      { message: "B's session ends" },
    );
    await a.relay.publish('settings.updated', {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(b.got).toEqual([]);
  });
});
