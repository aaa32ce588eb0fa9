// The engine: a durable webhook dispatcher on one SQLite file, with every contract route as a handler.
// Electron-free: the Electron shell, `hookbench serve`, the CLI and tests each call createEngine with their pieces.

import { createHandlers } from './api';
import { buildContext } from './build-context';
import { Checkpointer } from './db/checkpointer';
import { openDatabase } from './db/open';
import { Dispatcher } from './dispatcher';
import { EndpointControl } from './endpoint-control';
import { EventIntake } from './event-intake';
import { EventService } from './event-service';
import { HttpClient } from './http-client';
import { WorkerHttpClient } from './http-worker-client';
import { Outcomes } from './outcomes';
import { DeliveryQueue } from './queue';
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
  const db = openDatabase(opts.dbPath, { nativeBinding: opts.nativeBinding, log: opts.log });
  const { ctx, bus, store, settingsStore } = buildContext(db, opts);
  sealSecretsAtRest(db, ctx.secrets, ctx.log);
  const checkpointer = new Checkpointer(db, opts.dbPath, ctx.log, { nativeBinding: opts.nativeBinding });
  const startedAt = ctx.clock.now();
  let running = true;

  // requests from a worker thread when the build has one (not when running from TypeScript sources)
  const http = (opts.httpWorker !== false && WorkerHttpClient.start(ctx.clock, ctx.log)) || new HttpClient(ctx.clock);
  const queue = new DeliveryQueue(db, opts.leaseGraceMs ?? DEFAULT_LEASE_GRACE_MS);
  // The parts wake each other; the dispatcher is created last, so they reach it through this closure.
  let dispatcher: Dispatcher | null = null;
  const wake = () => dispatcher?.wake();
  const control = new EndpointControl(ctx, store, queue, settingsStore, http, wake);
  const outcomes = new Outcomes(ctx, store, control, (buffered) => dispatcher?.outcomeAdded(buffered));
  const events = new EventService(ctx, store, wake);
  const intake = new EventIntake(events);
  dispatcher = new Dispatcher(ctx, queue, store, http, outcomes, intake, {
    perEndpointConcurrency: opts.perEndpointConcurrency ?? DEFAULT_PER_ENDPOINT_CONCURRENCY,
    batchSize: CLAIM_BATCH,
    leaseRecoveryMs: LEASE_RECOVERY_EVERY_MS,
  });
  const inbox = createInboxService(ctx, opts.inbox);
  const handlers = createHandlers(ctx, {
    store,
    control,
    dispatcher,
    events,
    intake,
    outcomes,
    settingsStore,
    http,
    inbox,
    startedAt,
    isRunning: () => running,
  });
  const retention = new Retention(ctx, (before) => inbox.prune(before), RETENTION_EVERY_MS);

  try {
    await inbox.start();
  } catch (err) {
    await http.close();
    db.close();
    throw err;
  }
  checkpointer.start();
  if (opts.dispatch !== false) dispatcher.start();
  retention.start();
  ctx.log.info('engine started', { dbPath: opts.dbPath, inbox: inbox.baseUrl() });

  let stopping: Promise<void> | null = null;
  const stopOnce = async () => {
    running = false;
    // events already accepted are written before anything stops
    intake.flush();
    retention.stop();
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
