// Which test file calls which route over REST; together they must cover the whole contract table.
import type { RouteName } from '../../../src/shared';

/** routes-crud.test.ts */
export const CRUD_ROUTES: RouteName[] = [
  'system.health',
  'system.status',
  'endpoints.list',
  'endpoints.create',
  'endpoints.get',
  'endpoints.update',
  'endpoints.delete',
  'endpoints.enable',
  'endpoints.disable',
  'endpoints.rotateSecret',
  'endpoints.secret',
  'endpoints.stats',
  'eventTypes.list',
  'eventTypes.create',
  'eventTypes.update',
  'eventTypes.delete',
  'eventTypes.validate',
  'eventTypes.import',
  'profiles.list',
  'settings.get',
  'settings.update',
  'settings.notificationSecret',
  'settings.rotateNotificationSecret',
  'inboxes.list',
  'inboxes.create',
  'inboxes.get',
  'inboxes.update',
  'inboxes.delete',
  'inboxes.requests',
  'inboxes.clear',
  'inboxes.forward',
  'inboxes.export',
];

/** routes-deliveries.test.ts */
export const DELIVERY_ROUTES: RouteName[] = [
  'events.create',
  'events.preview',
  'events.list',
  'events.get',
  'deliveries.list',
  'deliveries.count',
  'deliveries.get',
  'deliveries.signNow',
  'deliveries.retry',
  'deliveries.cancel',
  'deliveries.retryMatching',
  'webhooks.test',
];
