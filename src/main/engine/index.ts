// The engine: a durable webhook dispatcher on one SQLite file, with every contract route as a handler.
// Electron-free: the Electron shell, `hookbench serve`, the CLI and tests each call createEngine with their pieces.

import { pathToFileURL } from 'node:url';
import { createHandlers } from './api';
import { buildContext } from './build-context';
import { AttemptStore } from './db/attempts';
import { Checkpointer } from './db/checkpointer';
import { openDatabase } from './db/open';
import { SearchIndex } from './db/search-index';
import { SqliteDispatchStore } from './delivery/dispatch-store';
import { Dispatcher } from './delivery/dispatcher';
import { LeaseBook } from './delivery/lease';
import { LeaseRecovery } from './delivery/lease-recovery';
import { Outcomes } from './delivery/outcomes';
import { DeliveryQueue } from './delivery/queue';
import { DeliveryStates } from './delivery/state';
import { EndpointControl } from './endpoints/control';
import { EndpointDisabler } from './endpoints/disable';
import { OperationalEvents } from './endpoints/operational';
import { EventIntake } from './events/intake';
import { EventService } from './events/service';
import { startHttp } from './http/worker-client';
import { followReceiver } from './receiver/inbox-address';
import { createInboxService } from './receiver/inbox-service';
import { Retention } from './retention';
import { sealSecretsAtRest } from './secrets/seal-at-rest';
import type { Engine, EngineOptions } from './types';

export type { EngineContext } from './context';
export * from './types';

const DEFAULT_PER_ENDPOINT_CONCURRENCY = 8;
const DEFAULT_LEASE_GRACE_MS = 10_000;
const LEASE_RECOVERY_EVERY_MS = 15_000;
const RETENTION_EVERY_MS = 3_600_000;
const CLAIM_BATCH = 128;

export async function createEngine(opts: EngineOptions): Promise<Engine> {
  if (opts.databaseUrl) {
    // loaded only for PostgreSQL: the SQLite default path never loads pg
    const { createPgEngine } = await import('./store/pg/engine');
    return createPgEngine({ ...opts, databaseUrl: opts.databaseUrl });
  }
  const db = openDatabase(opts.dbPath, { nativeBinding: opts.nativeBinding, log: opts.log });
  const { ctx, bus, store, settingsStore } = buildContext(db, opts);
  sealSecretsAtRest(db, ctx.secrets, ctx.log);
  const checkpointer = new Checkpointer(db, opts.dbPath, ctx.log, { nativeBinding: opts.nativeBinding });
  const startedAt = ctx.clock.now();
  let running = true;

  // requests from a worker thread when the build has one (not when running from TypeScript sources)
  const workerFile = opts.httpWorkerFile ? pathToFileURL(opts.httpWorkerFile) : undefined;
  const { http, ready: httpReady } = startHttp(ctx.clock, ctx.log, opts.httpWorker === false ? null : workerFile);
  http.setAllowLinkLocal(ctx.settings().allowLinkLocal);
  const leaseGraceMs = opts.leaseGraceMs ?? DEFAULT_LEASE_GRACE_MS;
  // Built in dependency order: every part receives the parts it calls, none is wired up afterwards.
  const states = new DeliveryStates(db);
  const queue = new DeliveryQueue(db);
  const leases = new LeaseBook(ctx.clock, leaseGraceMs);
  const events = new EventService(ctx, store, states);
  const operational = new OperationalEvents(ctx, events);
  const disabler = new EndpointDisabler(ctx, store, states, operational);
  const outcomes = new Outcomes(ctx, store, states, new AttemptStore(db), disabler, operational);
  const dispatcher = new Dispatcher(
    ctx,
    {
      storage: new SqliteDispatchStore(db, { states, queue, outcomes, events }),
      store,
      http,
      leases,
      recovery: (onRecovered) => new LeaseRecovery(ctx, states, queue, leases, LEASE_RECOVERY_EVERY_MS, onRecovered),
    },
    {
      perEndpointConcurrency: opts.perEndpointConcurrency ?? DEFAULT_PER_ENDPOINT_CONCURRENCY,
      batchSize: CLAIM_BATCH,
      leaseGraceMs,
    },
  );
  const intake = new EventIntake(events, dispatcher.batch);
  const control = new EndpointControl(ctx, store, states, disabler, dispatcher);
  control.syncNotificationUrl(ctx.settings().notificationUrl ?? null);
  const inbox = createInboxService(ctx, opts.inbox);
  const search = new SearchIndex(db, ctx.log, () => dispatcher.busy);
  const handlers = createHandlers(ctx, {
    store,
    control,
    dispatcher,
    events,
    intake,
    states,
    leases,
    settingsStore,
    http,
    inbox,
    search,
    startedAt,
    isRunning: () => running,
  });
  const retention = new Retention(ctx, (before) => inbox.prune(before), RETENTION_EVERY_MS);

  try {
    await Promise.all([inbox.start(), httpReady]);
  } catch (err) {
    await http.close();
    db.close();
    throw err;
  }
  await followReceiver(inbox, store, ctx);
  checkpointer.start();
  search.start();
  // an engine that sends nothing (a CLI command's: import, trigger, api on a database) prunes nothing either, as on
  // PostgreSQL: `import --dry-run` changes nothing; serve's engine keeps the history to retentionDays
  if (opts.dispatch !== false) {
    dispatcher.start();
    retention.start();
  }
  ctx.log.info('engine started', { dbPath: opts.dbPath, inbox: inbox.baseUrl() });

  let stopping: Promise<void> | null = null;
  const stopOnce = async () => {
    running = false;
    retention.stop();
    search.stop();
    await dispatcher.stop();
    await inbox.stop();
    await http.close();
    await checkpointer.stop();
    db.close();
    ctx.log.info('engine stopped');
  };

  return {
    handlers,
    on: (topic, fn) => bus.on(topic, fn),
    onAny: (fn) => bus.onAny(fn),
    inboxBaseUrl: () => inbox.baseUrl(),
    stop: () => {
      stopping ??= stopOnce();
      return stopping;
    },
  };
}
