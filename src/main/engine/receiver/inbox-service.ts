// The engine's side of the built-in receiver: runs startReceiver in `/in/<inboxId>` mode, resolves each request's
// script and verifying secrets from SQLite (so edits apply to the next request), stores what it captured and
// publishes `inbox.request`.
import type { Inbox } from '../../../shared';
import type { EngineContext } from '../context';
import type { EngineOptions } from '../types';
import { createInboxStore, type InboxStore, type StoredInbox } from './inbox-store';
import { type ReceivedRequest, type Receiver, type ReceiverTarget, startReceiver } from './index';

export interface InboxService {
  /** starts the receiver (no-op when disabled by options or already running) */
  start(): Promise<void>;
  /** stops the receiver: closes every socket, hung requests included */
  stop(): Promise<void>;
  /** e.g. http://127.0.0.1:43123 while running, else null */
  baseUrl(): string | null;
  /** deletes captured requests received before this time (unix ms); retention calls it */
  prune(beforeMs: number): number;
  /** the inbox's receiving URL: `<baseUrl>/in/<id>` (a bare path while the receiver is stopped) */
  urlOf(inboxId: string): string;
  /** adds the URL to a stored inbox */
  withUrl(inbox: StoredInbox): Inbox;
  /** forgets an inbox's fail-first counts (its requests were cleared or its script replaced) */
  resetCounters(inboxId: string): void;
  readonly store: InboxStore;
}

export function createInboxService(ctx: EngineContext, opts: EngineOptions['inbox']): InboxService {
  const store = createInboxStore(ctx.db);
  let receiver: Receiver | null = null;
  let starting: Promise<void> | null = null;

  const lookup = (inboxId: string): ReceiverTarget | null => {
    const t = store.target(inboxId);
    if (!t) return null;
    let verifyWith: ReceiverTarget['verifyWith'] = null;
    if (t.endpointId) {
      try {
        verifyWith = {
          scheme: ctx.endpoints.scheme(t.endpointId),
          secrets: ctx.endpoints.signingSecrets(t.endpointId),
        };
      } catch {
        // the linked endpoint is gone (soft-deleted): the request is captured without a verdict
        verifyWith = null;
      }
    }
    return { key: inboxId, script: t.script, verifyWith };
  };

  const onRequest = (r: ReceivedRequest) => {
    const inboxId = r.targetKey;
    try {
      const request = store.addRequest(inboxId, r);
      ctx.emit('inbox.request', { inboxId, request });
    } catch (err) {
      // e.g. the inbox was deleted between lookup and insert, or the disk is full: the answer still goes out
      ctx.log.warn('inbox request not stored', { inboxId, error: err instanceof Error ? err.message : String(err) });
    }
  };

  const urlOf = (id: string) => `${receiver?.url ?? ''}/in/${id}`;

  return {
    store,
    start: async () => {
      if (opts === false || receiver) return;
      starting ??= startReceiver({
        host: opts?.host ?? '127.0.0.1',
        port: opts?.port ?? 0,
        routing: { kind: 'inboxes', lookup },
        onRequest,
        now: () => ctx.clock.now(),
      }).then((r) => {
        receiver = r;
        ctx.log.info('inbox receiver listening', { url: r.url });
      });
      try {
        await starting;
      } finally {
        starting = null;
      }
    },
    stop: async () => {
      const r = receiver;
      receiver = null;
      await r?.stop();
    },
    baseUrl: () => receiver?.url ?? null,
    prune: (beforeMs) => store.prune(beforeMs),
    urlOf,
    withUrl: (inbox) => ({ ...inbox, url: urlOf(inbox.id) }),
    resetCounters: (id) => receiver?.resetCounters(id),
  };
}
