// Inbox and captured-request rows as both stores read them (SQLite's inbox-store.ts, PostgreSQL's
// store/pg/inbox-store.ts): the same columns, the same mapping to the contract, the same request ids.
import { randomBytes } from 'node:crypto';
import { type Inbox, type InboxAnswer, type InboxRequest, ResponseScript } from '../../../shared';
import { iso } from '../db/util';
import type { ReceivedRequest } from './index';

export interface InboxRow {
  id: string;
  name: string;
  endpoint_id: string | null;
  script: string;
  created_at: number;
  request_count: number;
}

export interface RequestRow {
  id: string;
  inbox_id: string;
  method: string;
  path: string;
  headers: string;
  body: Buffer;
  size: number;
  remote: string;
  received_at: number;
  response_status: number | null;
  /** JSON of InboxAnswer (migration 11; PostgreSQL 7), null when it hung or before answers were kept */
  response: string | null;
  verification: string | null;
}

/** An inbox as stored, without its URL (the service adds it from the receiver's address). */
export type StoredInbox = Omit<Inbox, 'url' | 'forwardUrl'>;

/** Scripts are re-parsed on read so a row written by an older version still yields every field with its default. */
export function parseScript(text: string): ResponseScript {
  try {
    return ResponseScript.parse(JSON.parse(text));
  } catch {
    return ResponseScript.parse({});
  }
}

export function toInbox(r: InboxRow): StoredInbox {
  return {
    id: r.id,
    name: r.name,
    endpointId: r.endpoint_id,
    script: parseScript(r.script),
    requestCount: r.request_count,
    createdAt: iso(r.created_at),
  };
}

export function toRequest(r: RequestRow): InboxRequest {
  return {
    id: r.id,
    inboxId: r.inbox_id,
    method: r.method,
    path: r.path,
    headers: JSON.parse(r.headers) as Record<string, string>,
    // Lossy for binary bodies on purpose: the contract carries text; size keeps the true byte count.
    body: r.body.toString('utf8'),
    size: r.size,
    remote: r.remote,
    receivedAt: iso(r.received_at),
    responseStatus: r.response_status,
    response: r.response ? (JSON.parse(r.response) as InboxAnswer) : null,
    verification: r.verification ? (JSON.parse(r.verification) as InboxRequest['verification']) : null,
  };
}

let sequence = 0;
/**
 * Request ids sort in arrival order (time, then a per-process sequence) so requests captured within the same
 * millisecond still page newest-first in a stable order.
 */
export function requestId(receivedAt: number): string {
  sequence = (sequence + 1) % 0x1000000;
  const time = Math.max(0, Math.floor(receivedAt)).toString(16).padStart(12, '0');
  return `${time}${sequence.toString(16).padStart(6, '0')}${randomBytes(6).toString('hex')}`;
}

/** The columns of inbox_requests, in the order of `requestValues` (both stores' INSERT; PostgreSQL's reads too). */
export const REQUEST_COLUMNS =
  'id, inbox_id, method, path, headers, body, size, remote, received_at, response_status, verification, response';

/** A captured request's row values in REQUEST_COLUMNS order. */
export function requestValues(id: string, inboxId: string, r: ReceivedRequest): unknown[] {
  return [
    id,
    inboxId,
    r.method,
    r.path,
    JSON.stringify(r.headers),
    r.body,
    r.size,
    r.remote,
    r.receivedAt,
    r.responseStatus,
    r.verification ? JSON.stringify(r.verification) : null,
    r.response ? JSON.stringify(r.response) : null,
  ];
}

/** The request as captured, as the contract shows it (what addRequest answers without reading it back). */
export function capturedRequest(id: string, inboxId: string, r: ReceivedRequest): InboxRequest {
  return {
    id,
    inboxId,
    method: r.method,
    path: r.path,
    headers: r.headers,
    body: r.body.toString('utf8'),
    size: r.size,
    remote: r.remote,
    receivedAt: iso(r.receivedAt),
    responseStatus: r.responseStatus,
    response: r.response,
    verification: r.verification,
  };
}
