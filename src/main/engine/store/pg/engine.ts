// The engine on PostgreSQL: `createEngine({ databaseUrl })`. The same handler modules as SQLite's engine
// (api/*.ts), fed with PostgreSQL's ports, over the PostgreSQL core (engine-core.ts: the dispatcher on a shared
// queue, caches refreshed from other processes, topics relayed over LISTEN/NOTIFY). Many processes may run it on
// one database; each answers the whole API from what they all wrote.
import type { Handlers } from '../../../../shared';
import { deliveryHandlers } from '../../api/deliveries';
import { endpointHandlers } from '../../api/endpoints';
import { eventTypeHandlers } from '../../api/event-types';
import { eventHandlers } from '../../api/events';
import type { HandlerContext } from '../../api/handler-context';
import { inboxHandlers } from '../../api/inboxes';
import { profilesHandlers } from '../../api/profiles';
import { settingsHandlers } from '../../api/settings';
import { systemHandlers } from '../../api/system';
import { webhookHandlers } from '../../api/webhooks';
import { EventTypeSchemas } from '../../catalog/event-type-schemas';
import { cachedPreviewTargets, previewEvent } from '../../events/preview';
import { followReceiver } from '../../receiver/inbox-address';
import { createInboxService } from '../../receiver/inbox-service';
import { settingsApplier } from '../../settings-logic';
import type { Engine, EngineOptions } from '../../types';
import { PgDeliveryReads } from './delivery-reads';
import { PgEndpointControl } from './endpoint-control';
import { PgEndpointStats } from './endpoint-stats';
import { startPgCore } from './engine-core';
import { PgEventReads } from './event-reads';
import { CATALOG_CHANNEL, PgEventTypeStore } from './event-types';
import { INBOX_CHANNEL, pgInboxPorts } from './inbox-service-ports';
import { answeringUnavailable } from './pool';
import { PgStatus } from './status';
import { PgWebhookTest } from './webhook-test';

export async function createPgEngine(opts: EngineOptions & { databaseUrl: string }): Promise<Engine> {
  // change notices of the catalog and the inboxes, from other processes: the stores below follow them
  const notices = {
    catalog: (_name: string) => {},
    inbox: (_id: string) => {},
    prune: (_before: number): void | Promise<void> => {},
  };
  const core = await startPgCore({
    databaseUrl: opts.databaseUrl,
    clock: opts.clock,
    log: opts.log,
    notify: opts.notify,
    secrets: opts.secrets,
    dispatch: opts.dispatch,
    httpWorkerFile: opts.httpWorkerFile,
    perEndpointConcurrency: opts.perEndpointConcurrency,
    leaseGraceMs: opts.leaseGraceMs,
    pruneInbox: (before) => notices.prune(before),
    channels: {
      [CATALOG_CHANNEL]: (name) => notices.catalog(name),
      [INBOX_CHANNEL]: (id) => notices.inbox(id),
    },
  });
  const { pool, endpoints, dispatcher } = core;
  const clock = core.clock;
  const ctx: HandlerContext = { clock, log: core.log, emit: core.emit, settings: () => core.settings.get() };
  const startedAt = clock.now();
  let running = true;

  try {
    const eventTypes = new PgEventTypeStore(pool);
    await eventTypes.load();
    notices.catalog = (name) => void eventTypes.refresh(name || undefined);
    const schemas = new EventTypeSchemas(eventTypes);
    const inbox = createInboxService(
      { clock, log: core.log, emit: core.emit },
      opts.inbox,
      pgInboxPorts(pool, endpoints, clock),
    );
    notices.inbox = (id) => void inbox.refresh(id || undefined);
    notices.prune = async (before) => {
      await inbox.prune(before);
    };
    const control = new PgEndpointControl({
      pool,
      store: endpoints,
      clock,
      emit: core.emit,
      wake: (id) => dispatcher.wake(id),
      maxAttempts: () => core.settings.get().retry.maxAttempts,
    });
    // the system endpoint follows settings.notificationUrl, as on SQLite
    await control.syncNotificationUrl(core.settings.get().notificationUrl ?? null);
    const handlers: Handlers = answeringUnavailable({
      ...systemHandlers(ctx, {
        status: new PgStatus(pool),
        inboxBaseUrl: () => inbox.baseUrl(),
        startedAt,
        isRunning: () => running,
      }),
      ...endpointHandlers(ctx, { store: endpoints, control, stats: new PgEndpointStats(pool) }),
      ...eventHandlers(ctx, {
        reads: new PgEventReads(pool),
        fire: (input) => core.fire(input),
        // as the fan-out would match it now, another process's endpoint changes of a moment ago included
        preview: async (input) => {
          await endpoints.current();
          return previewEvent(input, clock.now(), cachedPreviewTargets(endpoints));
        },
        schemas,
      }),
      ...deliveryHandlers(ctx, {
        reads: new PgDeliveryReads(pool),
        targets: endpoints,
        wake: (id) => dispatcher.wake(id),
      }),
      ...webhookHandlers(ctx, {
        test: new PgWebhookTest(pool, { ctx, http: core.http, leases: core.leases, dispatcher, targets: endpoints }),
        http: core.http,
      }),
      ...eventTypeHandlers(ctx, eventTypes, schemas),
      ...settingsHandlers(ctx, {
        settingsStore: core.settings,
        control,
        applySettings: settingsApplier({ dispatcher, http: core.http }),
      }),
      ...profilesHandlers(),
      ...inboxHandlers(ctx, inbox),
    });
    await inbox.start();
    await followReceiver(inbox, endpoints, core);
    let stopping: Promise<void> | null = null;
    return {
      handlers,
      on: (topic, fn) => core.on(topic, fn),
      onAny: (fn) => core.onAny(fn),
      inboxBaseUrl: () => inbox.baseUrl(),
      stop: () => {
        stopping ??= (async () => {
          running = false;
          await inbox.stop();
          await core.stop();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await core.stop();
    throw err;
  }
}
