// The delivery engine's core on PostgreSQL, for one of many processes sharing one database: settings and endpoints
// cached in memory (refreshed when another process changes them), the engine's own Dispatcher on PgDispatchStore
// (claims bounded across processes), lease recovery and retention one process per round, and a topic bus fed by
// this process and, through LISTEN/NOTIFY, by every other one. Events fire through the same commit batch as on
// SQLite: `fire` resolves once the event and its deliveries are committed.
import { pathToFileURL } from 'node:url';
import type pg from 'pg';
import type { z } from 'zod';
import { type Event, EventInput, type TopicName, type TopicPayload } from '../../../../shared';
import { TopicBus } from '../../bus';
import { Dispatcher } from '../../delivery/dispatcher';
import { LeaseBook } from '../../delivery/lease';
import { type DeliveryState, stateTopic } from '../../delivery/queue';
import { announceDisabled } from '../../endpoints/disable';
import { cachedPreviewTargets } from '../../events/preview';
import { acceptEvent, publishCreated } from '../../events/service';
import type { HttpPoster } from '../../http/client';
import { startHttp } from '../../http/worker-client';
import { redactingLogger } from '../../redacting-logger';
import { settingsApplier } from '../../settings-logic';
import {
  type Clock,
  type Logger,
  type Notifier,
  plainSecretBox,
  type SecretBox,
  silentLogger,
  systemClock,
} from '../../types';
import { PgDispatchStore } from './dispatch-store';
import { PgEndpointStore } from './endpoints';
import { PgLeaseRecovery } from './lease-recovery';
import { migratePg } from './migrate';
import type { PgPassResult } from './pass';
import { openPgPool, redactPgUrl } from './pool';
import { PgRetention } from './retention';
import { PgSettingsStore } from './settings';
import { PgTopicRelay, type RelayedTopic } from './topic-relay';

export interface PgCoreOptions {
  /** postgres://USER[:PASSWORD]@HOST:PORT/DB */
  databaseUrl: string;
  clock?: Clock;
  log?: Logger;
  secrets?: SecretBox;
  /** start the dispatcher (default true) */
  dispatch?: boolean;
  /** the built HTTP worker's file; without one, requests go from this thread */
  httpWorkerFile?: string;
  /** live leases per endpoint across every process (default 8) */
  perEndpointConcurrency?: number;
  /** a lease is the endpoint's timeout plus this (default 10 s) */
  leaseGraceMs?: number;
  /** connections in this process's pool (default 10) */
  poolSize?: number;
  /** change notices of other stores (catalog, inbox), heard on the relay's listening session */
  channels?: Record<string, (payload: string) => void>;
  /** the user-facing notification of an auto-disable (serve prints it; the desktop app shows it) */
  notify?: Notifier;
  /** retention's prune of captured inbox requests older than `beforeMs` */
  pruneInbox?: (beforeMs: number) => void | Promise<void>;
}

export interface PgCore {
  readonly pool: pg.Pool;
  readonly endpoints: PgEndpointStore;
  readonly settings: PgSettingsStore;
  /** the handlers' way to the queue: wake, setConcurrency, flushNow, the commit batch */
  readonly dispatcher: Dispatcher;
  readonly leases: LeaseBook;
  readonly http: HttpPoster;
  readonly clock: Clock;
  /** the process's log, secrets redacted */
  readonly log: Logger;
  /** fires an event (input as events.create takes it); resolves once it and its deliveries are committed */
  fire(input: z.input<typeof EventInput>): Promise<Event>;
  /** a topic of this process (an endpoint written, settings changed): its listeners now, the other processes soon */
  emit<T extends TopicName>(topic: T, payload: TopicPayload<T>): void;
  /** this process's topics and, relayed, every other process's */
  on<T extends TopicName>(topic: T, fn: (payload: TopicPayload<T>) => void): () => void;
  onAny(fn: (topic: TopicName, payload: unknown) => void): () => void;
  /** graceful: no new claims, in-flight attempts recorded, pool closed */
  stop(): Promise<void>;
}

const LEASE_RECOVERY_EVERY_MS = 15_000;
const RETENTION_EVERY_MS = 3_600_000;
/** topics relayed to the other processes at most this late (they are gathered into few notifications) */
const RELAY_FLUSH_MS = 20;

export async function startPgCore(opts: PgCoreOptions): Promise<PgCore> {
  const clock = opts.clock ?? systemClock;
  const log = redactingLogger(opts.log ?? silentLogger);
  const box = opts.secrets ?? plainSecretBox;
  // (an idle client that loses its connection is logged, never the end of the process)
  const pool = openPgPool(opts.databaseUrl, { max: opts.poolSize ?? 10, log });
  try {
    await migratePg(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  const bus = new TopicBus(log);
  const relay = new PgTopicRelay(pool, { log, channels: opts.channels });
  const outbox: Array<{ topic: TopicName; payload: unknown }> = [];
  let relayTimer: NodeJS.Timeout | null = null;
  const flushRelay = () => {
    relayTimer = null;
    const items = outbox.splice(0);
    if (items.length > 0) {
      relay.publishMany(items).catch((err: Error) => log.warn('relaying topics failed', { error: err.message }));
    }
  };
  /** a topic of this process: to its own listeners now, to the other processes shortly */
  const emit = <T extends TopicName>(topic: T, payload: TopicPayload<T>) => {
    bus.emit(topic, payload);
    outbox.push({ topic, payload });
    relayTimer ??= setTimeout(flushRelay, RELAY_FLUSH_MS);
  };

  const settings = new PgSettingsStore(pool, box);
  await settings.load();
  const endpoints = new PgEndpointStore(pool, clock, box, () => settings.operationalSecretNow(), log);
  await endpoints.load();
  // another process's topics: caches follow its writes, listeners hear of its deliveries
  await relay.start((t: RelayedTopic) => {
    if (t.topic === 'endpoint.updated' || t.topic === 'endpoint.disabled') {
      const id = (t.payload as { id?: string } | null)?.id;
      void endpoints.refresh(id);
    }
    if (t.topic === 'settings.updated') void settings.refresh();
    if (t.topic === 'stream.gap') {
      void endpoints.refresh();
      void settings.refresh();
    }
    if (t.payload !== null) bus.emit(t.topic, t.payload as never);
  });

  const perEndpoint = opts.perEndpointConcurrency ?? 8;
  const leases = new LeaseBook(clock, opts.leaseGraceMs ?? 10_000);
  const workerFile = opts.httpWorkerFile ? pathToFileURL(opts.httpWorkerFile) : undefined;
  const { http, ready: httpReady } = startHttp(clock, log, workerFile ?? null);
  http.setAllowLinkLocal(settings.get().allowLinkLocal);
  const ctx = { clock, log, emit, notify: opts.notify ?? (() => {}), settings: () => settings.get() };

  const published = (pass: PgPassResult) => {
    for (const s of pass.written.changed) emit('delivery.updated', stateTopic(s));
    for (const id of pass.written.touched) emit('endpoint.updated', { id });
    for (const d of pass.written.disabled) {
      void endpoints.refresh(d.endpointId);
      announceDisabled(ctx, { ...d, by: 'auto' });
    }
    if (pass.tries > 1) log.warn('a pass ran again after PostgreSQL rolled it back', { tries: pass.tries });
    if (pass.written.superseded > 0) {
      log.warn('late attempt results kept as superseded', { count: pass.written.superseded });
    }
    for (const r of pass.created) if (!(r instanceof Error)) publishCreated(emit, r);
    for (const n of pass.written.notices) publishCreated(emit, n);
  };
  const storage = new PgDispatchStore(pool, {
    // the same matching and not_found as events.preview's, from the endpoint cache
    targets: (input) => cachedPreviewTargets(endpoints).targets(input.type, input.endpointIds),
    current: () => endpoints.current(),
    settings: () => settings.get(),
    perEndpointConcurrency: perEndpoint,
    publish: published,
  });
  const dispatcher = new Dispatcher(
    ctx,
    {
      storage,
      store: endpoints,
      http,
      leases,
      recovery: (onRecovered: (states: readonly DeliveryState[]) => void) =>
        new PgLeaseRecovery({
          pool,
          clock,
          log,
          heldIds: () => leases.ids(),
          everyMs: LEASE_RECOVERY_EVERY_MS,
          onRecovered,
        }),
    },
    {
      perEndpointConcurrency: perEndpoint,
      batchSize: 128,
      leaseGraceMs: opts.leaseGraceMs ?? 10_000,
      rateLimitedAtClaim: true,
    },
  );
  // settings another process changed reach this one's dispatcher too (the writer's applies them in its handler)
  settings.onReload(settingsApplier({ dispatcher, http }));
  const retention = new PgRetention({
    pool,
    clock,
    log,
    retentionDays: () => settings.get().retentionDays,
    pruneInbox: (before) => opts.pruneInbox?.(before),
    everyMs: RETENTION_EVERY_MS,
  });
  await httpReady;
  if (opts.dispatch !== false) {
    dispatcher.start();
    retention.start();
  }
  log.info('engine core started on PostgreSQL', { db: redactPgUrl(opts.databaseUrl) });

  let stopping: Promise<void> | null = null;
  return {
    pool,
    endpoints,
    settings,
    dispatcher,
    leases,
    http,
    clock,
    log,
    fire(input) {
      let accepted: ReturnType<typeof acceptEvent>;
      try {
        accepted = acceptEvent(EventInput.parse(input), clock.now());
      } catch (err) {
        return Promise.reject(err);
      }
      return dispatcher.batch.fire(accepted);
    },
    emit,
    on: (topic, fn) => bus.on(topic, fn),
    onAny: (fn) => bus.onAny(fn),
    stop() {
      stopping ??= (async () => {
        await dispatcher.stop();
        await retention.stop();
        if (relayTimer) clearTimeout(relayTimer);
        flushRelay();
        await relay.stop();
        await http.close();
        await endpoints.settled();
        await pool.end();
        log.info('engine core stopped');
      })();
      return stopping;
    },
  };
}
