// Both stores' catalog and inbox on real databases, for one conformance suite: SQLite's EventTypeStore and
// createInboxStore on a temp file migrated by the engine, PostgreSQL's PgEventTypeStore and PgInboxStore on a fresh
// database of a private cluster migrated by migratePg. The event types are driven through the real eventTypes.*
// handlers (inputs parsed by the contract), so the rules and the rows are tested together.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { eventTypeHandlers } from '../../src/main/engine/api/event-types';
import { EventTypeSchemas } from '../../src/main/engine/catalog/event-type-schemas';
import { EventTypeStore } from '../../src/main/engine/db/event-types';
import { openDatabase } from '../../src/main/engine/db/open';
import { createInboxStore } from '../../src/main/engine/receiver/inbox-store';
import type { ReceivedRequest } from '../../src/main/engine/receiver/index';
import type { EventTypeStorePort } from '../../src/main/engine/store/catalog-ports';
import type { InboxStorePort } from '../../src/main/engine/store/inbox-ports';
import { PgEventTypeStore } from '../../src/main/engine/store/pg/event-types';
import { PgInboxStore } from '../../src/main/engine/store/pg/inbox-store';
import { migratePg } from '../../src/main/engine/store/pg/migrate';
import { openPgPool } from '../../src/main/engine/store/pg/pool';
import { type Clock, systemClock } from '../../src/main/engine/types';
import { type Handlers, type InboxRequest, type RouteCallInput, type RouteName, routes } from '../../src/shared';
import { createTestDatabase } from './pg-cluster';
import { tempDbPath } from './temp';

type CatalogRoute = Extract<RouteName, `eventTypes.${string}`>;

export interface CatalogInboxUnderTest {
  name: 'sqlite' | 'postgres';
  eventTypes: EventTypeStorePort;
  schemas: EventTypeSchemas;
  /** an eventTypes.* route, its input parsed by the contract as a transport would */
  call<N extends CatalogRoute>(name: N, input: RouteCallInput<N>): Promise<Awaited<ReturnType<Handlers[N]>>>;
  inboxes: InboxStorePort;
  /** an endpoint row an inbox can link to (the foreign key) */
  addEndpoint(id: string): Promise<void>;
  /** a second store on the same database: what another process sees after load() */
  another(): EventTypeStorePort;
  close(): Promise<void>;
}

/** the clock the handlers stamp created types with: the same time on both stores */
export const catalogClock = (now: () => number): Clock => ({ ...systemClock, now });

function caller(clock: Clock, store: EventTypeStorePort, schemas: EventTypeSchemas) {
  const handlers = eventTypeHandlers({ clock }, store, schemas) as Record<CatalogRoute, (input: unknown) => unknown>;
  return async (name: CatalogRoute, input: unknown) => handlers[name](routes[name].input.parse(input));
}

const ENDPOINT_SQL = `INSERT INTO endpoints (id, url, event_types, created_at, updated_at)
  VALUES (?, 'http://127.0.0.1:9/hook', '["*"]', 0, 0)`;

export async function sqliteCatalogInbox(clock: Clock): Promise<CatalogInboxUnderTest> {
  const db = openDatabase(tempDbPath());
  const eventTypes = new EventTypeStore(db);
  const schemas = new EventTypeSchemas(eventTypes);
  return {
    name: 'sqlite',
    eventTypes,
    schemas,
    call: caller(clock, eventTypes, schemas) as CatalogInboxUnderTest['call'],
    inboxes: createInboxStore(db),
    addEndpoint: async (id) => {
      db.prepare(ENDPOINT_SQL).run(id);
    },
    another: () => new EventTypeStore(db),
    close: async () => {
      db.close();
    },
  };
}

export async function pgCatalogInbox(
  clusterUrl: string,
  clock: Clock,
): Promise<CatalogInboxUnderTest & { pool: pg.Pool; url: string }> {
  const url = await createTestDatabase(clusterUrl);
  const pool = openPgPool(url);
  await migratePg(pool);
  const eventTypes = new PgEventTypeStore(pool);
  await eventTypes.load();
  const schemas = new EventTypeSchemas(eventTypes);
  return {
    name: 'postgres',
    eventTypes,
    schemas,
    call: caller(clock, eventTypes, schemas) as CatalogInboxUnderTest['call'],
    inboxes: new PgInboxStore(pool),
    addEndpoint: async (id) => {
      await pool.query(ENDPOINT_SQL.replace('?', '$1'), [id]);
    },
    another: () => new PgEventTypeStore(pool),
    close: () => pool.end(),
    pool,
    url,
  };
}

/** a request as the receiver hands it over; the body's bytes as given */
export function received(
  path: string,
  body: Buffer | string,
  receivedAt: number,
  extra: Partial<ReceivedRequest> = {},
) {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const r: ReceivedRequest = {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', 'x-trace': `Trace-${path}` },
    body: bytes,
    size: bytes.length,
    truncated: false,
    remote: '127.0.0.1',
    receivedAt,
    targetKey: '',
    webhookId: null,
    responseStatus: 200,
    response: { headers: { 'content-type': 'application/json' }, body: '{"ok":true}', delayMs: 0 },
    scriptedFailure: false,
    verification: null,
    ...extra,
  };
  return r;
}

/** ids are generated (random) in each store: compared by everything else */
export const noIds = (r: InboxRequest) => ({ ...r, id: 'id', inboxId: 'inbox' });

/** every page of a listing, following each store's own cursors */
export async function allPages(s: CatalogInboxUnderTest, inboxId: string, limit: number, search?: string) {
  const pages: Array<{ paths: string[]; more: boolean }> = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const page = await s.inboxes.requests(inboxId, limit, cursor, search);
    pages.push({ paths: page.data.map((r) => r.path), more: page.nextCursor !== null });
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return pages;
}

/**
 * A new database on the cluster whose default collation is ICU's en-US (where '_' and '-' are ignored at first and
 * case folds), as a production database may be: code-point order must not depend on it. Its URL.
 */
export async function createIcuDatabase(url: string): Promise<string> {
  const name = `hookbench_icu_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'`);
  } finally {
    await client.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
