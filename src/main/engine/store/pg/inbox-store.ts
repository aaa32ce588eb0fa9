// PostgreSQL storage of inboxes and the requests they captured: the same answers as SQLite's createInboxStore.
// Bodies are BYTEA, the bytes that arrived; pages use the same (received_at, id) cursor; retention deletes by time.
// Ids compare by code point (COLLATE "C"), as in SQLite, whatever the database's collation.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { InboxRequest } from '../../../../shared';
import { decodeCursor, encodeCursor } from '../../db/util';
import {
  capturedRequest,
  type InboxRow,
  parseScript,
  REQUEST_COLUMNS,
  type RequestRow,
  requestId,
  requestValues,
  type StoredInbox,
  toInbox,
  toRequest,
} from '../../receiver/inbox-rows';
import type { ReceivedRequest } from '../../receiver/index';
import type { Verification } from '../../receiver/verdict';
import type { CapturedForJudging, InboxSettings, InboxStorePort, InboxTarget } from '../inbox-ports';
import type { Page } from '../read-ports';
import { searchPatterns, searchSql } from './inbox-search';

const SELECT_INBOX = `SELECT i.id, i.name, i.endpoint_id, i.script, i.created_at,
    (SELECT COUNT(*) FROM inbox_requests r WHERE r.inbox_id = i.id) AS request_count FROM inboxes i`;
const NEWEST_FIRST = 'ORDER BY received_at DESC, id COLLATE "C" DESC';

export class PgInboxStore implements InboxStorePort {
  constructor(private readonly pool: pg.Pool) {}

  async list(): Promise<StoredInbox[]> {
    const { rows } = await this.pool.query<InboxRow>(`${SELECT_INBOX} ORDER BY i.created_at DESC, i.id COLLATE "C"`);
    return rows.map(toInbox);
  }

  async get(id: string): Promise<StoredInbox | null> {
    const { rows } = await this.pool.query<InboxRow>(`${SELECT_INBOX} WHERE i.id = $1`, [id]);
    return rows[0] ? toInbox(rows[0]) : null;
  }

  async target(id: string): Promise<InboxTarget | null> {
    const { rows } = await this.pool.query<Pick<InboxRow, 'endpoint_id' | 'script'>>(
      'SELECT endpoint_id, script FROM inboxes WHERE id = $1',
      [id],
    );
    const r = rows[0];
    return r ? { endpointId: r.endpoint_id, script: parseScript(r.script) } : null;
  }

  async insert(i: InboxSettings & { createdAt: number }): Promise<string> {
    const id = randomUUID();
    await this.pool.query(
      'INSERT INTO inboxes (id, name, endpoint_id, script, created_at) VALUES ($1, $2, $3, $4, $5)',
      [id, i.name, i.endpointId, JSON.stringify(i.script), i.createdAt],
    );
    return id;
  }

  async update(id: string, i: InboxSettings): Promise<void> {
    await this.pool.query('UPDATE inboxes SET name = $1, endpoint_id = $2, script = $3 WHERE id = $4', [
      i.name,
      i.endpointId,
      JSON.stringify(i.script),
      id,
    ]);
  }

  async delete(id: string): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM inboxes WHERE id = $1', [id])).rowCount ?? 0) > 0;
  }

  async addRequest(inboxId: string, r: ReceivedRequest): Promise<InboxRequest> {
    const id = requestId(r.receivedAt);
    await this.pool.query(
      `INSERT INTO inbox_requests (${REQUEST_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      requestValues(id, inboxId, r),
    );
    return capturedRequest(id, inboxId, r);
  }

  async requests(inboxId: string, limit: number, cursor?: string, search?: string): Promise<Page<InboxRequest>> {
    const after = cursor ? decodeCursor(cursor) : null;
    const text = search?.trim();
    // the first page starts above any real key; one extra row tells whether another page exists without a COUNT
    const values: unknown[] = [inboxId, after?.createdAt ?? Number.MAX_SAFE_INTEGER, after?.id ?? '', limit + 1];
    let where = 'inbox_id = $1 AND (received_at < $2 OR (received_at = $2 AND id COLLATE "C" < $3))';
    if (text) {
      const p = searchPatterns(text);
      values.push(p.body, p.text);
      where += ` AND ${searchSql('$5', '$6')}`;
    }
    const { rows } = await this.pool.query<RequestRow>(
      `SELECT ${REQUEST_COLUMNS} FROM inbox_requests WHERE ${where} ${NEWEST_FIRST} LIMIT $4`,
      values,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map(toRequest),
      nextCursor: rows.length > limit && last ? encodeCursor(last.received_at, last.id) : null,
    };
  }

  async request(inboxId: string, id: string): Promise<{ request: InboxRequest; rawBody: Buffer } | null> {
    const { rows } = await this.pool.query<RequestRow>(
      `SELECT ${REQUEST_COLUMNS} FROM inbox_requests WHERE inbox_id = $1 AND id = $2`,
      [inboxId, id],
    );
    const r = rows[0];
    return r ? { request: toRequest(r), rawBody: r.body } : null;
  }

  async reverify(inboxId: string, limit: number, judge: (r: CapturedForJudging) => Verification): Promise<number> {
    const { rows } = await this.pool.query<RequestRow>(
      `SELECT id, headers, body, size, received_at FROM inbox_requests WHERE inbox_id = $1 ${NEWEST_FIRST} LIMIT $2`,
      [inboxId, limit],
    );
    if (rows.length === 0) return 0;
    const verdicts = rows.map((r) =>
      JSON.stringify(
        judge({
          headers: JSON.parse(r.headers) as Record<string, string>,
          body: r.body,
          size: r.size,
          receivedAt: r.received_at,
        }),
      ),
    );
    // every verdict in one statement: all are written or none
    await this.pool.query(
      `UPDATE inbox_requests r SET verification = u.v FROM unnest($1::text[], $2::text[]) AS u(id, v)
        WHERE r.id = u.id`,
      [rows.map((r) => r.id), verdicts],
    );
    return rows.length;
  }

  async clear(inboxId: string): Promise<number> {
    return (await this.pool.query('DELETE FROM inbox_requests WHERE inbox_id = $1', [inboxId])).rowCount ?? 0;
  }

  async prune(beforeMs: number): Promise<number> {
    return (await this.pool.query('DELETE FROM inbox_requests WHERE received_at < $1', [beforeMs])).rowCount ?? 0;
  }
}
