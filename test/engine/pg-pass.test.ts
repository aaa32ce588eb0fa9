// A dispatcher pass on PostgreSQL (store/pg/pass.ts) does what SQLite's pass does: the same script of passes (fired
// events with an idempotency key and leases, claims, successes, failures with retries, a late superseded result,
// auto-disable at the threshold) leaves the same rows in both stores and answers the same. Plus what only PostgreSQL
// has: two processes' passes on one database at once, and the operational event of an auto-disable.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { SYSTEM_ENDPOINT_ID } from '../../src/main/engine/db/endpoints';
import type { AttemptResult } from '../../src/main/engine/delivery/attempt';
import type { Outcome } from '../../src/main/engine/delivery/outcomes';
import type { ClaimedDelivery } from '../../src/main/engine/delivery/queue';
import { acceptEvent, type CreateResult, type LeaseFor } from '../../src/main/engine/events/service';
import { CLAIM_LOCK_CLASS } from '../../src/main/engine/store/pg/lock-keys';
import { migratePg } from '../../src/main/engine/store/pg/migrate';
import { type PassClaim, PgPass } from '../../src/main/engine/store/pg/pass';
import { openPgPool } from '../../src/main/engine/store/pg/pool';
import { defaultSettings, EndpointCreateInput, EventInput, type Settings, type SettingsPatch } from '../../src/shared';
import { FakeClock } from '../support/clock';
import { createTestDatabase, pgClusterPerFile } from '../support/pg-cluster';
import { sqlitePass } from '../support/sqlite-pass';
import { waitFor } from '../support/wait';

const cluster = pgClusterPerFile();

type Row = Record<string, unknown>;

interface PassInput {
  events: Array<{ data: unknown; key?: string }>;
  outcomes: Outcome[];
  claims: PassClaim[];
  /** endpoints the new events' deliveries may be leased for (once each) */
  leaseTo?: string[];
}

interface PassOutput {
  created: Array<CreateResult | Error>;
  claimed: ClaimedDelivery[];
  drained: Map<string, number | null>;
  changed: Array<{ id: string; status: string; attempt_count: number }>;
  /** each auto-disable and how many deliveries it left paused */
  disabled: Array<{ endpointId: string; paused: number }>;
  superseded: number;
}

interface Store {
  pass(input: PassInput): Promise<PassOutput>;
  sql(text: string): Promise<Row[]>;
  clock: FakeClock;
  close(): Promise<void>;
}

const LEASE_MS = 60_000;

function leaseOnce(to: readonly string[] | undefined, clock: FakeClock): LeaseFor | undefined {
  if (!to) return undefined;
  const left = new Set(to);
  return (endpointId) => (left.delete(endpointId) ? { leaseUntil: clock.now() + LEASE_MS } : null);
}

function result(ok: boolean, now: number, status: number | null): AttemptResult {
  return {
    startedAt: now,
    durationMs: 3,
    request: { url: 'http://127.0.0.1:9/hook', method: 'POST', headers: { 'webhook-id': 'x' }, body: '{}' },
    response: status === null ? null : { status, headers: {}, body: ok ? 'ok' : 'nope', truncated: false },
    error: status === null ? 'connect ECONNREFUSED 127.0.0.1:9' : null,
    succeeded: ok,
    retryAfterMs: null,
    renderedAs: null,
  };
}

/** SQLite: the engine's own pass (SqliteDispatchStore, as the dispatcher runs it), on the engine's own parts. */
function sqliteStore(patch: SettingsPatch): { store: Store; endpointIds: string[]; settings: Settings } {
  const { db, clock, log, ctx, endpoints, settingsStore, events, storage } = sqlitePass();
  const settings = settingsStore.update(patch);
  const endpointIds = ['a', 'b'].map(
    (n) => endpoints.create(EndpointCreateInput.parse({ url: `http://127.0.0.1:9/${n}` })).id,
  );
  const store: Store = {
    clock,
    async pass(input) {
      const now = clock.now();
      const accepted = input.events.map((e) =>
        events.accept(EventInput.parse({ type: 'order.created', data: e.data, idempotencyKey: e.key })),
      );
      const out = storage.pass({
        events: accepted,
        outcomes: input.outcomes,
        claims: input.claims.map((c) => ({ ...c, timeoutMs: 15_000 })),
        now,
        leaseFor: () => leaseOnce(input.leaseTo, clock) ?? (() => null),
      });
      // What the pass publishes once committed, read back from the topics it emits, in its order: the outcomes' own
      // state changes first, then endpoint.updated and each auto-disable's announcement (its paused deliveries,
      // endpoint.disabled), then the new events' topics.
      const changed: PassOutput['changed'] = [];
      const disabled: PassOutput['disabled'] = [];
      let ownChanges = true;
      const emit = ctx.emit;
      ctx.emit = (topic, payload) => {
        if (topic !== 'delivery.updated') ownChanges = false;
        else if (ownChanges) {
          const p = payload as { id: string; status: string; attemptCount: number };
          changed.push({ id: p.id, status: p.status, attempt_count: p.attemptCount });
        }
        if (topic === 'endpoint.disabled') {
          const p = payload as { id: string; pausedDeliveries: number };
          disabled.push({ endpointId: p.id, paused: p.pausedDeliveries });
        }
      };
      const superseded = log.entries.length;
      out.publish();
      ctx.emit = emit;
      // 'late attempt results kept as superseded' carries the count
      const late = log.entries.slice(superseded).find((l) => l.msg.includes('superseded'));
      const { created, claimed, drained } = out;
      return { created, claimed, drained, changed, disabled, superseded: Number(late?.fields?.count ?? 0) };
    },
    sql: async (text) => db.prepare(text).all() as Row[],
    close: async () => {
      db.close();
    },
  };
  return { store, endpointIds, settings };
}

/** PostgreSQL: PgPass on a fresh database, with the same endpoint ids and settings. */
async function pgStore(settings: Settings, endpointIds: readonly string[]): Promise<Store & { url: string }> {
  const url = await createTestDatabase(cluster.url);
  const pool = openPgPool(url);
  await migratePg(pool);
  for (const [i, id] of endpointIds.entries()) {
    await pool.query(
      `INSERT INTO endpoints (id, url, event_types, created_at, updated_at) VALUES ($1, $2, '["*"]', 0, 0)`,
      [id, `http://127.0.0.1:9/${'ab'[i]}`],
    );
  }
  const clock = new FakeClock();
  const pass = new PgPass(pool);
  let jitter = 0;
  return {
    url,
    clock,
    async pass(input) {
      const now = clock.now();
      const events = input.events.map((e) => {
        const input = EventInput.parse({ type: 'order.created', data: e.data, idempotencyKey: e.key });
        // in the order SQLite's matching gives (created_at, id): the same here, created together
        return {
          accepted: acceptEvent(input, now),
          targets: [...endpointIds].sort().map((id) => ({ id, paused: false })),
        };
      });
      const r = await pass.run({
        events,
        outcomes: input.outcomes,
        claims: input.claims,
        now,
        settings,
        leaseFor: () => leaseOnce(input.leaseTo, clock) ?? (() => null),
        random: () => (jitter++ % 10) / 10,
      });
      return {
        created: r.created,
        claimed: r.claimed,
        drained: r.drained,
        changed: r.written.changed.map((c) => ({ id: c.id, status: c.status, attempt_count: c.attempt_count })),
        disabled: r.written.disabled.map((d) => ({ endpointId: d.endpointId, paused: d.pausedCount })),
        superseded: r.written.superseded,
      };
    },
    sql: async (text) => (await pool.query(text)).rows as Row[],
    close: () => pool.end(),
  };
}

/** Rows as labels (event index : endpoint), so two stores' random ids compare. */
function labeller() {
  const byEvent = new Map<string, number>();
  const byDelivery = new Map<string, string>();
  return {
    learn(created: Array<CreateResult | Error>) {
      for (const c of created) {
        if (c instanceof Error || !c.created) continue;
        const n = byEvent.size;
        byEvent.set(c.event.id, n);
        for (const d of c.event.deliveries ?? []) byDelivery.set(d.id, `e${n}:${d.endpointId}`);
      }
    },
    of: (deliveryId: string) => byDelivery.get(deliveryId) ?? `?${deliveryId}`,
    id(label: string) {
      for (const [id, l] of byDelivery) if (l === label) return id;
      throw new Error(`no delivery ${label}`);
    },
  };
}

async function snapshot(store: Store, label: ReturnType<typeof labeller>) {
  const deliveries = (
    await store.sql(
      'SELECT id, status, attempt_count, last_status, paused_reason, lease_seq, next_attempt_at FROM deliveries',
    )
  )
    .map((r) => ({
      d: label.of(r.id as string),
      status: r.status,
      attempts: r.attempt_count,
      lastStatus: r.last_status,
      pausedReason: r.paused_reason,
      leaseSeq: r.lease_seq,
      due: r.next_attempt_at !== null,
    }))
    .sort((x, y) => x.d.localeCompare(y.d));
  const attempts = (await store.sql('SELECT delivery_id, number, succeeded, superseded FROM attempts'))
    .map(
      (r) =>
        `${label.of(r.delivery_id as string)}#${r.number}${r.succeeded ? ' ok' : ''}${r.superseded ? ' late' : ''}`,
    )
    .sort();
  const endpoints = (
    await store.sql("SELECT id, consecutive_failures, enabled, disabled_by FROM endpoints WHERE kind = 'user'")
  ).sort((x, y) => String(x.id).localeCompare(String(y.id)));
  return { deliveries, attempts, endpoints };
}

describe('a dispatcher pass on PostgreSQL does what it does on SQLite', () => {
  it('the same script of passes leaves the same rows and answers the same', async () => {
    const patch = { autoDisable: { threshold: 4 }, retry: { maxAttempts: 4 } };
    const sqlite = sqliteStore(patch);
    const [a, b] = sqlite.endpointIds as [string, string];
    // the SQLite side's settings, whole, for the PostgreSQL pass
    const pg = await pgStore(sqlite.settings, sqlite.endpointIds);
    const stores = [
      { name: 'sqlite', store: sqlite.store, label: labeller(), claims: new Map<string, ClaimedDelivery[]>() },
      { name: 'postgres', store: pg, label: labeller(), claims: new Map<string, ClaimedDelivery[]>() },
    ];
    try {
      const outcomeFor = (s: (typeof stores)[number], label: string, ok: boolean, status: number | null): Outcome => {
        const d = s.claims.get(label)?.at(-1);
        if (!d) throw new Error(`${s.name}: ${label} was not claimed`);
        return { delivery: d, result: result(ok, s.store.clock.now(), status) };
      };
      const remember = (s: (typeof stores)[number], out: PassOutput) => {
        s.label.learn(out.created);
        for (const c of out.created) {
          if (c instanceof Error) continue;
          for (const d of c.leased ?? [])
            s.claims.set(s.label.of(d.id), [...(s.claims.get(s.label.of(d.id)) ?? []), d]);
        }
        for (const d of out.claimed) s.claims.set(s.label.of(d.id), [...(s.claims.get(s.label.of(d.id)) ?? []), d]);
      };
      const summary = (s: (typeof stores)[number], out: PassOutput) => ({
        created: out.created.map((c) =>
          c instanceof Error
            ? `error: ${c.message}`
            : `${c.created ? 'new' : 'replay'} ${c.event.deliveries?.map((d) => `${d.endpointId}=${d.status}`).join(',')} leased=${c.leased?.length ?? 0} queued=${c.queued?.join(',') ?? ''}`,
        ),
        claimed: out.claimed.map((d) => `${s.label.of(d.id)} seq${d.lease_seq} ${d.type}`).sort(),
        drained: [...out.drained.entries()].map(([id, at]) => `${id}:${at === null ? 'none' : 'later'}`).sort(),
        changed: out.changed.map((c) => `${s.label.of(c.id)} ${c.status} ${c.attempt_count}`).sort(),
        disabled: out.disabled,
        superseded: out.superseded,
      });
      const steps: Array<(s: (typeof stores)[number]) => PassInput> = [
        // 1. three events: the first leased to endpoint a, the third repeating the first's key and body
        () => ({
          events: [{ data: { n: 1 }, key: 'k1' }, { data: { n: 2 } }, { data: { n: 1 }, key: 'k1' }],
          outcomes: [],
          claims: [],
          leaseTo: [a],
        }),
        // 2. the first's key with another body is refused; b's deliveries are claimed
        () => ({
          events: [{ data: { n: 99 }, key: 'k1' }],
          outcomes: [],
          claims: [{ endpointId: b, limit: 5, leaseUntil: Date.parse('2026-01-01T01:00:00Z') }],
        }),
        // 3. e0:a succeeds, b fails twice (retries due later); a's other delivery is claimed
        (s) => ({
          events: [],
          outcomes: [
            outcomeFor(s, `e0:${a}`, true, 200),
            outcomeFor(s, `e0:${b}`, false, 500),
            outcomeFor(s, `e1:${b}`, false, null),
          ],
          claims: [{ endpointId: a, limit: 5, leaseUntil: Date.parse('2026-01-01T01:00:00Z') }],
        }),
        // 4. a late result for e0:b (its claim was settled): kept as superseded; e1:a fails
        (s) => ({
          events: [],
          outcomes: [outcomeFor(s, `e0:${b}`, false, 502), outcomeFor(s, `e1:${a}`, false, 503)],
          claims: [],
        }),
        // 5. a day later: b's retries are claimed again
        () => ({
          events: [],
          outcomes: [],
          claims: [{ endpointId: b, limit: 5, leaseUntil: Date.parse('2026-01-03T00:00:00Z') }],
        }),
        // 6. b's fourth consecutive failure (the late one counted) auto-disables it: e0:b paused; e1:b (still
        //    sending) then succeeds
        (s) => ({
          events: [],
          outcomes: [outcomeFor(s, `e0:${b}`, false, 500), outcomeFor(s, `e1:${b}`, true, 204)],
          claims: [],
        }),
      ];
      const days = [0, 0, 0, 0, 86_400_000, 0];
      for (const [i, step] of steps.entries()) {
        const out: Array<ReturnType<typeof summary>> = [];
        const snaps = [];
        for (const s of stores) {
          s.store.clock.step(days[i] as number);
          const r = await s.store.pass(step(s));
          remember(s, r);
          out.push(summary(s, r));
          snaps.push(await snapshot(s.store, s.label));
        }
        expect(out[1], `pass ${i + 1}: answers`).toEqual(out[0]);
        expect(snaps[1], `pass ${i + 1}: rows`).toEqual(snaps[0]);
      }
      // and what they agree on is what the engine promises
      const final = await snapshot(pg, stores[1]?.label as ReturnType<typeof labeller>);
      const row = (d: string) => final.deliveries.find((x) => x.d === d);
      expect(row(`e0:${a}`)).toMatchObject({ status: 'succeeded', attempts: 1 });
      expect(row(`e0:${b}`)).toMatchObject({ status: 'paused', pausedReason: 'endpoint_auto_disabled', attempts: 3 });
      expect(row(`e1:${b}`)).toMatchObject({ status: 'succeeded', attempts: 2 });
      expect(row(`e1:${a}`)).toMatchObject({ status: 'pending', attempts: 1, due: true });
      expect(final.attempts).toContain(`e0:${b}#2 late`);
      expect(final.endpoints.find((e) => e.id === b)).toMatchObject({
        enabled: 0,
        disabled_by: 'auto',
        consecutive_failures: 0,
      });
    } finally {
      await sqlite.store.close();
      await pg.close();
    }
  });
});

describe('PgPass with many processes on one database', () => {
  /** A migrated database with `n` pending deliveries (one event each) for each of `endpoints` (default `ep`). */
  async function database(n: number, endpoints: readonly string[] = ['ep']) {
    const url = await createTestDatabase(cluster.url);
    const pool = openPgPool(url);
    await migratePg(pool);
    await pool.query(
      `INSERT INTO events (id, type, version, created_at, data) SELECT 'ev' || g, 'order.created', 'v1', 0, '{}'
       FROM generate_series(1, $1::int) AS g`,
      [n],
    );
    for (const ep of endpoints) {
      await pool.query(
        `INSERT INTO endpoints (id, url, event_types, created_at, updated_at)
         VALUES ($1, 'http://user:hunter2@127.0.0.1:9/hook', '["*"]', 0, 0)`,
        [ep],
      );
      await pool.query(
        `INSERT INTO deliveries (id, event_id, endpoint_id, event_type, status, max_attempts, next_attempt_at,
           created_at, updated_at)
         SELECT $2 || '-d' || g, 'ev' || g, $2, 'order.created', 'pending', 3, g, 0, 0
         FROM generate_series(1, $1::int) AS g`,
        [n, ep],
      );
    }
    return { url, pool };
  }

  /**
   * One process's passes until nothing is left: each records the previous pass's claims as delivered (200) and
   * claims again (`claims`), at most `rounds` passes. What it delivered, and how many passes ran again.
   */
  async function passUntilDrained(pool: ReturnType<typeof openPgPool>, claims: PassClaim[], rounds: number) {
    const pass = new PgPass(pool);
    const now = Date.parse('2026-01-01T00:00:00Z');
    let held: ClaimedDelivery[] = [];
    let delivered = 0;
    let retried = 0;
    for (let round = 0; round < rounds; round++) {
      const outcomes = held.map((d) => ({ delivery: d, result: result(true, now, 200) }));
      const r = await pass.run({ events: [], outcomes, claims, now, settings: { ...defaultSettings } });
      delivered += r.written.changed.filter((c) => c.status === 'succeeded').length;
      retried += r.tries - 1;
      held = r.claimed;
      if (held.length === 0 && outcomes.length === 0) break;
    }
    return { delivered, retried };
  }

  it("two processes' passes deliver every delivery exactly once between them", async () => {
    const { url, pool } = await database(300);
    const processes = [openPgPool(url), openPgPool(url)];
    try {
      const claims = [{ endpointId: 'ep', limit: 10, leaseUntil: Date.parse('2026-01-01T00:00:00Z') + LEASE_MS }];
      // bounded: 300 deliveries in claims of 10 need about 30 passes per process at most
      const perProcess = (await Promise.all(processes.map((p) => passUntilDrained(p, claims, 100)))).map(
        (r) => r.delivered,
      );
      expect(perProcess.reduce((a, b) => a + b, 0)).toBe(300);
      // both took part (claims interleave), and no delivery was attempted twice
      expect(perProcess.every((n) => n > 0)).toBe(true);
      const { rows } = await pool.query(
        `SELECT count(*)::int AS attempts, count(DISTINCT delivery_id)::int AS deliveries,
           (SELECT count(*)::int FROM deliveries WHERE status = 'succeeded') AS succeeded FROM attempts`,
      );
      expect(rows[0]).toEqual({ attempts: 300, deliveries: 300, succeeded: 300 });
    } finally {
      await Promise.all(processes.map((p) => p.end()));
      await pool.end();
    }
  });

  it('two processes claiming the same endpoints in opposite orders never deadlock: claim locks are taken in one order', async () => {
    // Each pass claims both endpoints under their shared limits (claimWithin's per-endpoint lock, held to the
    // pass's commit). One process lists them A, B and the other B, A, as two dispatchers' round-robins may.
    const { url, pool } = await database(200, ['A', 'B']);
    const processes = [openPgPool(url), openPgPool(url)];
    try {
      const leaseUntil = Date.parse('2026-01-01T00:00:00Z') + LEASE_MS;
      const orders = [
        ['A', 'B'],
        ['B', 'A'],
      ];
      // bounded: 400 deliveries in claims of 2 × 5 need about 40 passes per process at most
      const runs = await Promise.all(
        processes.map((p, i) =>
          passUntilDrained(
            p,
            (orders[i] as string[]).map((endpointId) => ({ endpointId, limit: 5, leaseUntil, maxInFlight: 100 })),
            200,
          ),
        ),
      );
      const perProcess = runs.map((r) => r.delivered);
      const retried = runs.reduce((n, r) => n + r.retried, 0);
      // no pass was a deadlock's victim (a victim runs again, so only this tells)
      expect(retried).toBe(0);
      expect(perProcess.reduce((a, b) => a + b, 0)).toBe(400);
      const { rows } = await pool.query(
        `SELECT count(*)::int AS attempts, count(DISTINCT delivery_id)::int AS deliveries FROM attempts`,
      );
      expect(rows[0]).toEqual({ attempts: 400, deliveries: 400 });
    } finally {
      await Promise.all(processes.map((p) => p.end()));
      await pool.end();
    }
  });

  it("a pass chosen as a deadlock's victim runs again: its outcome is recorded, not left to lease recovery", async () => {
    const { url, pool } = await database(3);
    const settings = { ...defaultSettings };
    const now = Date.parse('2026-01-01T00:00:00Z');
    const pass = new PgPass(pool);
    const claims = [{ endpointId: 'ep', limit: 1, leaseUntil: now + LEASE_MS, maxInFlight: 8 }];
    const { claimed } = await pass.run({ events: [], outcomes: [], claims, now, settings });
    expect(claimed).toHaveLength(1);
    // Another session holds the endpoint's claim lock, then asks for the endpoint's row, which the pass's outcome
    // locks before it waits for that claim lock: a cycle. The other session waits 10 s before it looks for
    // deadlocks, the pass's session the default 1 s: the pass is the one PostgreSQL rolls back.
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await other.query("SET deadlock_timeout = '10s'");
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock($1::int, hashtext($2))', [CLAIM_LOCK_CLASS, 'ep']);
      const outcomes = claimed.map((d) => ({ delivery: d, result: result(true, now, 200) }));
      const running = pass.run({ events: [], outcomes, claims, now, settings });
      const waiting = async () =>
        (await pool.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))
          .rows[0].n === 1;
      await waitFor(waiting, { message: "the pass to wait for the endpoint's claim lock" });
      await other.query("SELECT id FROM endpoints WHERE id = 'ep' FOR UPDATE");
      await other.query('COMMIT');
      const r = await running;
      expect(r.tries).toBe(2);
      expect(r.written.changed.map((c) => [c.id, c.status])).toEqual([[claimed[0]?.id, 'succeeded']]);
      expect(r.claimed).toHaveLength(1);
    } finally {
      await other.end();
    }
    const { rows } = await pool.query(
      "SELECT count(*)::int AS attempts, (SELECT count(*)::int FROM deliveries WHERE status = 'succeeded') AS ok FROM attempts",
    );
    expect(rows[0]).toEqual({ attempts: 1, ok: 1 });
    await pool.end();
  });

  it('an auto-disable writes its operational event to the system endpoint, credentials left out', async () => {
    const { pool } = await database(3);
    try {
      await pool.query(
        `INSERT INTO endpoints (id, url, event_types, kind, created_at, updated_at)
         VALUES ($1, 'http://127.0.0.1:9/ops', '[]', 'system', 0, 0)`,
        [SYSTEM_ENDPOINT_ID],
      );
      const settings = { ...defaultSettings, autoDisable: { threshold: 1 }, notificationUrl: 'http://127.0.0.1:9/ops' };
      const now = Date.parse('2026-01-01T00:00:00Z');
      const pass = new PgPass(pool);
      const { claimed } = await pass.run({
        events: [],
        outcomes: [],
        claims: [{ endpointId: 'ep', limit: 1, leaseUntil: now + LEASE_MS }],
        now,
        settings,
      });
      const r = await pass.run({
        events: [],
        outcomes: claimed.map((d) => ({ delivery: d, result: result(false, now, 500) })),
        claims: [],
        now,
        settings,
      });
      expect(r.written.disabled).toHaveLength(1);
      const off = r.written.disabled[0];
      // its two waiting deliveries paused, and the claimed one whose failure disabled it held: three in all
      expect(off?.paused.map((p) => p.id).sort()).toEqual(['ep-d2', 'ep-d3']);
      expect(off?.pausedCount).toBe(3);
      expect(off?.notice?.event.type).toBe('endpoint.disabled');
      expect(r.written.due.get(SYSTEM_ENDPOINT_ID)).toBe(now);
      const ev = (await pool.query("SELECT data FROM events WHERE type = 'endpoint.disabled'")).rows[0];
      expect(JSON.parse(ev.data)).toMatchObject({ endpoint: { id: 'ep' }, pausedDeliveries: 3 });
      expect(ev.data).not.toContain('hunter2');
      const { rows } = await pool.query(
        "SELECT status FROM deliveries WHERE endpoint_id = $1 AND event_id = (SELECT id FROM events WHERE type = 'endpoint.disabled')",
        [SYSTEM_ENDPOINT_ID],
      );
      expect(rows).toEqual([{ status: 'pending' }]);
      expect((await pool.query("SELECT enabled, disabled_by FROM endpoints WHERE id = 'ep'")).rows[0]).toEqual({
        enabled: 0,
        disabled_by: 'auto',
      });
    } finally {
      await pool.end();
    }
  });

  it('a pass that fails writes nothing: its outcomes stay leased for recovery, its events are refused', async () => {
    const { pool } = await database(2);
    try {
      const now = Date.parse('2026-01-01T00:00:00Z');
      const pass = new PgPass(pool);
      const settings = { ...defaultSettings };
      const { claimed } = await pass.run({
        events: [],
        outcomes: [],
        claims: [{ endpointId: 'ep', limit: 2, leaseUntil: now + LEASE_MS }],
        now,
        settings,
      });
      const input = EventInput.parse({ type: 'order.created', data: { n: 1 } });
      await expect(
        pass.run({
          // an endpoint that does not exist: the deliveries' foreign key refuses the whole pass
          events: [{ accepted: acceptEvent(input, now), targets: [{ id: 'ep_missing', paused: false }] }],
          outcomes: claimed.map((d) => ({ delivery: d, result: result(true, now, 200) })),
          claims: [],
          now,
          settings,
        }),
      ).rejects.toThrow(/foreign key/);
      expect((await pool.query('SELECT count(*)::int AS n FROM attempts')).rows[0]).toEqual({ n: 0 });
      expect((await pool.query("SELECT count(*)::int AS n FROM deliveries WHERE status = 'sending'")).rows[0]).toEqual({
        n: 2,
      });
      expect(
        (await pool.query("SELECT count(*)::int AS n FROM events WHERE type = 'order.created' AND data <> '{}'"))
          .rows[0],
      ).toEqual({ n: 0 });
    } finally {
      await pool.end();
    }
  });

  it('an idempotency key fired through two processes at once fires one event, both answered with it', async () => {
    const { url, pool } = await database(0, ['ep']);
    const processes = [openPgPool(url), openPgPool(url)];
    try {
      const now = Date.parse('2026-01-01T00:00:00Z');
      const fire = (p: (typeof processes)[number], key: string) =>
        new PgPass(p).run({
          events: [
            {
              accepted: acceptEvent(
                EventInput.parse({ type: 'order.created', data: { key }, idempotencyKey: key }),
                now,
              ),
              targets: [{ id: 'ep', paused: false }],
            },
          ],
          outcomes: [],
          claims: [],
          now,
          settings: { ...defaultSettings },
        });
      // 20 keys, each fired through both processes at the same moment
      const keys = Array.from({ length: 20 }, (_, i) => `order-${i}`);
      const answers = await Promise.all(keys.map((k) => Promise.all(processes.map((p) => fire(p, k)))));
      for (const pair of answers) {
        const [a, b] = pair.map((r) => r.created[0]) as [CreateResult, CreateResult];
        expect(b.event.id).toBe(a.event.id);
        // one of the two wrote it; the other answered with the first one's event
        expect([a.created, b.created].sort()).toEqual([false, true]);
      }
      const { rows } = await pool.query(
        `SELECT (SELECT count(*)::int FROM events) AS events, (SELECT count(*)::int FROM deliveries) AS deliveries`,
      );
      expect(rows[0]).toEqual({ events: 20, deliveries: 20 });
    } finally {
      await Promise.all(processes.map((p) => p.end()));
      await pool.end();
    }
  });
});
