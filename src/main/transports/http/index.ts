// The HTTP transport: REST + RPC + SSE + OpenAPI + the browser UI, in front of one engine.
export { createHttpApp, DEFAULT_BODY_LIMIT, type HttpApp, type HttpAppOptions } from './app';
export { defaultEventHubOptions, EventHub, type EventHubOptions } from './event-hub';
export { CONTENT_SECURITY_POLICY } from './security';
export { type HttpServer, type HttpServerOptions, startHttpServer, urlHost } from './server';
export { defaultUiDir } from './static-ui';
