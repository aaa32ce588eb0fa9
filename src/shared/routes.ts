import { z } from 'zod';
import { routeTable } from './route';
import {
  Delivery,
  DeliveryCount,
  DeliveryDetail,
  DeliveryFilter,
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
  EventDetail,
  EventInput,
  EventList,
  EventListInput,
  EventPreview,
  EventType,
  EventTypeCreateInput,
  EventTypeImportInput,
  EventTypeImportOutput,
  EventTypeNameParam,
  EventTypeUpdateInput,
  EventTypeValidateInput,
  EventTypeValidateOutput,
  FiredTypes,
  FiredTypesInput,
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
  ReplayMissingInput,
  ReplayMissingOutput,
  RetryMatchingInput,
  RetryMatchingOutput,
  RotateSecretInput,
  Settings,
  SettingsPatch,
  SignedRequest,
  WebhookTestInput,
  WebhookTestOutput,
} from './schemas';

const Empty = z.object({}).strict();
const Deleted = z.object({ id: z.string(), deleted: z.literal(true) });

/**
 * The route table. IPC and HTTP both loop over it and dispatch to the engine's handler of the same name;
 * the renderer's client is typed from it. Add a route here, implement its handler, use it in the UI.
 */
export const routes = routeTable({
  'system.health': {
    summary: 'Liveness; needs no token',
    http: { method: 'GET', path: '/health', auth: false },
    input: Empty,
    output: z.object({ ok: z.literal(true), version: z.string() }),
  },
  'system.status': {
    summary: 'Engine state, queue depth and failing endpoints (the status strip)',
    http: { method: 'GET', path: '/status' },
    input: Empty,
    output: EngineStatus,
  },

  'endpoints.list': {
    summary: 'List endpoints with their recent success rate and latency',
    http: { method: 'GET', path: '/endpoints' },
    input: EndpointListInput,
    output: listOf(Endpoint),
  },
  'endpoints.create': {
    summary: 'Create an endpoint; the response is the only one (with endpoints.secret) that shows its secret',
    http: { method: 'POST', path: '/endpoints', status: 201 },
    input: EndpointCreateInput,
    output: EndpointWithSecret,
  },
  'endpoints.get': {
    summary: 'One endpoint',
    http: { method: 'GET', path: '/endpoints/{id}' },
    input: IdParam,
    output: Endpoint,
  },
  'endpoints.update': {
    summary: 'Change any part of an endpoint',
    http: { method: 'PATCH', path: '/endpoints/{id}' },
    input: EndpointUpdateInput,
    output: Endpoint,
  },
  'endpoints.delete': {
    summary: 'Delete an endpoint; its waiting deliveries are cancelled, its history is kept',
    http: { method: 'DELETE', path: '/endpoints/{id}' },
    input: IdParam,
    output: Deleted,
  },
  'endpoints.enable': {
    summary: 'Enable an endpoint and resume its paused deliveries',
    http: { method: 'POST', path: '/endpoints/{id}/enable' },
    input: IdParam,
    output: Endpoint,
  },
  'endpoints.disable': {
    summary: 'Disable an endpoint; its waiting deliveries are paused, not dropped',
    http: { method: 'POST', path: '/endpoints/{id}/disable' },
    input: EndpointDisableInput,
    output: Endpoint,
  },
  'endpoints.rotateSecret': {
    summary: 'New signing secret; the old one keeps signing during the grace period',
    http: { method: 'POST', path: '/endpoints/{id}/rotate-secret' },
    input: RotateSecretInput,
    output: EndpointWithSecret,
  },
  'endpoints.replayMissing': {
    summary: 'Give the endpoint the events of a time range it subscribes to and never got (oldest first)',
    http: { method: 'POST', path: '/endpoints/{id}/replay-missing' },
    input: ReplayMissingInput,
    output: ReplayMissingOutput,
  },
  'endpoints.secret': {
    summary: 'Reveal the signing secret and any still in their grace period',
    http: { method: 'GET', path: '/endpoints/{id}/secret' },
    input: IdParam,
    output: EndpointSecretInfo,
  },

  'events.create': {
    summary: 'Fire an event: one delivery per matching enabled endpoint, queued (honours Idempotency-Key)',
    http: { method: 'POST', path: '/events', status: 201, headers: { 'idempotency-key': 'idempotencyKey' } },
    input: EventInput,
    output: Event,
  },
  'events.preview': {
    summary: 'The exact requests an event would send to each target, signed, without sending',
    http: { method: 'POST', path: '/events/preview' },
    input: EventInput,
    output: EventPreview,
  },
  'events.list': {
    summary: 'Events, newest first, each with its deliveries; q searches ids and the data',
    http: { method: 'GET', path: '/events' },
    input: EventListInput,
    output: EventList,
  },
  // before events.get: `/events/types` must not be read as the event with id `types`
  'events.types': {
    summary:
      'The event types fired so far, each once, catalogued or not (what the type filters offer), sorted; up to limit',
    http: { method: 'GET', path: '/events/types' },
    input: FiredTypesInput,
    output: FiredTypes,
  },
  'events.get': {
    summary: 'One event with each delivery: endpoint, status, attempts, last HTTP status and error',
    http: { method: 'GET', path: '/events/{id}' },
    input: IdParam,
    output: EventDetail,
  },

  'deliveries.list': {
    summary: 'Deliveries, newest first; filters and cursor pagination',
    http: { method: 'GET', path: '/deliveries' },
    input: DeliveryListInput,
    output: DeliveryList,
  },
  // before deliveries.get: `/deliveries/count` must not be read as the delivery with id `count`
  'deliveries.count': {
    summary: 'How many deliveries match the filter (the same filters as the list)',
    http: { method: 'GET', path: '/deliveries/count' },
    input: DeliveryFilter,
    output: DeliveryCount,
  },
  'deliveries.get': {
    summary: 'One delivery with every attempt, as sent and as answered',
    http: { method: 'GET', path: '/deliveries/{id}' },
    input: IdParam,
    output: DeliveryDetail,
  },
  'deliveries.retry': {
    summary: 'Attempt a delivery again now (a replay when it had succeeded)',
    http: { method: 'POST', path: '/deliveries/{id}/retry', status: 202 },
    input: IdParam,
    output: Delivery,
  },
  'deliveries.signNow': {
    summary: "The delivery's request rendered and signed again with the current time (for a replay by hand)",
    http: { method: 'POST', path: '/deliveries/{id}/sign-now' },
    input: IdParam,
    output: SignedRequest,
  },
  'deliveries.cancel': {
    summary: 'Cancel a pending or paused delivery',
    http: { method: 'POST', path: '/deliveries/{id}/cancel' },
    input: IdParam,
    output: Delivery,
  },
  'deliveries.retryMatching': {
    summary: 'Retry every failed delivery matching the filter, not just one page',
    http: { method: 'POST', path: '/deliveries/retry-failed', status: 202 },
    input: RetryMatchingInput,
    output: RetryMatchingOutput,
  },

  'webhooks.test': {
    summary: 'Send a test event now to an endpoint or a bare URL and return the attempt',
    http: { method: 'POST', path: '/webhooks/test' },
    input: WebhookTestInput,
    output: WebhookTestOutput,
  },

  'eventTypes.list': {
    summary: 'The event type catalog (built-in examples and your own)',
    http: { method: 'GET', path: '/event-types' },
    input: Empty,
    output: listOf(EventType),
  },
  'eventTypes.create': {
    summary: 'Add an event type with an optional JSON Schema and example',
    http: { method: 'POST', path: '/event-types', status: 201 },
    input: EventTypeCreateInput,
    output: EventType,
  },
  'eventTypes.update': {
    summary: 'Change an event type',
    http: { method: 'PATCH', path: '/event-types/{name}' },
    input: EventTypeUpdateInput,
    output: EventType,
  },
  'eventTypes.validate': {
    summary: "Check data against an event type's JSON Schema (or one given inline) with the engine's validator",
    http: { method: 'POST', path: '/event-types/validate' },
    input: EventTypeValidateInput,
    output: EventTypeValidateOutput,
  },
  'eventTypes.delete': {
    summary: 'Remove an event type from the catalog',
    http: { method: 'DELETE', path: '/event-types/{name}' },
    input: EventTypeNameParam,
    output: Deleted,
  },
  'eventTypes.import': {
    summary:
      'Import event types from an OpenAPI 3.1 document (webhooks) or an AsyncAPI 3 document (send operations), $refs bundled',
    http: { method: 'POST', path: '/event-types/import' },
    input: EventTypeImportInput,
    output: EventTypeImportOutput,
  },
  'profiles.list': {
    summary: 'Provider profiles (generic, stripe, github, shopify) and their fixture events',
    http: { method: 'GET', path: '/profiles' },
    input: Empty,
    output: listOf(Profile),
  },

  'settings.get': {
    summary: 'Retry policy, auto-disable threshold, concurrency, retention, notification URL',
    http: { method: 'GET', path: '/settings' },
    input: Empty,
    output: Settings,
  },
  'settings.update': {
    summary: 'Change any part of the settings',
    http: { method: 'PATCH', path: '/settings' },
    input: SettingsPatch,
    output: Settings,
  },

  'settings.notificationSecret': {
    summary: 'The Standard Webhooks secret that signs operational events sent to notificationUrl',
    http: { method: 'GET', path: '/settings/notification-secret' },
    input: Empty,
    output: z.object({ secret: z.string() }),
  },

  'settings.rotateNotificationSecret': {
    summary: 'Replace the notification secret (its consumer must verify with the new one from now on)',
    http: { method: 'POST', path: '/settings/notification-secret/rotate' },
    input: Empty,
    output: z.object({ secret: z.string() }),
  },

  'inboxes.list': {
    summary: 'Inboxes of the built-in receiver',
    http: { method: 'GET', path: '/inboxes' },
    input: Empty,
    output: listOf(Inbox),
  },
  'inboxes.create': {
    summary: 'Create an inbox, optionally with an endpoint pointed at it',
    http: { method: 'POST', path: '/inboxes', status: 201 },
    input: InboxCreateInput,
    output: InboxCreateOutput,
  },
  'inboxes.get': {
    summary: 'One inbox',
    http: { method: 'GET', path: '/inboxes/{id}' },
    input: IdParam,
    output: Inbox,
  },
  'inboxes.update': {
    summary: 'Rename, link to an endpoint, or change the response script',
    http: { method: 'PATCH', path: '/inboxes/{id}' },
    input: InboxUpdateInput,
    output: Inbox,
  },
  'inboxes.delete': {
    summary: 'Delete an inbox and its captured requests',
    http: { method: 'DELETE', path: '/inboxes/{id}' },
    input: IdParam,
    output: Deleted,
  },
  'inboxes.requests': {
    summary: 'Requests an inbox captured, newest first, with signature verdicts',
    http: { method: 'GET', path: '/inboxes/{id}/requests' },
    input: InboxRequestListInput,
    output: InboxRequestList,
  },
  'inboxes.clear': {
    summary: 'Forget the requests an inbox captured',
    http: { method: 'DELETE', path: '/inboxes/{id}/requests' },
    input: IdParam,
    output: Ok,
  },
  'endpoints.stats': {
    summary: 'Health over time per endpoint: success rate, latency p50/p95 per bucket and response codes',
    http: { method: 'GET', path: '/stats/endpoints' },
    input: EndpointStatsInput,
    output: EndpointStatsOutput,
  },
  'inboxes.forward': {
    summary: 'Send captured requests to a local URL with their original method, headers and body; returns each answer',
    http: { method: 'POST', path: '/inboxes/{id}/forward' },
    input: InboxForwardInput,
    output: InboxForwardOutput,
  },
  'inboxes.export': {
    summary: 'Captured requests as JSON, or as a HAR 1.2 archive (format=har)',
    http: { method: 'GET', path: '/inboxes/{id}/export' },
    input: InboxExportInput,
    output: InboxExportOutput,
  },
});

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

/** The routes that answer in pages: `{ data, nextCursor }` out, `cursor` in (events.list, deliveries.list, …). */
export type PagedRouteName = {
  [N in RouteName]: RouteOutput<N> extends { data: unknown[]; nextCursor: string | null }
    ? RouteCallInput<N> extends { cursor?: infer C }
      ? unknown extends C
        ? never // an input that takes any key, not a cursor of its own
        : N
      : never
    : never;
}[RouteName];

/** The same at run time, from the route's input schema: it takes the `cursor` of the answer before. */
export function isPagedRoute(name: RouteName): name is PagedRouteName {
  const shape = (routes[name].input as { shape?: Record<string, unknown> }).shape;
  return shape !== undefined && 'cursor' in shape;
}

export function isRouteName(name: string): name is RouteName {
  return Object.hasOwn(routes, name);
}
