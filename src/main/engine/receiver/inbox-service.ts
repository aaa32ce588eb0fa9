// The engine's side of the built-in receiver: runs startReceiver in `/in/<inboxId>` mode, resolves each request's
// script and verifying secrets (so edits apply to the next request), stores what it captured and publishes
// `inbox.request`. It also forwards captured requests to a local server (one, several, or live as they arrive) and
// re-verifies an inbox's requests when it is linked to an endpoint.
// Storage comes as ports (InboxStorePort, InboxEndpoints, CreateLinked): SQLite answers synchronously and keeps its
// order of effects; PostgreSQL answers with promises. The receiver's per-request lookup reads an in-memory map of
// inboxes (id -> endpoint link and script), filled by load(), kept by every write made through this service and by
// refresh(id?) for another process's writes; an id the map does not know is read from the store (and remembered).
import Agent from 'undici/lib/dispatcher/agent.js';
import type { ForwardResult, Inbox } from '../../../shared';
import type { EngineContext } from '../context';
import type { InboxSettings, InboxStorePort, InboxTarget } from '../store/inbox-ports';
import type { EngineOptions } from '../types';
import { type Awaitable, andThen, isPromise } from './awaitable';
import { forwardCaptured } from './forward';
import type { PortMemory } from './inbox-address';
import { type InboxEndpoints, sqliteInboxEndpoints } from './inbox-endpoints';
import { type CreateLinked, type LinkedInbox, type LinkedInboxInput, linkInTransaction } from './inbox-link';
import { InboxMap } from './inbox-map';
import { createInboxStore, type StoredInbox, sqlitePortMemory } from './inbox-store';
import { type ReceivedRequest, type Receiver, type ReceiverTarget, startReceiver } from './index';
import { reachesReceiver } from './self-address';
import { verdictOf } from './verdict';

/** Forward answers are kept in memory for the engine's lifetime, the newest this many (no migration needed). */
const FORWARDS_KEPT = 2000;
/** Linking re-verifies at most this many of the newest requests (retention keeps inboxes far smaller). */
const REVERIFY_LIMIT = 10_000;

/** What the service uses of the engine's context (no database handle: storage comes as ports). */
export type InboxServiceContext = Pick<EngineContext, 'clock' | 'log' | 'emit'>;

/** The storage an inbox service runs on. */
export interface InboxServicePorts {
  store: InboxStorePort;
  endpoints: InboxEndpoints;
  /** inboxes.create's inbox + endpoint, atomically (linkInTransaction on SQLite, linkCompensating on PostgreSQL) */
  createLinked: CreateLinked;
  /**
   * tells other processes an inbox was written (created, changed, deleted), after the write: PostgreSQL NOTIFYs
   * INBOX_CHANNEL, whose listeners call refresh(id). None on SQLite (one process).
   */
  announce?: (inboxId: string) => Awaitable<void>;
  /** the receiver's last port (see inbox-address.ts); without it, a receiver told no port takes a free one */
  portMemory?: PortMemory;
  /** did a write fail because the store was out of reach (PostgreSQL)? The receiver then answers 503 */
  unreachable?: (err: unknown) => boolean;
}

/** SQLite's ports on the engine's database and EndpointStore. */
export function sqliteInboxPorts(ctx: Pick<EngineContext, 'db' | 'endpoints'>): InboxServicePorts {
  const store = createInboxStore(ctx.db);
  return {
    store,
    endpoints: sqliteInboxEndpoints(ctx.endpoints),
    createLinked: linkInTransaction(ctx.db, store, ctx.endpoints),
    portMemory: sqlitePortMemory(ctx.db),
  };
}

export interface InboxService {
  /** fills the inboxes map from the store; start() calls it */
  load(): Promise<void>;
  /** reads one inbox (every inbox without id) again: another process wrote it */
  refresh(id?: string): Promise<void>;
  /** loads the map and starts the receiver (no receiver when disabled by options or already running) */
  start(): Promise<void>;
  /** stops the receiver: closes every socket, hung requests included */
  stop(): Promise<void>;
  /** e.g. http://127.0.0.1:43123 while running, else null */
  baseUrl(): string | null;
  /**
   * Whether inbox URLs should hold this receiver's address: it listens on the port given, or on the one remembered
   * (or there was none). False while another process holds the remembered port (likely this database's other engine,
   * serving the same inboxes there): their URLs then stay as they are.
   */
  ownsAddress(): boolean;
  /** deletes captured requests received before this time (unix ms); retention calls it */
  prune(beforeMs: number): Awaitable<number>;
  /** the inbox's receiving URL: `<baseUrl>/in/<id>` (a bare path while the receiver is stopped) */
  urlOf(inboxId: string): string;
  /** adds the URL to a stored inbox */
  withUrl(inbox: StoredInbox): Inbox;
  /** throws not_found for an unknown endpoint (so a link never fails on an opaque foreign key error) */
  checkEndpoint(id: string): Awaitable<void>;
  /** a new inbox, with its own endpoint when `endpointFor` is given, atomically */
  createLinked(input: LinkedInboxInput): Awaitable<LinkedInbox>;
  /** changes an inbox's settings */
  update(id: string, settings: InboxSettings): Awaitable<void>;
  /** false when there was none; its requests go with it */
  delete(id: string): Awaitable<boolean>;
  /** forgets an inbox's fail-first counts (its requests were cleared or its script replaced) */
  resetCounters(inboxId: string): void;
  /** sends one captured request to `url` and remembers the answer; null when the request does not exist */
  forward(inboxId: string, requestId: string, url: string): Promise<ForwardResult | null>;
  /** the latest forward answer of a request, while the engine runs */
  forwardOf(requestId: string): ForwardResult | null;
  /** starts (url) or stops (null) forwarding every newly captured request of an inbox */
  setLiveForward(inboxId: string, url: string | null): void;
  /** re-judges an inbox's captured requests with its linked endpoint's secrets; returns how many */
  reverify(inboxId: string): Awaitable<number>;
  /** reads (list, get, requests...); writes go through the service, which keeps its map */
  readonly store: InboxStorePort;
}

/** SQLite, on the context's database (what createEngine calls). */
export function createInboxService(ctx: EngineContext, opts: EngineOptions['inbox']): InboxService;
/** Any store: `createInboxService(ctx, opts, { store, endpoints, createLinked })`. */
export function createInboxService(
  ctx: InboxServiceContext,
  opts: EngineOptions['inbox'],
  ports: InboxServicePorts,
): InboxService;
export function createInboxService(
  ctx: InboxServiceContext | EngineContext,
  opts: EngineOptions['inbox'],
  ports?: InboxServicePorts,
): InboxService {
  const { store, endpoints, createLinked, announce, portMemory, unreachable } =
    ports ?? sqliteInboxPorts(ctx as EngineContext);
  let receiver: Receiver | null = null;
  let starting: Promise<void> | null = null;
  // Its own Agent: forwarded requests never share sockets with the dispatcher's deliveries.
  const agent = new Agent({ keepAliveTimeout: 4_000 });
  const forwards = new Map<string, ForwardResult>();
  const liveForward = new Map<string, string>();
  const known = new InboxMap();

  const remember = (requestId: string, result: ForwardResult) => {
    forwards.delete(requestId);
    forwards.set(requestId, result);
    if (forwards.size > FORWARDS_KEPT) {
      const oldest = forwards.keys().next().value;
      if (oldest !== undefined) forwards.delete(oldest);
    }
  };

  const forward = async (inboxId: string, requestId: string, url: string): Promise<ForwardResult | null> => {
    const found = await store.request(inboxId, requestId);
    if (!found) return null;
    const { method, headers } = found.request;
    const result = await forwardCaptured({ method, headers, body: found.rawBody }, url, agent, ctx.clock.now());
    remember(requestId, result);
    ctx.emit('inbox.forwarded', { inboxId, requestId, forward: result });
    return result;
  };

  const verifyWithOf = (t: InboxTarget): ReceiverTarget['verifyWith'] =>
    t.endpointId ? endpoints.verifyWith(t.endpointId) : null;

  const lookup = (inboxId: string): Awaitable<ReceiverTarget | null> => {
    const toTarget = (t: InboxTarget | null) =>
      t ? { key: inboxId, script: t.script, verifyWith: verifyWithOf(t) } : null;
    const hit = known.get(inboxId);
    if (hit) return toTarget(hit);
    // not in the map: created by another process since load(), or unknown (a 404)
    const since = known.version();
    return andThen(store.target(inboxId), (t) => {
      if (t) known.setIfUnchanged(inboxId, t, since);
      return toTarget(t);
    });
  };

  const onRequest = (r: ReceivedRequest): Awaitable<void> => {
    const inboxId = r.targetKey;
    const stored = (request: Awaited<ReturnType<InboxStorePort['addRequest']>>) => {
      ctx.emit('inbox.request', { inboxId, request });
      const liveUrl = liveForward.get(inboxId);
      // refused when set; checked again here, since the receiver's port can have moved onto it since (a restart)
      if (liveUrl && receiver && reachesReceiver(liveUrl, receiver.url)) {
        liveForward.delete(inboxId);
        ctx.log.warn(
          'live forwarding stopped: its URL is this inbox receiver, which would capture and forward again without end',
          {
            inboxId,
            url: liveUrl,
          },
        );
      } else if (liveUrl) {
        // after the capture is stored and announced; forward() never rejects (a failure is its result)
        void forward(inboxId, request.id, liveUrl);
      }
    };
    const failed = (err: unknown) => {
      // the store is out of reach (PostgreSQL): nothing is captured, so the sender is told to try again (a 503)
      if (unreachable?.(err)) throw err;
      // e.g. the inbox was deleted between lookup and insert, or the disk is full: the answer still goes out
      ctx.log.warn('inbox request not stored', { inboxId, error: err instanceof Error ? err.message : String(err) });
    };
    try {
      const added = store.addRequest(inboxId, r);
      if (isPromise(added)) return added.then(stored, failed);
      stored(added);
    } catch (err) {
      failed(err);
    }
  };

  /** after a write through the service: the map, then other processes; a failed NOTIFY does not fail the write */
  const written = (id: string, target: InboxTarget | null): Awaitable<void> => {
    known.set(id, target);
    try {
      const told = announce?.(id);
      if (isPromise(told)) return told.catch((err) => notAnnounced(id, err));
    } catch (err) {
      notAnnounced(id, err);
    }
  };
  const notAnnounced = (inboxId: string, err: unknown) => {
    ctx.log.warn('inbox write not announced', { inboxId, error: err instanceof Error ? err.message : String(err) });
  };

  const urlOf = (id: string) => `${receiver?.url ?? ''}/in/${id}`;

  let owns = false;
  const rememberPort = async (port: number) => {
    try {
      await portMemory?.set(port);
    } catch (err) {
      ctx.log.warn("could not remember the inbox receiver's port", { error: String(err) });
    }
  };
  /**
   * On the port given; else on the one this database's receiver used last, or on a free one while another process
   * holds that (then neither remembered nor owned: see ownsAddress).
   */
  const listen = async (told: number | undefined): Promise<Receiver> => {
    const at = (port: number) =>
      startReceiver({
        host: opts ? (opts.host ?? '127.0.0.1') : '127.0.0.1',
        port,
        routing: { kind: 'inboxes', lookup },
        onRequest,
        now: () => ctx.clock.now(),
        onError: (err) => {
          const unavailable = unreachable?.(err) ?? false;
          ctx.log.warn('inbox request not captured', {
            error: String(err),
            answered: unavailable ? 503 : 'as scripted',
          });
          return { unavailable };
        },
      });
    const last = told === undefined ? ((await portMemory?.get()) ?? null) : null;
    if (last === null) {
      owns = true;
      const r = await at(told ?? 0);
      await rememberPort(r.port);
      return r;
    }
    try {
      const r = await at(last);
      owns = true;
      return r;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EADDRINUSE' && code !== 'EACCES') throw err;
      ctx.log.warn(
        "the inbox receiver's port is held by another process: this one listens on another, and inbox URLs keep " +
          'pointing at the held port (stop that process, or give --inbox-port)',
        { port: last, code },
      );
      return at(0);
    }
  };

  const load = async () => {
    const since = known.version();
    known.replaceAll(await store.list(), since);
  };

  return {
    store,
    load,
    refresh: async (id) => {
      if (id === undefined) return load();
      const since = known.version();
      known.setIfUnchanged(id, await store.target(id), since);
    },
    start: async () => {
      await load();
      if (opts === false || receiver) return;
      starting ??= listen(opts?.port).then((r) => {
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
    ownsAddress: () => receiver !== null && owns,
    prune: (beforeMs) => store.prune(beforeMs),
    urlOf,
    withUrl: (inbox) => ({ ...inbox, url: urlOf(inbox.id), forwardUrl: liveForward.get(inbox.id) ?? null }),
    checkEndpoint: (id) => endpoints.check(id),
    createLinked: (input) =>
      andThen(createLinked(input), (made) =>
        andThen(written(made.id, { endpointId: made.endpointId, script: input.settings.script }), () => made),
      ),
    update: (id, settings) =>
      andThen(store.update(id, settings), () =>
        written(id, { endpointId: settings.endpointId, script: settings.script }),
      ),
    delete: (id) => andThen(store.delete(id), (deleted) => andThen(written(id, null), () => deleted)),
    resetCounters: (id) => receiver?.resetCounters(id),
    forward,
    forwardOf: (requestId) => forwards.get(requestId) ?? null,
    setLiveForward: (inboxId, url) => {
      if (url) liveForward.set(inboxId, url);
      else liveForward.delete(inboxId);
    },
    reverify: (inboxId) =>
      andThen(store.target(inboxId), (t) => {
        const using = t && verifyWithOf(t);
        if (!using) return 0;
        // Judged as at arrival: a request that was valid when it came must not fail now for being over 5 minutes old.
        return store.reverify(inboxId, REVERIFY_LIMIT, (r) =>
          verdictOf(using, { headers: r.headers, body: r.body, truncated: r.size > r.body.length }, r.receivedAt),
        );
      }),
  };
}
