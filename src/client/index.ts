// `hookbench/client`: drive a running `hookbench serve` from tests (Node >= 20) or a browser. Typed from the same
// route table as the UI: `call('endpoints.create', input)` returns what the contract says.
import { z } from 'zod';
import { HookbenchError, invalidInput } from '../shared/errors';
import { isRouteName, type RouteCallInput, routes } from '../shared/routes';
import type { DeliveryDetail, InboxRequest } from '../shared/schemas';
import { HttpUrl } from '../shared/schemas';
import { isTopicName, topicNames } from '../shared/topics';
import { type CallClient, httpTransport } from './http-transport';
import { type PagedRouteName, type PageItem, paginate } from './pages';
import {
  type WaitForDeliveryOptions,
  type WaitForInboxRequestOptions,
  waitForDelivery,
  waitForInboxRequest,
} from './waiters';

export { ApiError, ConnectionError, NotHookbenchError, WaitTimeoutError } from './errors';
export type { CallClient } from './http-transport';
export type { PagedRouteName, PageItem } from './pages';
export type { WaitForDeliveryOptions, WaitForInboxRequestOptions } from './waiters';

export interface ClientOptions {
  /** where `hookbench serve` listens, e.g. http://127.0.0.1:7777 (or its API's address, http://127.0.0.1:7777/api/v1) */
  baseUrl: string;
  /** the API token `serve` printed (or $HOOKBENCH_TOKEN) */
  token: string;
  /** defaults to the global fetch */
  fetch?: typeof fetch;
}

export interface HookbenchClient extends CallClient {
  /**
   * Every item of a paged list (`events.list`, `deliveries.list`, `inboxes.requests`), page after page:
   * `for await (const d of client.paginate('deliveries.list', { status: 'failed' })) …`
   */
  paginate<N extends PagedRouteName>(name: N, input: RouteCallInput<N>): AsyncGenerator<PageItem<N>, void, undefined>;
  waitForDelivery(opts: WaitForDeliveryOptions): Promise<DeliveryDetail>;
  waitForInboxRequest(opts: WaitForInboxRequestOptions): Promise<InboxRequest>;
  /** closes the event stream; call it when done so a Node process can exit */
  close(): void;
}

/**
 * An answer fits its route's output schema (a route this client does not know is left to the server). The answer
 * is returned as it came, not as parsed: the check only tells a Hookbench server from something else on that port,
 * which would otherwise hand a test `{"ok":true}` typed as an endpoint list.
 */
const fitsContract = (name: string, body: unknown): boolean =>
  !isRouteName(name) || routes[name].output.safeParse(body).success;

/** createClient's options as given (a plain-JavaScript caller's typo is said here, not at the first call). */
const Options = z.object({
  baseUrl: HttpUrl,
  token: z.string().min(1, 'give the API token serve printed (or $HOOKBENCH_TOKEN)'),
  fetch: z.custom<typeof fetch>((f) => typeof f === 'function', 'must be a fetch function').optional(),
});

/** Throws an invalid_input HookbenchError naming the option at fault (a baseUrl that is not an http(s) URL...). */
export function createClient(options: ClientOptions): HookbenchClient {
  const parsed = Options.safeParse(options);
  if (!parsed.success) throw invalidInput(parsed.error);
  const transport = httpTransport({
    baseUrl: options.baseUrl,
    getToken: () => options.token,
    fetch: options.fetch,
    checkAnswer: fitsContract,
  });
  return {
    call: transport.call,
    on: (topic, fn) => {
      if (!isTopicName(topic)) {
        throw new HookbenchError('invalid_input', `unknown topic ${String(topic)} (one of: ${topicNames.join(', ')})`);
      }
      return transport.on(topic, fn);
    },
    paginate: (name, input) => paginate(transport, name, input),
    close: transport.close,
    waitForDelivery: (opts) => waitForDelivery(transport, opts),
    waitForInboxRequest: (opts) => waitForInboxRequest(transport, opts),
  };
}

export type { ApiErrorBody, ErrorCode, ErrorIssue } from '../shared/errors';
export type { RouteCallInput, RouteName, RouteOutput } from '../shared/routes';
export type { TopicName, TopicPayload } from '../shared/topics';
