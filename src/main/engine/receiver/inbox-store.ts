// SQLite storage of inboxes and the requests they captured (tables from migration 002), and the receiver's last
// port (the settings table). Prepared once.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { InboxRequest, ResponseScript } from '../../../shared';
import { decodeCursor, encodeCursor } from '../db/util';
import { settingRows } from '../settings-store';
import type { InboxStorePort } from '../store/inbox-ports';
import { INBOX_PORT_KEY, type PortMemory, portFromStored } from './inbox-address';
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
} from './inbox-rows';
import type { ReceivedRequest } from './index';
import type { Verification } from './verdict';

export type { StoredInbox } from './inbox-rows';

/** The receiver's last port, in the settings table (see inbox-address.ts). */
export function sqlitePortMemory(db: Database.Database): PortMemory {
  const rows = settingRows(db);
  return {
    get: () => portFromStored(rows.get(INBOX_PORT_KEY)),
    set: (port) => rows.put(INBOX_PORT_KEY, String(port)),
  };
}

export function createInboxStore(db: Database.Database) {
  const selectInbox = `SELECT i.id, i.name, i.endpoint_id, i.script, i.created_at,
      (SELECT COUNT(*) FROM inbox_requests r WHERE r.inbox_id = i.id) AS request_count FROM inboxes i`;
  const q = {
    list: db.prepare<[], InboxRow>(`${selectInbox} ORDER BY i.created_at DESC, i.id`),
    get: db.prepare<[string], InboxRow>(`${selectInbox} WHERE i.id = ?`),
    target: db.prepare<[string], Pick<InboxRow, 'endpoint_id' | 'script'>>(
      'SELECT endpoint_id, script FROM inboxes WHERE id = ?',
    ),
    insert: db.prepare('INSERT INTO inboxes (id, name, endpoint_id, script, created_at) VALUES (?, ?, ?, ?, ?)'),
    update: db.prepare('UPDATE inboxes SET name = ?, endpoint_id = ?, script = ? WHERE id = ?'),
    delete: db.prepare('DELETE FROM inboxes WHERE id = ?'),
    insertRequest: db.prepare(
      `INSERT INTO inbox_requests (${REQUEST_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    page: db.prepare<[string, number], RequestRow>(
      'SELECT * FROM inbox_requests WHERE inbox_id = ? ORDER BY received_at DESC, id DESC LIMIT ?',
    ),
    pageAfter: db.prepare<[string, number, number, string, number], RequestRow>(
      `SELECT * FROM inbox_requests WHERE inbox_id = ? AND (received_at < ? OR (received_at = ? AND id < ?))
        ORDER BY received_at DESC, id DESC LIMIT ?`,
    ),
    // Search: a LIKE over one inbox's requests (kept small by retention), so no index of its own. The body is a
    // BLOB of the bytes received; CAST reads it as UTF-8 text, and LIKE is case-insensitive for ASCII.
    search: db.prepare<[{ inbox: string; at: number; id: string; like: string; limit: number }], RequestRow>(
      `SELECT * FROM inbox_requests WHERE inbox_id = @inbox AND (received_at < @at OR (received_at = @at AND id < @id))
        AND (CAST(body AS TEXT) LIKE @like ESCAPE '\\' OR path LIKE @like ESCAPE '\\' OR headers LIKE @like ESCAPE '\\')
        ORDER BY received_at DESC, id DESC LIMIT @limit`,
    ),
    byId: db.prepare<[string, string], RequestRow>('SELECT * FROM inbox_requests WHERE inbox_id = ? AND id = ?'),
    setVerification: db.prepare('UPDATE inbox_requests SET verification = ? WHERE id = ?'),
    clear: db.prepare('DELETE FROM inbox_requests WHERE inbox_id = ?'),
    prune: db.prepare('DELETE FROM inbox_requests WHERE received_at < ?'),
  };

  return {
    list: (): StoredInbox[] => q.list.all().map(toInbox),
    get: (id: string): StoredInbox | null => {
      const r = q.get.get(id);
      return r ? toInbox(r) : null;
    },
    /** the columns the receiver needs per request */
    target: (id: string): { endpointId: string | null; script: ResponseScript } | null => {
      const r = q.target.get(id);
      return r ? { endpointId: r.endpoint_id, script: parseScript(r.script) } : null;
    },
    insert: (i: { name: string; endpointId: string | null; script: ResponseScript; createdAt: number }): string => {
      const id = randomUUID();
      q.insert.run(id, i.name, i.endpointId, JSON.stringify(i.script), i.createdAt);
      return id;
    },
    update: (id: string, i: { name: string; endpointId: string | null; script: ResponseScript }): void => {
      q.update.run(i.name, i.endpointId, JSON.stringify(i.script), id);
    },
    delete: (id: string): boolean => q.delete.run(id).changes > 0,
    addRequest: (inboxId: string, r: ReceivedRequest): InboxRequest => {
      const id = requestId(r.receivedAt);
      q.insertRequest.run(requestValues(id, inboxId, r));
      return capturedRequest(id, inboxId, r);
    },
    /** newest first; `cursor` from a previous page */
    requests: (
      inboxId: string,
      limit: number,
      cursor?: string,
      search?: string,
    ): { data: InboxRequest[]; nextCursor: string | null } => {
      const after = cursor ? decodeCursor(cursor) : null;
      // One extra row tells whether another page exists without a COUNT.
      const text = search?.trim();
      const rows = text
        ? q.search.all({
            inbox: inboxId,
            // the first page starts above any real key
            at: after?.createdAt ?? Number.MAX_SAFE_INTEGER,
            id: after?.id ?? '',
            like: `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
            limit: limit + 1,
          })
        : after
          ? q.pageAfter.all(inboxId, after.createdAt, after.createdAt, after.id, limit + 1)
          : q.page.all(inboxId, limit + 1);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        data: page.map(toRequest),
        nextCursor: rows.length > limit && last ? encodeCursor(last.received_at, last.id) : null,
      };
    },
    /** one captured request with its body as raw bytes (forwarding sends the bytes that arrived), or null */
    request: (inboxId: string, id: string): { request: InboxRequest; rawBody: Buffer } | null => {
      const r = q.byId.get(inboxId, id);
      return r ? { request: toRequest(r), rawBody: r.body } : null;
    },
    /**
     * Re-checks the newest `limit` requests of an inbox with `judge` (linking an endpoint verifies what came
     * before). One transaction; returns how many were re-judged.
     */
    reverify: (
      inboxId: string,
      limit: number,
      judge: (r: { headers: Record<string, string>; body: Buffer; size: number; receivedAt: number }) => Verification,
    ): number => {
      const rows = q.page.all(inboxId, limit);
      db.transaction(() => {
        for (const r of rows) {
          const verdict = judge({
            headers: JSON.parse(r.headers) as Record<string, string>,
            body: r.body,
            size: r.size,
            receivedAt: r.received_at,
          });
          q.setVerification.run(JSON.stringify(verdict), r.id);
        }
      })();
      return rows.length;
    },
    clear: (inboxId: string): number => q.clear.run(inboxId).changes,
    prune: (beforeMs: number): number => q.prune.run(beforeMs).changes,
    // SQLite answers the port synchronously, with no change of behaviour
  } satisfies InboxStorePort;
}

export type InboxStore = ReturnType<typeof createInboxStore>;
