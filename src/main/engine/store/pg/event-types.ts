// PostgreSQL storage of the catalog's event types: the same answers as SQLite's EventTypeStore. schemaOf() is on
// events.create's hot path and must not wait, so it answers from memory: load() reads every type's schema, and each
// write through this store updates the map after it commits. Another process's edits show after refresh(name) or
// load(): each write sends NOTIFY on CATALOG_CHANNEL with the type's name, for a listener to refresh that name. A
// reload that started before a later write or reload of the same name never overwrites that newer answer.
import type pg from 'pg';
import { HookbenchError, notFound } from '../../../../shared';
import { builtInKept, eventTypeTaken } from '../../db/event-types';
import type { EventTypeRow, EventTypeStorePort, EventTypeText } from '../catalog-ports';
import { inTransaction } from './in-transaction';
import type { Queryable } from './pool';

/** NOTIFY channel of catalog writes; the payload is the type's name. */
export const CATALOG_CHANNEL = 'hookbench_event_types';

// Names compare by code point as in SQLite, whatever the database's collation.
const COLUMNS = 'name, description, schema, example, built_in, created_at';

export class PgEventTypeStore implements EventTypeStorePort {
  private schemas = new Map<string, string | null>();
  private loaded = false;
  private seq = 0;
  /** when (in this.seq) each name's newest answer was asked for, by a write here or a refresh; '' for a load */
  private readonly asked = new Map<string, number>();

  constructor(private readonly pool: pg.Pool) {}

  async list(): Promise<EventTypeRow[]> {
    const { rows } = await this.pool.query<EventTypeRow>(
      `SELECT ${COLUMNS} FROM event_types ORDER BY built_in DESC, name COLLATE "C"`,
    );
    return rows;
  }

  async find(name: string): Promise<EventTypeRow | null> {
    return findIn(this.pool, name);
  }

  async create(t: EventTypeText, now: number): Promise<EventTypeRow> {
    const row = await inTransaction(this.pool, async (c) => {
      // ON CONFLICT: two processes creating one name race to a conflict for the second, not a key violation
      const { rows } = await c.query<EventTypeRow>(
        `INSERT INTO event_types (name, description, schema, example, built_in, created_at)
          VALUES ($1, $2, $3, $4, 0, $5) ON CONFLICT (name) DO NOTHING RETURNING ${COLUMNS}`,
        [t.name, t.description, t.schema, t.example, now],
      );
      if (!rows[0]) throw eventTypeTaken(t.name);
      await notify(c, [t.name]);
      return rows[0];
    });
    this.remember(row.name, row.schema);
    return row;
  }

  async update(t: EventTypeText): Promise<EventTypeRow> {
    const row = await inTransaction(this.pool, async (c) => {
      const { rows } = await c.query<EventTypeRow>(
        `UPDATE event_types SET description = $1, schema = $2, example = $3 WHERE name = $4 RETURNING ${COLUMNS}`,
        [t.description, t.schema, t.example, t.name],
      );
      if (!rows[0]) throw notFound('event type', t.name);
      await notify(c, [t.name]);
      return rows[0];
    });
    this.remember(row.name, row.schema);
    return row;
  }

  async delete(name: string): Promise<void> {
    await inTransaction(this.pool, async (c) => {
      // the row locked first, so a built-in check and the delete see the same row
      const { rows } = await c.query<{ built_in: number }>(
        'SELECT built_in FROM event_types WHERE name = $1 FOR UPDATE',
        [name],
      );
      if (!rows[0]) throw notFound('event type', name);
      if (rows[0].built_in === 1) throw builtInKept(name);
      await c.query('DELETE FROM event_types WHERE name = $1', [name]);
      await notify(c, [name]);
    });
    this.remember(name, undefined);
  }

  async importAll(created: EventTypeText[], updated: EventTypeText[], now: number): Promise<void> {
    if (created.length === 0 && updated.length === 0) return;
    const cols = (list: EventTypeText[]) => [
      list.map((e) => e.name),
      list.map((e) => e.description),
      list.map((e) => e.schema),
      list.map((e) => e.example),
    ];
    // All or nothing, one statement per kind: a type another process created meanwhile is overwritten, as an
    // update would have been (the import's text wins either way).
    await inTransaction(this.pool, async (c) => {
      if (created.length > 0) {
        await c.query(
          `INSERT INTO event_types (name, description, schema, example, built_in, created_at)
            SELECT n, d, s, x, 0, $5 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(n, d, s, x)
            ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description, schema = EXCLUDED.schema,
              example = EXCLUDED.example`,
          [...cols(created), now],
        );
      }
      if (updated.length > 0) {
        await c.query(
          `UPDATE event_types t SET description = u.d, schema = u.s, example = u.x
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(n, d, s, x) WHERE t.name = u.n`,
          cols(updated),
        );
      }
      await notify(
        c,
        [...created, ...updated].map((e) => e.name),
      );
    });
    for (const e of [...created, ...updated]) this.remember(e.name, e.schema);
  }

  schemaOf(name: string): string | null {
    if (!this.loaded) throw new HookbenchError('internal', 'PgEventTypeStore.schemaOf used before load()');
    return this.schemas.get(name) ?? null;
  }

  /** Every type's schema, read again. */
  async load(): Promise<void> {
    const mine = ++this.seq;
    this.asked.set('', mine);
    const { rows } = await this.pool.query<{ name: string; schema: string | null }>(
      'SELECT name, schema FROM event_types',
    );
    if (this.asked.get('') !== mine) return;
    const next = new Map(rows.map((r) => [r.name, r.schema]));
    // a name written or refreshed since this load began keeps that (newer) answer
    for (const [name, at] of this.asked) {
      if (name === '' || at <= mine) continue;
      const schema = this.schemas.get(name);
      if (this.schemas.has(name)) next.set(name, schema ?? null);
      else next.delete(name);
    }
    this.schemas = next;
    this.loaded = true;
  }

  /** One type's schema read again (another process wrote it: CATALOG_CHANNEL's payload); all without a name. */
  async refresh(name?: string): Promise<void> {
    if (name === undefined) return this.load();
    const mine = ++this.seq;
    this.asked.set(name, mine);
    const row = await findIn(this.pool, name);
    if (this.asked.get(name) !== mine || (this.asked.get('') ?? 0) > mine) return;
    if (row) this.schemas.set(name, row.schema);
    else this.schemas.delete(name);
  }

  /** a committed write's answer (undefined: the type is gone) */
  private remember(name: string, schema: string | null | undefined): void {
    this.asked.set(name, ++this.seq);
    if (schema === undefined) this.schemas.delete(name);
    else this.schemas.set(name, schema);
  }
}

async function findIn(db: Queryable, name: string): Promise<EventTypeRow | null> {
  const { rows } = await db.query<EventTypeRow>(`SELECT ${COLUMNS} FROM event_types WHERE name = $1`, [name]);
  return rows[0] ?? null;
}

/** sent at commit (NOTIFY is transactional), once per type */
async function notify(c: Queryable, names: string[]): Promise<void> {
  await c.query('SELECT pg_notify($1, n) FROM unnest($2::text[]) AS n', [CATALOG_CHANNEL, [...new Set(names)]]);
}
