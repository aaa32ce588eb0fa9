// The inboxes and the requests they captured as an interface, so the receiver and the API can use either store:
// SQLite's createInboxStore answers synchronously, PostgreSQL's PgInboxStore with promises. Both give the same
// answers (test/engine/catalog-inbox-conformance.test.ts).
import type { InboxRequest, ResponseScript } from '../../../shared';
import type { Awaitable } from '../delivery/state-store';
import type { StoredInbox } from '../receiver/inbox-rows';
import type { ReceivedRequest } from '../receiver/index';
import type { Verification } from '../receiver/verdict';
import type { Page } from './read-ports';

/** What the receiver needs per request: where it links (for verifying) and how to answer. */
export interface InboxTarget {
  endpointId: string | null;
  script: ResponseScript;
}

/** What a person sets on an inbox. */
export interface InboxSettings {
  name: string;
  endpointId: string | null;
  script: ResponseScript;
}

/** A captured request as the re-verification judges it: the bytes and headers that arrived, and when. */
export interface CapturedForJudging {
  headers: Record<string, string>;
  body: Buffer;
  size: number;
  receivedAt: number;
}

export interface InboxStorePort {
  /** every inbox, newest first, with how many requests it holds */
  list(): Awaitable<StoredInbox[]>;
  get(id: string): Awaitable<StoredInbox | null>;
  target(id: string): Awaitable<InboxTarget | null>;
  /** a new inbox; its id */
  insert(i: InboxSettings & { createdAt: number }): Awaitable<string>;
  update(id: string, i: InboxSettings): Awaitable<void>;
  /** false when there was none; its requests go with it */
  delete(id: string): Awaitable<boolean>;
  /** stores a captured request (the body's bytes as they arrived) */
  addRequest(inboxId: string, r: ReceivedRequest): Awaitable<InboxRequest>;
  /** newest first; `cursor` from a previous page; `search` a case-insensitive (ASCII) substring of body, path, headers */
  requests(inboxId: string, limit: number, cursor?: string, search?: string): Awaitable<Page<InboxRequest>>;
  /** one captured request with its body as raw bytes, or null */
  request(inboxId: string, id: string): Awaitable<{ request: InboxRequest; rawBody: Buffer } | null>;
  /** re-judges the newest `limit` requests with `judge`, written at once; how many */
  reverify(inboxId: string, limit: number, judge: (r: CapturedForJudging) => Verification): Awaitable<number>;
  /** deletes an inbox's requests; how many */
  clear(inboxId: string): Awaitable<number>;
  /** retention: deletes every inbox's requests received before this time (unix ms); how many */
  prune(beforeMs: number): Awaitable<number>;
}
