// Endpoints and settings, two stores, one suite: SQLite's EndpointStore/SettingsStore and PostgreSQL's
// PgEndpointStore/PgSettingsStore give the same answers to the same calls (generated ids and secrets aside), leave
// the same rows, and refuse the same bad inputs the same way without writing. Each answer is compared across the
// stores, and the important ones are checked absolutely too, so two stores wrong the same way cannot pass. Last,
// PostgreSQL alone: two processes' stores on one database (one's cache is stale until refresh; secrets sealed by
// one open in the other).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings, EndpointCreateInput, EndpointUpdateInput, SettingsPatch } from '../../src/shared';
import { FakeClock } from '../support/clock';
import { type EndpointStoreUnderTest, pgEndpoints, sqliteEndpoints, testSecretBox } from '../support/endpoint-stores';
import { endpointsTwoProcesses } from '../support/endpoint-two-processes';
import { type PgCluster, startPgCluster } from '../support/pg-cluster';

let cluster: PgCluster;
let stores: EndpointStoreUnderTest[] = [];
const clock = new FakeClock();
const box = testSecretBox();
/** per store: its generated values (ids, secrets) → the names they compare under */
const aliases = new Map<EndpointStoreUnderTest, Map<string, string>>();
let pgUrl = '';

beforeAll(async () => {
  cluster = await startPgCluster();
  const pg = await pgEndpoints(cluster.url, clock, box);
  pgUrl = pg.url;
  stores = [sqliteEndpoints(clock, box), pg];
  for (const s of stores) aliases.set(s, new Map());
}, 120_000);
afterAll(async () => {
  for (const s of stores) await s.close();
  await cluster?.stop();
});

function norm(s: EndpointStoreUnderTest, value: unknown): unknown {
  let text = JSON.stringify(value);
  if (text === undefined) return undefined;
  for (const [actual, name] of aliases.get(s) ?? []) text = text.split(actual).join(name);
  return JSON.parse(text);
}

const idOf = (s: EndpointStoreUnderTest, name: string): string => {
  for (const [actual, n] of aliases.get(s) ?? []) if (n === `<${name}>`) return actual;
  return name; // an unknown id: passed as is
};

/** Each store's answer (or its error's code, message and issues), compared normalised; the answers. */
async function same<T>(call: (s: EndpointStoreUnderTest) => unknown): Promise<[T, T]> {
  const answers: unknown[] = [];
  for (const s of stores) {
    try {
      answers.push(await call(s));
    } catch (err) {
      const e = err as { code?: string; message: string; issues?: unknown };
      answers.push({ error: e.code ?? 'unknown', message: e.message, issues: e.issues });
    }
  }
  expect(norm(stores[1] as EndpointStoreUnderTest, answers[1])).toEqual(
    norm(stores[0] as EndpointStoreUnderTest, answers[0]),
  );
  return answers as [T, T];
}

/** Creates `name` on both stores (one ms after the previous one, so list order is fixed). */
async function create(name: string, input: Partial<EndpointCreateInput> = {}) {
  clock.advance(1);
  const parsed = EndpointCreateInput.parse({ url: `https://example.com/${name}`, ...input });
  const made = [];
  for (const s of stores) {
    const ep = await s.endpoints.create(parsed);
    aliases.get(s)?.set(ep.id, `<${name}>`);
    if (input.secret === undefined) aliases.get(s)?.set(ep.secret, `<${name}.secret>`);
    made.push(ep);
  }
  expect(norm(stores[1] as EndpointStoreUnderTest, made[1])).toEqual(
    norm(stores[0] as EndpointStoreUnderTest, made[0]),
  );
  return made;
}

const update = (s: EndpointStoreUnderTest, name: string, patch: Record<string, unknown>) =>
  s.endpoints.update(EndpointUpdateInput.parse({ id: idOf(s, name), ...patch }) as never);

const count = async (s: EndpointStoreUnderTest, table: string) =>
  Number((await s.sql(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n);

const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const WHSEC2 = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';

describe('endpoints on SQLite and PostgreSQL', () => {
  it('creates with a generated secret and with a given one', async () => {
    const [gen] = await create('gen');
    expect(gen).toMatchObject({ url: 'https://example.com/gen', eventTypes: ['*'], enabled: true, scheme: 'standard' });
    expect(gen?.secret).toMatch(/^whsec_/);
    const [own] = await create('own', { secret: WHSEC, eventTypes: [], description: 'mine', timeoutMs: 5000 });
    expect(own).toMatchObject({ secret: WHSEC, eventTypes: ['*'], description: 'mine', timeoutMs: 5000 });
    const [info] = await same<{ secret: string }>((s) => s.endpoints.secretInfo(idOf(s, 'own')));
    expect(info).toEqual({ secret: WHSEC, previous: [] });
    await same((s) => s.endpoints.scheme(idOf(s, 'own')));
  });

  it('opens a secret the other store sealed (one SecretBox, one format)', async () => {
    await create('swap', { secret: WHSEC });
    const [sqlite, postgres] = stores as [EndpointStoreUnderTest, EndpointStoreUnderTest];
    const sealedBy = async (s: EndpointStoreUnderTest) =>
      String((await s.sql('SELECT sealed FROM endpoint_secrets WHERE endpoint_id = ?', [idOf(s, 'swap')]))[0]?.sealed);
    const [fromSqlite, fromPostgres] = [await sealedBy(sqlite), await sealedBy(postgres)];
    expect(fromSqlite).not.toBe(fromPostgres); // a fresh IV per seal: the swap below is a real test
    await sqlite.sql('UPDATE endpoint_secrets SET sealed = ? WHERE endpoint_id = ?', [
      fromPostgres,
      idOf(sqlite, 'swap'),
    ]);
    await postgres.sql('UPDATE endpoint_secrets SET sealed = ? WHERE endpoint_id = ?', [
      fromSqlite,
      idOf(postgres, 'swap'),
    ]);
    for (const s of stores) {
      s.endpoints.invalidate(idOf(s, 'swap'));
      await s.settle();
    }
    expect((await same<string[]>((s) => s.endpoints.signingSecrets(idOf(s, 'swap'))))[0]).toEqual([WHSEC]);
    expect((await same<{ secrets: string[] }>((s) => s.endpoints.target(idOf(s, 'swap'))))[0].secrets).toEqual([WHSEC]);
  });

  it('gets and lists, all or by enabled', async () => {
    await create('off', { enabled: false });
    const [all] = await same<Array<{ id: string }>>((s) => s.endpoints.list());
    const [on] = await same<Array<{ id: string }>>((s) => s.endpoints.list(true));
    const [off] = await same<Array<{ id: string }>>((s) => s.endpoints.list(false));
    expect(off.map((e) => norm(stores[0] as EndpointStoreUnderTest, e.id))).toEqual(['<off>']);
    expect(on.length + off.length).toBe(all.length);
    await same((s) => s.endpoints.get(idOf(s, 'off')));
    await same((s) => s.endpoints.row(idOf(s, 'off')));
  });

  it('updates each field; a scheme change the secret does not fit gets a fresh secret', async () => {
    await create('upd', { secret: WHSEC });
    const patches: Array<Record<string, unknown> & { eventTypes?: string[] }> = [
      { url: 'https://example.org/moved' },
      { description: 'described' },
      { eventTypes: ['invoice.*'] },
      { eventTypes: [] },
      { headers: { 'x-team': 'blue' } },
      { timeoutMs: 2500 },
      { rateLimitPerSec: 3.5 },
      { rateLimitPerSec: null },
    ];
    for (const patch of patches) {
      clock.advance(10);
      const [ep] = await same<Record<string, unknown>>((s) => update(s, 'upd', patch));
      // no filter at all is every type
      expect(ep).toMatchObject(patch.eventTypes?.length === 0 ? { eventTypes: ['*'] } : patch);
    }
    // an empty patch changes nothing, updatedAt included
    const [before] = await same<Record<string, unknown>>((s) => s.endpoints.get(idOf(s, 'upd')));
    clock.advance(10);
    const [unchanged] = await same<Record<string, unknown>>((s) => update(s, 'upd', {}));
    expect(unchanged).toEqual(before);
    // standard → stripe: a whsec_ secret signs for Stripe too, kept
    await same((s) => update(s, 'upd', { scheme: 'stripe' }));
    expect((await same<{ secret: string }>((s) => s.endpoints.secretInfo(idOf(s, 'upd'))))[0].secret).toBe(WHSEC);
    // github's generated secret is no whsec_ key: standard needs a fresh one
    await create('gh', { scheme: 'github', secret: 'github-secret_1' });
    await same((s) => update(s, 'gh', { scheme: 'standard' }));
    for (const s of stores) {
      const info = await s.endpoints.secretInfo(idOf(s, 'gh'));
      expect(info.secret).toMatch(/^whsec_/);
      expect(await s.endpoints.signingSecrets(idOf(s, 'gh'))).toEqual([info.secret]);
      aliases.get(s)?.set(info.secret, '<gh.fresh>');
    }
    await same((s) =>
      s.sql('SELECT expires_at FROM endpoint_secrets WHERE endpoint_id = ? ORDER BY id', [idOf(s, 'gh')]),
    );
  });

  it('rotates with a grace period and with 0; signing secrets current first', async () => {
    await create('rot', { secret: WHSEC });
    clock.advance(1000);
    await same((s) => s.endpoints.rotate(idOf(s, 'rot'), 60, WHSEC2));
    const [signing] = await same<string[]>((s) => s.endpoints.signingSecrets(idOf(s, 'rot')));
    expect(signing).toEqual([WHSEC2, WHSEC]);
    const [info] = await same((s) => s.endpoints.secretInfo(idOf(s, 'rot')));
    expect(info).toEqual({
      secret: WHSEC2,
      previous: [{ secret: WHSEC, expiresAt: new Date(clock.now() + 60_000).toISOString() }],
    });
    const [t] = await same<{ secrets: string[] }>((s) => s.endpoints.target(idOf(s, 'rot')));
    expect(t.secrets).toEqual([WHSEC2, WHSEC]);
    // the grace period ends: the cached target answers without the expired secret
    clock.advance(60_001);
    const [after] = await same<{ secrets: string[] }>((s) => s.endpoints.target(idOf(s, 'rot')));
    expect(after.secrets).toEqual([WHSEC2]);
    for (const s of stores) await s.settle();
    await same((s) => s.endpoints.target(idOf(s, 'rot')));
    await same((s) => s.endpoints.rotate(idOf(s, 'rot'), 0, WHSEC));
    expect((await same<string[]>((s) => s.endpoints.signingSecrets(idOf(s, 'rot'))))[0]).toEqual([WHSEC]);
    await same((s) =>
      s.sql('SELECT expires_at FROM endpoint_secrets WHERE endpoint_id = ? ORDER BY id', [idOf(s, 'rot')]),
    );
  });

  it('matches fired types by filter: *, exact, prefix, only', async () => {
    await create('m-all', { eventTypes: ['*'] });
    await create('m-paid', { eventTypes: ['invoice.paid'] });
    await create('m-invoice', { eventTypes: ['invoice.*'] });
    const names = ['m-all', 'm-paid', 'm-invoice'];
    const only = (s: EndpointStoreUnderTest) => names.map((n) => idOf(s, n));
    const matched = async (type: string, restrict = true) =>
      (await same<Array<{ id: string }>>((s) => s.endpoints.matching(type, restrict ? only(s) : undefined)))[0].map(
        (m) => norm(stores[0] as EndpointStoreUnderTest, m.id),
      );
    expect(await matched('invoice.paid')).toEqual(['<m-all>', '<m-paid>', '<m-invoice>']);
    expect(await matched('invoice.created')).toEqual(['<m-all>', '<m-invoice>']);
    expect(await matched('user.created')).toEqual(['<m-all>']);
    expect(await matched('invoice.paid', false)).toContain('<m-paid>');
    expect(await matched('invoice.paid', false)).not.toContain('<off>');
    await same((s) => s.endpoints.matching('invoice.paid', [idOf(s, 'm-paid'), idOf(s, 'gen')]));
  });

  it('answers targets for a user endpoint and for the system endpoint', async () => {
    await create('tgt', { secret: WHSEC, headers: { 'x-a': '1' }, rateLimitPerSec: 2 });
    const [t] = await same((s) => s.endpoints.target(idOf(s, 'tgt')));
    expect(t).toMatchObject({ url: 'https://example.com/tgt', secrets: [WHSEC], system: false, enabled: true });
    await same((s) => s.endpoints.target('no-such-endpoint'));
    for (const s of stores) {
      await s.endpoints.syncSystem('https://ops.example.com/hook');
      aliases.get(s)?.set(await s.settings.operationalSecret(), '<operational>');
    }
    const [sys] = await same<{ secrets: string[] }>((s) => s.endpoints.target('system-notifications'));
    expect(sys).toMatchObject({ url: 'https://ops.example.com/hook', system: true, enabled: true });
    expect(sys.secrets).toEqual([await stores[0]?.settings.operationalSecret()]);
    await same((s) => s.endpoints.syncSystem(null));
    await same((s) => s.endpoints.target('system-notifications'));
    await same((s) => s.endpoints.get('system-notifications'));
  });

  it('disables, enables and deletes: get, list, matching and target follow', async () => {
    await create('life', { eventTypes: ['life.*'] });
    const look = () =>
      same((s) =>
        Promise.all([
          (async () => s.endpoints.get(idOf(s, 'life')))().catch((e: { code: string }) => e.code),
          (async () => (await s.endpoints.list(true)).some((e) => e.id === idOf(s, 'life')))(),
          s.endpoints.matching('life.born', [idOf(s, 'life')]),
          s.endpoints.target(idOf(s, 'life')),
        ]),
      );
    const step = async (move: (s: EndpointStoreUnderTest, id: string) => unknown) => {
      clock.advance(5);
      for (const s of stores) {
        await move(s, idOf(s, 'life'));
        s.endpoints.invalidate(idOf(s, 'life'));
        await s.settle();
      }
      return (await look())[0] as [unknown, boolean, unknown[], { enabled: boolean; deleted: boolean }];
    };
    let [ep, listed, matched, t] = await step((s, id) =>
      s.endpoints.markDisabled(id, 'by hand', 'manual', clock.now()),
    );
    expect([ep, listed, matched, t.enabled]).toMatchObject([
      { enabled: false, disabledBy: 'manual' },
      false,
      [],
      false,
    ]);
    [ep, listed, matched] = await step((s, id) => s.endpoints.markDisabled(id, '10 failures', 'auto', clock.now()));
    expect([ep, listed, matched]).toMatchObject([{ disabledBy: 'auto' }, false, [{ paused: true }]]);
    [ep, listed, matched, t] = await step((s, id) => s.endpoints.markEnabled(id, clock.now()));
    expect([ep, listed, matched, t.enabled]).toMatchObject([{ enabled: true }, true, [{ paused: false }], true]);
    [ep, listed, matched, t] = await step((s, id) => s.endpoints.markDeleted(id, clock.now()));
    expect([ep, listed, matched, t.deleted]).toEqual(['not_found', false, [], true]);
    await same((s) => s.endpoints.rowAny(idOf(s, 'life')));
  });

  it('counts stats from recent attempts and waiting deliveries', async () => {
    await create('st');
    for (const s of stores) {
      const id = idOf(s, 'st');
      await s.sql("INSERT INTO events (id, type, version, created_at, data) VALUES ('evt_st', 't', '1', 1, '{}')");
      for (const [d, status] of [
        ['d1', 'pending'],
        ['d2', 'paused'],
        ['d3', 'paused'],
        ['d4', 'succeeded'],
      ]) {
        await s.sql(
          `INSERT INTO deliveries (id, event_id, endpoint_id, event_type, status, max_attempts, created_at, updated_at)
           VALUES (?, 'evt_st', ?, 't', ?, 8, 1, 1)`,
          [d, id, status],
        );
      }
      for (const [n, ms, ok] of [
        [1, 40, 0],
        [2, 10, 1],
        [3, 25, 1],
      ] as const) {
        await s.sql(
          `INSERT INTO attempts (delivery_id, endpoint_id, number, started_at, duration_ms, succeeded, request)
           VALUES ('d4', ?, ?, ?, ?, ?, '{}')`,
          [id, n, n, ms, ok],
        );
      }
    }
    const [ep] = await same<{ stats: unknown }>((s) => s.endpoints.get(idOf(s, 'st')));
    expect(ep.stats).toEqual({
      recentAttempts: 3,
      successRate: 2 / 3,
      p50Ms: 25,
      consecutiveFailures: 0,
      pausedDeliveries: 2,
      pendingDeliveries: 1,
    });
    await same((s) => s.endpoints.list());
  });

  it('refuses a weak or repeated secret, and a grace a one-signature scheme cannot keep, writing nothing', async () => {
    await create('weak', { secret: WHSEC });
    await create('shop', { scheme: 'shopify', secret: 'shopify-secret_1' });
    const before = await same((s) => s.sql('SELECT endpoint_id, expires_at FROM endpoint_secrets ORDER BY id'));
    const refusals: Array<[(s: EndpointStoreUnderTest) => unknown, string]> = [
      // a 3-byte key and a 65-byte one: Standard Webhooks keys are 24 to 64 bytes
      [(s) => s.endpoints.rotate(idOf(s, 'weak'), 60, 'whsec_AAAA'), 'secret'],
      [(s) => s.endpoints.rotate(idOf(s, 'weak'), 60, `whsec_${Buffer.alloc(65, 1).toString('base64')}`), 'secret'],
      [
        (s) =>
          s.endpoints.create(
            EndpointCreateInput.parse({
              url: 'https://example.com/w',
              secret: `whsec_${Buffer.alloc(16).toString('base64')}`,
            }),
          ),
        'secret',
      ],
      // the secret that signs now would sign every delivery twice with one key
      [(s) => s.endpoints.rotate(idOf(s, 'weak'), 60, WHSEC), 'secret'],
      // shopify's one signature header cannot carry the previous secret's beside the new one
      [(s) => s.endpoints.rotate(idOf(s, 'shop'), 60, 'shopify-secret_2'), 'graceSeconds'],
    ];
    for (const [call, path] of refusals) {
      const [refused] = await same<{ error: string; issues: Array<{ path: string[] }> }>(call);
      expect(refused.error).toBe('invalid_input');
      expect(refused.issues.map((i) => i.path)).toEqual([[path]]);
    }
    expect(await same((s) => s.sql('SELECT endpoint_id, expires_at FROM endpoint_secrets ORDER BY id'))).toEqual(
      before,
    );
    // 24 and 64 bytes are fine; shopify without a grace rotates with none (the default there), standard keeps 24 h
    await same((s) => s.endpoints.rotate(idOf(s, 'weak'), 0, `whsec_${Buffer.alloc(64, 7).toString('base64')}`));
    await same((s) => s.endpoints.rotate(idOf(s, 'shop'), undefined, 'shopify-secret_2'));
    expect((await same<string[]>((s) => s.endpoints.signingSecrets(idOf(s, 'shop'))))[0]).toEqual(['shopify-secret_2']);
    await same((s) => s.endpoints.rotate(idOf(s, 'weak'), undefined, WHSEC2));
    const [info] = await same<{ previous: Array<{ expiresAt: string }> }>((s) =>
      s.endpoints.secretInfo(idOf(s, 'weak')),
    );
    expect(info.previous.map((p) => p.expiresAt)).toEqual([new Date(clock.now() + 24 * 3_600_000).toISOString()]);
  });

  it('refuses bad inputs with the same typed errors and writes nothing', async () => {
    const before = await same((s) => Promise.all([count(s, 'endpoints'), count(s, 'endpoint_secrets')]));
    const [notFound] = await same<{ error: string }>((s) => s.endpoints.get('missing'));
    expect(notFound.error).toBe('not_found');
    for (const call of [
      (s: EndpointStoreUnderTest) => update(s, 'missing', { url: 'https://example.com/x' }),
      (s: EndpointStoreUnderTest) => s.endpoints.rotate('missing', 0),
      (s: EndpointStoreUnderTest) => s.endpoints.secretInfo('missing'),
      (s: EndpointStoreUnderTest) => s.endpoints.scheme('missing'),
      (s: EndpointStoreUnderTest) => s.endpoints.row('missing'),
    ]) {
      expect((await same<{ error: string }>(call))[0].error).toBe('not_found');
    }
    const bad = EndpointCreateInput.parse({ url: 'https://example.com/bad', scheme: 'standard', secret: 'plain-text' });
    const [refused] = await same<{ error: string }>((s) => s.endpoints.create(bad));
    expect(refused.error).toBe('invalid_input');
    const [badRotate] = await same<{ error: string }>((s) => s.endpoints.rotate(idOf(s, 'own'), 0, 'plain-text'));
    expect(badRotate.error).toBe('invalid_input');
    const after = await same((s) => Promise.all([count(s, 'endpoints'), count(s, 'endpoint_secrets')]));
    expect(after).toEqual(before);
    expect((await same<string[]>((s) => s.endpoints.signingSecrets(idOf(s, 'own'))))[0]).toEqual([WHSEC]);
  });
});

describe('settings on SQLite and PostgreSQL', () => {
  it('starts from the defaults, updates, and refuses an invalid whole the same way', async () => {
    expect((await same((s) => s.settings.get()))[0]).toEqual(defaultSettings);
    const patch = SettingsPatch.parse({ retry: { maxAttempts: 3 }, concurrency: 4, notificationUrl: null });
    const [next] = await same((s) => s.settings.update(patch));
    expect(next).toMatchObject({ retry: { ...defaultSettings.retry, maxAttempts: 3 }, concurrency: 4 });
    const stored = await same((s) => s.sql("SELECT value FROM settings WHERE key = 'settings'"));
    const invalid = SettingsPatch.parse({ retry: { initialDelayMs: 10_000, maxDelayMs: 5000 } });
    const [refused] = await same<{ error: string; issues: unknown[] }>((s) => s.settings.update(invalid));
    expect(refused.error).toBe('invalid_input');
    expect(refused.issues.length).toBeGreaterThan(0);
    await same((s) => s.settings.get());
    expect(await same((s) => s.sql("SELECT value FROM settings WHERE key = 'settings'"))).toEqual(stored);
  });

  it('keeps the operational secret until it is rotated', async () => {
    for (const s of stores) {
      const first = await s.settings.operationalSecret();
      expect(first).toMatch(/^whsec_/);
      expect(await s.settings.operationalSecret()).toBe(first);
      const rotated = await s.settings.rotateOperationalSecret();
      expect(rotated).not.toBe(first);
      expect(await s.settings.operationalSecret()).toBe(rotated);
      const sealed = await s.sql("SELECT value FROM settings WHERE key = 'operational_secret'");
      expect(box.open(JSON.parse(String(sealed[0]?.value)) as string)).toBe(rotated);
    }
  });
});

describe('PostgreSQL: two processes on one database', () => {
  it("one's cache is stale after the other writes, until refresh; sealed secrets open in both", async () => {
    await endpointsTwoProcesses(pgUrl, clock, box);
  });
});
