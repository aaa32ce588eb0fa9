// Finding deliveries by what they carry (issue 13 item 9): q over ids, the event's data (FTS5, migration 6) and
// the last attempt's response body; filters by HTTP status class and by transport error kind; the COUNT of a
// filter. Real receivers on 127.0.0.1 produce each kind of failure.

import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer, type Server } from 'node:net';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/main/engine/db/migrate';
import { migrations } from '../../src/main/engine/db/migrations';
import { SearchIndex } from '../../src/main/engine/db/search-index';
import { silentLogger } from '../../src/main/engine/types';
import type { DeliveryFilter } from '../../src/shared';
import { call, startEngine } from '../support/engine';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { tempDbPath } from '../support/temp';
import { waitFor } from '../support/wait';

const receivers: TestReceiver[] = [];
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A TCP server that answers any request with bytes that are not HTTP. */
async function garbageServer(): Promise<string> {
  const server = createTcpServer((socket) => {
    socket.on('data', () => socket.end('this is not HTTP at all\r\n\r\n'));
    socket.on('error', () => {});
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
}

/** A port that was free a moment ago: nothing listens, so connecting is refused. */
async function closedPort(): Promise<string> {
  const server = createTcpServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}/hook`;
}

async function engineWithOneAttempt() {
  const engine = await startEngine();
  await call(engine, 'settings.update', { retry: { maxAttempts: 1 }, autoDisable: { threshold: 0 } });
  return engine;
}

async function settled(engine: Awaited<ReturnType<typeof startEngine>>, count: number) {
  await waitFor(async () => {
    const all = await call(engine, 'deliveries.list', { limit: 500 });
    return all.data.length === count && all.data.every((d) => d.status === 'succeeded' || d.status === 'failed');
  });
}

const ids = async (engine: Awaited<ReturnType<typeof startEngine>>, filter: DeliveryFilter) =>
  (await call(engine, 'deliveries.list', { ...filter, limit: 500 })).data.map((d) => d.id).sort();

describe('deliveries search and filters', () => {
  it('q finds deliveries by id prefix, by words of the event data and by the last response body', async () => {
    const ok = await startTestReceiver({ respond: () => ({ body: '{"accepted":"order-7781 queued"}' }) });
    receivers.push(ok);
    const engine = await engineWithOneAttempt();
    await call(engine, 'endpoints.create', { url: ok.url });
    const ada = await call(engine, 'events.create', {
      type: 'user.created',
      validate: false,
      data: { user: { email: 'ada.lovelace@example.com', name: 'Ada' } },
    });
    const grace = await call(engine, 'events.create', {
      type: 'user.created',
      validate: false,
      data: { user: { email: 'grace@navy.mil', name: 'Grace "Amazing" Hopper' } },
    });
    await settled(engine, 2);
    const adaId = ada.deliveries![0]!.id;
    const graceId = grace.deliveries![0]!.id;

    expect(await ids(engine, { q: 'lovelace' })).toEqual([adaId]);
    // an e-mail address is the phrase of its words; the last word may be cut short
    expect(await ids(engine, { q: 'ada.lovelace@exam' })).toEqual([adaId]);
    expect(await ids(engine, { q: 'HOPPER' })).toEqual([graceId]);
    // FTS5 syntax in the text is taken as text, never as a query
    expect(await ids(engine, { q: '"Amazing" OR NOT' })).toEqual([]);
    expect(await ids(engine, { q: 'Amazing' })).toEqual([graceId]);
    // ids by prefix still
    // (past the time-ordered head of the UUIDv7, into its random part: two ids of the same moment share the head)
    expect(await ids(engine, { q: adaId.slice(0, 28) })).toEqual([adaId]);
    expect(await ids(engine, { q: grace.id })).toEqual([graceId]);
    // the receiver's answer (both got it); punctuation-only text searches bodies and ids, not the index
    expect(await ids(engine, { q: 'order-7781' })).toEqual([adaId, graceId].sort());
    expect(await ids(engine, { q: '%' })).toEqual([]);
    expect(await ids(engine, { q: 'nobody-says-this' })).toEqual([]);
    // the count of a filter is the number of rows the list pages through
    expect(await call(engine, 'deliveries.count', { q: 'order-7781' })).toEqual({ count: 2 });
    expect(await call(engine, 'deliveries.count', { q: 'lovelace', status: 'failed' })).toEqual({ count: 0 });
    expect(await call(engine, 'deliveries.count', { status: [] })).toEqual({ count: 0 });
    // and events.list searches the same index
    const events = await call(engine, 'events.list', { q: 'lovelace' });
    expect(events.data.map((e) => e.id)).toEqual([ada.id]);
    expect(events.data[0]!.deliveries).toEqual([
      { id: adaId, endpointId: expect.any(String), status: 'succeeded', attemptCount: 1, maxAttempts: 1 },
    ]);
  });

  it('filters by the HTTP status class and by the kind of transport error', async () => {
    const ok = await startTestReceiver();
    const notFound = await startTestReceiver({ respond: () => ({ status: 404 }) });
    const broken = await startTestReceiver({ respond: () => ({ status: 503 }) });
    const hang = await startTestReceiver({ respond: () => ({ delayMs: 5_000 }) });
    receivers.push(ok, notFound, broken, hang);
    const engine = await engineWithOneAttempt();
    const urls = {
      ok: ok.url,
      notFound: notFound.url,
      broken: broken.url,
      timeout: hang.url,
      refused: await closedPort(),
      invalid: await garbageServer(),
      // TLS spoken to a plain HTTP server: the handshake fails
      tls: ok.url.replace('http://', 'https://'),
    };
    const byName: Record<string, string> = {};
    for (const [name, url] of Object.entries(urls)) {
      const ep = await call(engine, 'endpoints.create', { url, timeoutMs: 300, eventTypes: [`t.${name}`] });
      const ev = await call(engine, 'events.create', { type: `t.${name}`, data: { name }, endpointIds: [ep.id] });
      byName[name] = ev.deliveries![0]!.id;
    }
    await settled(engine, Object.keys(urls).length);

    expect(await ids(engine, { statusClass: '2xx' })).toEqual([byName.ok]);
    expect(await ids(engine, { statusClass: '4xx' })).toEqual([byName.notFound]);
    expect(await ids(engine, { statusClass: '5xx' })).toEqual([byName.broken]);
    expect(await ids(engine, { statusClass: '3xx' })).toEqual([]);
    expect(await ids(engine, { errorKind: 'timeout' })).toEqual([byName.timeout]);
    expect(await ids(engine, { errorKind: 'refused' })).toEqual([byName.refused]);
    const invalid = await call(engine, 'deliveries.get', { id: byName.invalid! });
    expect(await ids(engine, { errorKind: 'invalid_response' }), String(invalid.lastError)).toEqual([byName.invalid]);
    expect(await ids(engine, { errorKind: 'tls' })).toEqual([byName.tls]);
    // combined with other filters, and counted the same way
    expect(await ids(engine, { errorKind: 'timeout', status: 'succeeded' })).toEqual([]);
    expect(await call(engine, 'deliveries.count', { status: 'failed' })).toEqual({ count: 6 });
    expect(await call(engine, 'deliveries.count', {})).toEqual({ count: 7 });
    // retry-every-failed takes the same filter
    expect(await call(engine, 'deliveries.retryMatching', { errorKind: 'refused' })).toEqual({
      retried: 1,
      dryRun: false,
    });
  });

  it('rejects an unknown status class or error kind with a typed error', async () => {
    const engine = await startEngine({ dispatch: false });
    await expect(call(engine, 'deliveries.list', { statusClass: '6xx' as never })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(call(engine, 'deliveries.count', { errorKind: 'dns' as never })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });
});

describe('migrations 6 to 8 (event search index, indexed off the hot path up to a mark)', () => {
  const insertInto = (db: Database.Database) =>
    db.prepare("INSERT INTO events (id, type, version, created_at, data) VALUES (?, 'a.b', 'v1', ?, ?)");
  const matcher = (db: Database.Database) => (q: string) =>
    db
      .prepare('SELECT e.id FROM events e WHERE e.rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)')
      .all(q);
  /** FTS5 checks its token lists against events.data: throws when the index holds a row it should not, or misses one */
  const integrity = (db: Database.Database) =>
    db.prepare("INSERT INTO events_fts (events_fts, rank) VALUES ('integrity-check', 1)").run();
  const mark = (db: Database.Database) =>
    (db.prepare('SELECT indexed_upto AS upto FROM events_fts_state').get() as { upto: number }).upto;
  /** A database at the latest version, with its event insert, search and index writer. */
  const freshIndex = () => {
    const db = new Database(tempDbPath());
    migrate(db);
    return { db, insert: insertInto(db), match: matcher(db), index: new SearchIndex(db, silentLogger) };
  };

  it('indexes events stored before it, leaves new ones for SearchIndex, and follows deletes', async () => {
    const path = tempDbPath();
    const db = new Database(path);
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      migrations.filter((m) => m.version < 6),
    );
    const at = Date.now();
    const insert = insertInto(db);
    insert.run('ev_old', at, JSON.stringify({ customer: 'Wolfeschlegelsteinhausen' }));
    // up to 8: the migrations this story is about (later ones change other tables)
    const upTo8 = migrations.filter((m) => m.version <= 8);
    expect(migrate(db, upTo8)).toEqual([6, 7, 8]);
    const match = matcher(db);
    expect(match('"wolfeschlegel"*')).toEqual([{ id: 'ev_old' }]);
    const index = new SearchIndex(db, silentLogger);
    expect(index.backlog()).toBe(0);

    insert.run('ev_new', at, JSON.stringify({ customer: 'Zyzzyva' }));
    expect(match('zyzzyva')).toEqual([]); // above the mark, not yet indexed
    expect(index.backlog()).toBe(1);
    index.catchUp();
    expect(index.backlog()).toBe(0);
    expect(match('zyzzyva')).toEqual([{ id: 'ev_new' }]);

    // an indexed event leaves the index with its row
    db.prepare("DELETE FROM events WHERE id = 'ev_old'").run();
    expect(match('"wolfeschlegel"*')).toEqual([]);
    // an unindexed one leaves nothing to do, and the index is never told to delete what it does not hold
    insert.run('ev_gone', at, JSON.stringify({ customer: 'Quetzalcoatl' }));
    db.prepare("DELETE FROM events WHERE id = 'ev_gone'").run();
    expect(index.backlog()).toBe(0);
    integrity(db);
    // SQLite reuses the largest rowid once its row is deleted: the new row is above the mark, indexed like any other
    insert.run('ev_reuse', at, JSON.stringify({ customer: 'Ozymandias' }));
    index.catchUp();
    expect(match('ozymandias')).toEqual([{ id: 'ev_reuse' }]);
    expect(match('quetzalcoatl')).toEqual([]);
    integrity(db);
    db.close();
  });

  it('migration 8 indexes what migration 7 had queued, and starts its mark at the largest rowid', () => {
    const db = new Database(tempDbPath());
    migrate(
      db,
      migrations.filter((m) => m.version < 8),
    );
    const insert = insertInto(db);
    insert.run('ev_a', Date.now(), JSON.stringify({ word: 'Abracadabra' }));
    insert.run('ev_b', Date.now(), JSON.stringify({ word: 'Brouhaha' }));
    // indexed by migration 7's SearchIndex (as that version did), then one more queued and one queued then deleted
    db.exec(`INSERT INTO events_fts (rowid, data) SELECT e.rowid, e.data FROM events_fts_pending p
               JOIN events e ON e.rowid = p.event_rowid; DELETE FROM events_fts_pending;`);
    insert.run('ev_c', Date.now(), JSON.stringify({ word: 'Cattywampus' }));
    insert.run('ev_d', Date.now(), JSON.stringify({ word: 'Dithyramb' }));
    db.prepare("DELETE FROM events WHERE id = 'ev_d'").run();
    expect(db.prepare('SELECT count(*) AS n FROM events_fts_pending').get()).toEqual({ n: 1 });

    expect(
      migrate(
        db,
        migrations.filter((m) => m.version <= 8),
      ),
    ).toEqual([8]);
    const match = matcher(db);
    expect(match('abracadabra OR brouhaha OR cattywampus')).toEqual([{ id: 'ev_a' }, { id: 'ev_b' }, { id: 'ev_c' }]);
    expect(mark(db)).toBe((db.prepare('SELECT MAX(rowid) AS m FROM events').get() as { m: number }).m);
    expect(new SearchIndex(db, silentLogger).backlog()).toBe(0);
    expect(
      db.prepare("SELECT name FROM sqlite_master WHERE name IN ('events_fts_pending', 'events_fts_queue')").all(),
    ).toEqual([]);
    integrity(db);
    db.close();
  });

  it('keeps the index exact through deletes of the newest, of everything, and of mixed batches', () => {
    const { db, insert, match, index } = freshIndex();
    for (let i = 0; i < 10; i++) insert.run(`ev_${i}`, 1_000 + i, JSON.stringify({ n: i, word: `Word${i}` }));
    index.catchUp();
    expect(mark(db)).toBe(10);

    // the newest, indexed, deleted: it leaves the index and the mark comes down, so its reused rowid is indexed again
    db.prepare("DELETE FROM events WHERE id IN ('ev_9', 'ev_8')").run();
    expect(mark(db)).toBe(8);
    insert.run('ev_10', 2_000, JSON.stringify({ word: 'Reborn' }));
    expect(index.backlog()).toBe(1);
    index.catchUp();
    expect(match('reborn')).toEqual([{ id: 'ev_10' }]);
    expect(match('word9 OR word8')).toEqual([]);
    integrity(db);

    // a batch of indexed and unindexed rows, in one statement, as retention deletes
    insert.run('ev_11', 2_001, JSON.stringify({ word: 'Pending' }));
    db.prepare('DELETE FROM events WHERE created_at < 1005 OR id = ?').run('ev_11');
    integrity(db);
    expect(match('word2 OR pending')).toEqual([]);
    expect(match('word6')).toEqual([{ id: 'ev_6' }]);

    // everything deleted: SQLite starts rowids again at 1; the mark went down to 0 with them
    db.prepare('DELETE FROM events').run();
    expect(mark(db)).toBe(0);
    insert.run('ev_again', 3_000, JSON.stringify({ word: 'Phoenix' }));
    expect(db.prepare("SELECT rowid AS r FROM events WHERE id = 'ev_again'").get()).toEqual({ r: 1 });
    index.catchUp();
    expect(match('phoenix')).toEqual([{ id: 'ev_again' }]);
    integrity(db);
    db.close();
  });

  it('refuses to index without its mark rather than index rows twice', () => {
    const { db, insert, match, index } = freshIndex();
    insert.run('ev_1', 1_000, JSON.stringify({ word: 'Once' }));
    index.catchUp();
    insert.run('ev_2', 1_001, JSON.stringify({ word: 'Twice' }));
    db.exec('DELETE FROM events_fts_state');
    expect(() => index.catchUp()).toThrow('the payload index has lost its mark');
    db.exec('INSERT INTO events_fts_state (id, indexed_upto) VALUES (1, 1)');
    index.catchUp();
    expect(match('once OR twice')).toEqual([{ id: 'ev_1' }, { id: 'ev_2' }]);
    integrity(db);
    db.close();
  });

  it('indexes in the background once no new event arrives and no delivery is being made', async () => {
    const db = new Database(tempDbPath());
    migrate(db);
    let busy = true;
    const index = new SearchIndex(db, silentLogger, () => busy);
    const insert = db.prepare("INSERT INTO events (id, type, version, created_at, data) VALUES (?, 'a.b', 'v1', ?, ?)");
    for (let i = 0; i < 50; i++) insert.run(`ev_${i}`, Date.now(), JSON.stringify({ n: i, word: 'Quiescent' }));
    index.start();
    try {
      // ticks are 200 ms apart: three of them while the dispatcher is busy leave the queue as it was
      await new Promise((r) => setTimeout(r, 700));
      expect(index.backlog()).toBe(50);
      busy = false;
      await waitFor(() => index.backlog() === 0, { timeoutMs: 5_000 });
      expect(db.prepare("SELECT count(*) AS n FROM events_fts WHERE events_fts MATCH 'quiescent'").get()).toEqual({
        n: 50,
      });
    } finally {
      index.stop();
      db.close();
    }
  });

  it('a search through the API finds an event written a moment ago', async () => {
    const engine = await startEngine({ dispatch: false });
    await call(engine, 'endpoints.create', { url: 'http://127.0.0.1:9/hook' });
    const ev = await call(engine, 'events.create', {
      type: 'order.created',
      data: { customer: 'Xenophanes' },
      validate: false,
    });
    const list = await call(engine, 'deliveries.list', { q: 'xenophanes', limit: 10 });
    expect(list.data.map((d) => d.eventId)).toEqual([ev.id]);
    expect((await call(engine, 'deliveries.count', { q: 'xenophanes' })).count).toBe(1);
    const events = await call(engine, 'events.list', { q: 'xenophanes', limit: 10 });
    expect(events.data.map((e) => e.id)).toEqual([ev.id]);
  });
});
