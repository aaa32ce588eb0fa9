// The engine's side of the built-in receiver: runs startReceiver in `/in/<inboxId>` mode, resolves each request's
// script and verifying secrets from SQLite (so edits apply to the next request), stores what it captured and
// publishes `inbox.request`. It also forwards captured requests to a local server (one, several, or live as they
// arrive) and re-verifies an inbox's requests when it is linked to an endpoint.
import { Agent } from 'undici';
import type { ForwardResult, Inbox } from '../../../shared';
import type { EngineContext } from '../context';
import type { EngineOptions } from '../types';
import { forwardCaptured } from './forward';
import { createInboxStore, type InboxStore, type StoredInbox } from './inbox-store';
import { type ReceivedRequest, type Receiver, type ReceiverTarget, startReceiver } from './index';
import { verdictOf } from './verdict';

/** Forward answers are kept in memory for the engine's lifetime, the newest this many (no migration needed). */
const FORWARDS_KEPT = 2000;
/** Linking re-verifies at most this many of the newest requests (retention keeps inboxes far smaller). */
const REVERIFY_LIMIT = 10_000;

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
  /** sends one captured request to `url` and remembers the answer; null when the request does not exist */
  forward(inboxId: string, requestId: string, url: string): Promise<ForwardResult | null>;
  /** the latest forward answer of a request, while the engine runs */
  forwardOf(requestId: string): ForwardResult | null;
  /** starts (url) or stops (null) forwarding every newly captured request of an inbox */
  setLiveForward(inboxId: string, url: string | null): void;
  /** re-judges an inbox's captured requests with its linked endpoint's secrets; returns how many */
  reverify(inboxId: string): number;
  readonly store: InboxStore;
}

export function createInboxService(ctx: EngineContext, opts: EngineOptions['inbox']): InboxService {
  const store = createInboxStore(ctx.db);
  let receiver: Receiver | null = null;
  let starting: Promise<void> | null = null;
  // Its own Agent: forwarded requests never share sockets with the dispatcher's deliveries.
  const agent = new Agent({ keepAliveTimeout: 4_000 });
  const forwards = new Map<string, ForwardResult>();
  const liveForward = new Map<string, string>();

  const remember = (requestId: string, result: ForwardResult) => {
    forwards.delete(requestId);
    forwards.set(requestId, result);
    if (forwards.size > FORWARDS_KEPT) {
      const oldest = forwards.keys().next().value;
      if (oldest !== undefined) forwards.delete(oldest);
    }
  };

  const forward = async (inboxId: string, requestId: string, url: string): Promise<ForwardResult | null> => {
    const found = store.request(inboxId, requestId);
    if (!found) return null;
    const { method, headers } = found.request;
    const result = await forwardCaptured({ method, headers, body: found.rawBody }, url, agent, ctx.clock.now());
    remember(requestId, result);
    ctx.emit('inbox.forwarded', { inboxId, requestId, forward: result });
    return result;
  };

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
      const liveUrl = liveForward.get(inboxId);
      if (liveUrl) {
        // after the capture is stored and announced; forward() never rejects (a failure is its result)
        void forward(inboxId, request.id, liveUrl);
      }
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
      await agent.close().catch(() => {});
    },
    baseUrl: () => receiver?.url ?? null,
    prune: (beforeMs) => store.prune(beforeMs),
    urlOf,
    withUrl: (inbox) => ({ ...inbox, url: urlOf(inbox.id), forwardUrl: liveForward.get(inbox.id) ?? null }),
    resetCounters: (id) => receiver?.resetCounters(id),
    forward,
    forwardOf: (requestId) => forwards.get(requestId) ?? null,
    setLiveForward: (inboxId, url) => {
      if (url) liveForward.set(inboxId, url);
      else liveForward.delete(inboxId);
    },
    reverify: (inboxId) => {
      const using = lookup(inboxId)?.verifyWith;
      if (!using) return 0;
      // Judged as at arrival: a request that was valid when it came must not fail now for being over 5 minutes old.
      return store.reverify(inboxId, REVERIFY_LIMIT, (r) =>
        verdictOf(using, { headers: r.headers, body: r.body, truncated: r.size > r.body.length }, r.receivedAt),
      );
    },
  };
}
