// Every contract route's handler, composed from one module per route group. Transports call nothing else.
import type { Handlers } from '../../../shared';
import { EventTypeSchemas } from '../catalog/event-type-schemas';
import type { EngineContext } from '../context';
import { createEndpointStats } from '../db/endpoint-stats';
import type { EndpointStore } from '../db/endpoints';
import { EventTypeStore } from '../db/event-types';
import type { SearchIndex } from '../db/search-index';
import { SqliteStatus } from '../db/status';
import type { Dispatcher } from '../delivery/dispatcher';
import type { LeaseBook } from '../delivery/lease';
import type { DeliveryStates } from '../delivery/state';
import type { EndpointControl } from '../endpoints/control';
import type { EventIntake } from '../events/intake';
import type { EventService } from '../events/service';
import type { HttpPoster } from '../http/client';
import type { InboxService } from '../receiver/inbox-service';
import { settingsApplier } from '../settings-logic';
import type { SettingsStore } from '../settings-store';
import { deliveryHandlers, sqliteDeliveryPorts } from './deliveries';
import { endpointHandlers } from './endpoints';
import { eventTypeHandlers } from './event-types';
import { eventHandlers, sqliteEventPorts } from './events';
import { inboxHandlers } from './inboxes';
import { profilesHandlers } from './profiles';
import { settingsHandlers } from './settings';
import { systemHandlers } from './system';
import { sqliteWebhookPorts, webhookHandlers } from './webhooks';

/** The running parts handlers act on, besides the context. */
export interface HandlerParts {
  store: EndpointStore;
  control: EndpointControl;
  dispatcher: Dispatcher;
  events: EventService;
  /** events.create: joins the dispatcher's commit batch (see events/intake.ts) */
  intake: EventIntake;
  /** the delivery state machine (manual retry, cancel; webhooks.test's one-shot delivery) */
  states: DeliveryStates;
  leases: LeaseBook;
  settingsStore: SettingsStore;
  http: HttpPoster;
  inbox: InboxService;
  /** the payload index, caught up before a search (db/search-index.ts) */
  search: SearchIndex;
  /** unix ms the engine started (system.status) */
  startedAt: number;
  /** false once stop() began */
  isRunning: () => boolean;
}

/** SQLite's handlers: the handler modules on SQLite's ports (store/pg/engine.ts composes them on PostgreSQL's). */
export function createHandlers(ctx: EngineContext, parts: HandlerParts): Handlers {
  const eventTypes = new EventTypeStore(ctx.db);
  const schemas = new EventTypeSchemas(eventTypes);
  return {
    ...systemHandlers(ctx, {
      status: new SqliteStatus(ctx.db),
      inboxBaseUrl: () => parts.inbox.baseUrl(),
      startedAt: parts.startedAt,
      isRunning: parts.isRunning,
    }),
    ...endpointHandlers(ctx, { store: parts.store, control: parts.control, stats: createEndpointStats(ctx.db) }),
    ...eventHandlers(ctx, sqliteEventPorts(ctx.db, parts, schemas)),
    ...deliveryHandlers(ctx, sqliteDeliveryPorts(ctx.db, parts)),
    ...webhookHandlers(ctx, sqliteWebhookPorts(ctx, parts)),
    ...eventTypeHandlers(ctx, eventTypes, schemas),
    ...settingsHandlers(ctx, {
      settingsStore: parts.settingsStore,
      control: parts.control,
      applySettings: settingsApplier(parts),
    }),
    ...profilesHandlers(),
    ...inboxHandlers(ctx, parts.inbox),
  };
}
