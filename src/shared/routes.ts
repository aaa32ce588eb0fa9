import { z } from 'zod';
import { route } from './route';
import {
  Delivery,
  DeliveryDetail,
  DeliveryList,
  DeliveryListInput,
  Endpoint,
  EndpointCreateInput,
  EndpointDisableInput,
  EndpointListInput,
  EndpointSecretInfo,
  EndpointStatsInput,
  EndpointStatsOutput,
  EndpointUpdateInput,
  EndpointWithSecret,
  EngineStatus,
  Event,
  EventInput,
  EventList,
  EventListInput,
  EventPreview,
  EventType,
  EventTypeCreateInput,
  EventTypeNameParam,
  EventTypeUpdateInput,
  IdParam,
  Inbox,
  InboxCreateInput,
  InboxCreateOutput,
  InboxExportInput,
  InboxExportOutput,
  InboxForwardInput,
  InboxForwardOutput,
  InboxRequestList,
  InboxRequestListInput,
  InboxUpdateInput,
  listOf,
  Ok,
  Profile,
  RetryMatchingInput,
  RetryMatchingOutput,
  RotateSecretInput,
  Settings,
  SettingsPatch,
  WebhookTestInput,
  WebhookTestOutput,
} from './schemas';

const Empty = z.object({}).strict();
const Deleted = z.object({ id: z.string(), deleted: z.literal(true) });

/**
 * The route table. IPC and HTTP both loop over it and dispatch to the engine's handler of the same name;
 * the renderer's client is typed from it. Add a route here, implement its handler, use it in the UI.
 */
export const routes = {
  'system.health': route({
    name: 'system.health',
    summary: 'Liveness; needs no token',
    http: { method: 'GET', path: '/health', auth: false },
    input: Empty,
    output: z.object({ ok: z.literal(true), version: z.string() }),
  }),
  'system.status': route({
    name: 'system.status',
    summary: 'Engine state, queue depth and failing endpoints (the status strip)',
    http: { method: 'GET', path: '/status' },
    input: Empty,
    output: EngineStatus,
  }),

  'endpoints.list': route({
    name: 'endpoints.list',
    summary: 'List endpoints with their recent success rate and latency',
    http: { method: 'GET', path: '/endpoints' },
    input: EndpointListInput,
    output: listOf(Endpoint),
  }),
  'endpoints.create': route({
    name: 'endpoints.create',
    summary: 'Create an endpoint; the response is the only one (with endpoints.secret) that shows its secret',
    http: { method: 'POST', path: '/endpoints', status: 201 },
    input: EndpointCreateInput,
    output: EndpointWithSecret,
  }),
  'endpoints.get': route({
    name: 'endpoints.get',
    summary: 'One endpoint',
    http: { method: 'GET', path: '/endpoints/{id}' },
    input: IdParam,
    output: Endpoint,
  }),
  'endpoints.update': route({
    name: 'endpoints.update',
    summary: 'Change any part of an endpoint',
    http: { method: 'PATCH', path: '/endpoints/{id}' },
    input: EndpointUpdateInput,
    output: Endpoint,
  }),
  'endpoints.delete': route({
    name: 'endpoints.delete',
    summary: 'Delete an endpoint; its waiting deliveries are cancelled, its history is kept',
    http: { method: 'DELETE', path: '/endpoints/{id}' },
    input: IdParam,
    output: Deleted,
  }),
  'endpoints.enable': route({
    name: 'endpoints.enable',
    summary: 'Enable an endpoint and resume its paused deliveries',
    http: { method: 'POST', path: '/endpoints/{id}/enable' },
    input: IdParam,
    output: Endpoint,
  }),
  'endpoints.disable': route({
    name: 'endpoints.disable',
    summary: 'Disable an endpoint; its waiting deliveries are paused, not dropped',
    http: { method: 'POST', path: '/endpoints/{id}/disable' },
    input: EndpointDisableInput,
    output: Endpoint,
  }),
  'endpoints.rotateSecret': route({
    name: 'endpoints.rotateSecret',
    summary: 'New signing secret; the old one keeps signing during the grace period',
    http: { method: 'POST', path: '/endpoints/{id}/rotate-secret' },
    input: RotateSecretInput,
    output: EndpointWithSecret,
  }),
  'endpoints.secret': route({
    name: 'endpoints.secret',
    summary: 'Reveal the signing secret and any still in their grace period',
    http: { method: 'GET', path: '/endpoints/{id}/secret' },
    input: IdParam,
    output: EndpointSecretInfo,
  }),

  'events.create': route({
    name: 'events.create',
    summary: 'Fire an event: one delivery per matching enabled endpoint, queued (honours Idempotency-Key)',
    http: { method: 'POST', path: '/events', status: 201, headers: { 'idempotency-key': 'idempotencyKey' } },
    input: EventInput,
    output: Event,
  }),
  'events.preview': route({
    name: 'events.preview',
    summary: 'The exact requests an event would send to each target, signed, without sending',
    http: { method: 'POST', path: '/events/preview' },
    input: EventInput,
    output: EventPreview,
  }),
  'events.list': route({
    name: 'events.list',
    summary: 'Events, newest first',
    http: { method: 'GET', path: '/events' },
    input: EventListInput,
    output: EventList,
  }),
  'events.get': route({
    name: 'events.get',
    summary: 'One event with its deliveries',
    http: { method: 'GET', path: '/events/{id}' },
    input: IdParam,
    output: Event,
  }),

  'deliveries.list': route({
    name: 'deliveries.list',
    summary: 'Deliveries, newest first; filters and cursor pagination',
    http: { method: 'GET', path: '/deliveries' },
    input: DeliveryListInput,
    output: DeliveryList,
  }),
  'deliveries.get': route({
    name: 'deliveries.get',
    summary: 'One delivery with every attempt, as sent and as answered',
    http: { method: 'GET', path: '/deliveries/{id}' },
    input: IdParam,
    output: DeliveryDetail,
  }),
  'deliveries.retry': route({
    name: 'deliveries.retry',
    summary: 'Attempt a delivery again now (a replay when it had succeeded)',
    http: { method: 'POST', path: '/deliveries/{id}/retry', status: 202 },
    input: IdParam,
    output: Delivery,
  }),
  'deliveries.cancel': route({
    name: 'deliveries.cancel',
    summary: 'Cancel a pending or paused delivery',
    http: { method: 'POST', path: '/deliveries/{id}/cancel' },
    input: IdParam,
    output: Delivery,
  }),
  'deliveries.retryMatching': route({
    name: 'deliveries.retryMatching',
    summary: 'Retry every failed delivery matching the filter, not just one page',
    http: { method: 'POST', path: '/deliveries/retry-failed', status: 202 },
    input: RetryMatchingInput,
    output: RetryMatchingOutput,
  }),

  'webhooks.test': route({
    name: 'webhooks.test',
    summary: 'Send a test event now to an endpoint or a bare URL and return the attempt',
    http: { method: 'POST', path: '/webhooks/test' },
    input: WebhookTestInput,
    output: WebhookTestOutput,
  }),

  'eventTypes.list': route({
    name: 'eventTypes.list',
    summary: 'The event type catalog (built-in examples and your own)',
    http: { method: 'GET', path: '/event-types' },
    input: Empty,
    output: listOf(EventType),
  }),
  'eventTypes.create': route({
    name: 'eventTypes.create',
    summary: 'Add an event type with an optional JSON Schema and example',
    http: { method: 'POST', path: '/event-types', status: 201 },
    input: EventTypeCreateInput,
    output: EventType,
  }),
  'eventTypes.update': route({
    name: 'eventTypes.update',
    summary: 'Change an event type',
    http: { method: 'PATCH', path: '/event-types/{name}' },
    input: EventTypeUpdateInput,
    output: EventType,
  }),
  'eventTypes.delete': route({
    name: 'eventTypes.delete',
    summary: 'Remove an event type from the catalog',
    http: { method: 'DELETE', path: '/event-types/{name}' },
    input: EventTypeNameParam,
    output: Deleted,
  }),
  'profiles.list': route({
    name: 'profiles.list',
    summary: 'Provider profiles (generic, stripe, github, shopify) and their fixture events',
    http: { method: 'GET', path: '/profiles' },
    input: Empty,
    output: listOf(Profile),
  }),

  'settings.get': route({
    name: 'settings.get',
    summary: 'Retry policy, auto-disable threshold, concurrency, retention, notification URL',
    http: { method: 'GET', path: '/settings' },
    input: Empty,
    output: Settings,
  }),
  'settings.update': route({
    name: 'settings.update',
    summary: 'Change any part of the settings',
    http: { method: 'PATCH', path: '/settings' },
    input: SettingsPatch,
    output: Settings,
  }),

  'settings.notificationSecret': route({
    name: 'settings.notificationSecret',
    summary: 'The Standard Webhooks secret that signs operational events sent to notificationUrl',
    http: { method: 'GET', path: '/settings/notification-secret' },
    input: Empty,
    output: z.object({ secret: z.string() }),
  }),

  'inboxes.list': route({
    name: 'inboxes.list',
    summary: 'Inboxes of the built-in receiver',
    http: { method: 'GET', path: '/inboxes' },
    input: Empty,
    output: listOf(Inbox),
  }),
  'inboxes.create': route({
    name: 'inboxes.create',
    summary: 'Create an inbox, optionally with an endpoint pointed at it',
    http: { method: 'POST', path: '/inboxes', status: 201 },
    input: InboxCreateInput,
    output: InboxCreateOutput,
  }),
  'inboxes.get': route({
    name: 'inboxes.get',
    summary: 'One inbox',
    http: { method: 'GET', path: '/inboxes/{id}' },
    input: IdParam,
    output: Inbox,
  }),
  'inboxes.update': route({
    name: 'inboxes.update',
    summary: 'Rename, link to an endpoint, or change the response script',
    http: { method: 'PATCH', path: '/inboxes/{id}' },
    input: InboxUpdateInput,
    output: Inbox,
  }),
  'inboxes.delete': route({
    name: 'inboxes.delete',
    summary: 'Delete an inbox and its captured requests',
    http: { method: 'DELETE', path: '/inboxes/{id}' },
    input: IdParam,
    output: Deleted,
  }),
  'inboxes.requests': route({
    name: 'inboxes.requests',
    summary: 'Requests an inbox captured, newest first, with signature verdicts',
    http: { method: 'GET', path: '/inboxes/{id}/requests' },
    input: InboxRequestListInput,
    output: InboxRequestList,
  }),
  'inboxes.clear': route({
    name: 'inboxes.clear',
    summary: 'Forget the requests an inbox captured',
    http: { method: 'DELETE', path: '/inboxes/{id}/requests' },
    input: IdParam,
    output: Ok,
  }),
  'endpoints.stats': route({
    name: 'endpoints.stats',
    summary: 'Health over time per endpoint: success rate, latency p50/p95 per bucket and response codes',
    http: { method: 'GET', path: '/stats/endpoints' },
    input: EndpointStatsInput,
    output: EndpointStatsOutput,
  }),
  'inboxes.forward': route({
    name: 'inboxes.forward',
    summary: 'Send captured requests to a local URL with their original method, headers and body; returns each answer',
    http: { method: 'POST', path: '/inboxes/{id}/forward' },
    input: InboxForwardInput,
    output: InboxForwardOutput,
  }),
  'inboxes.export': route({
    name: 'inboxes.export',
    summary: 'Captured requests as JSON, or as a HAR 1.2 archive (format=har)',
    http: { method: 'GET', path: '/inboxes/{id}/export' },
    input: InboxExportInput,
    output: InboxExportOutput,
  }),
} as const;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
/** What a caller passes (defaults optional). */
export type RouteCallInput<N extends RouteName> = z.input<Routes[N]['input']>;
/** What a handler receives (parsed, defaults filled). */
export type RouteInput<N extends RouteName> = z.output<Routes[N]['input']>;
export type RouteOutput<N extends RouteName> = z.output<Routes[N]['output']>;

/** The engine implements one handler per route; transports never call anything else. */
export type Handlers = {
  [N in RouteName]: (input: RouteInput<N>) => RouteOutput<N> | Promise<RouteOutput<N>>;
};

export const routeNames = Object.keys(routes) as RouteName[];

export function isRouteName(name: string): name is RouteName {
  return Object.hasOwn(routes, name);
}
