// The one HTTP client of Hookbench's contract, used by the browser UI (renderer/src/lib/client.ts) and by the
// `hookbench/client` package. It only needs the web platform's fetch and streams, so it runs in browsers and in
// Node alike. Calls go to POST /api/v1/rpc/{routeName}; push topics arrive over SSE from GET /api/v1/stream.
import { RPC_PATH, STREAM_PATH } from '../shared/bridge';
import type { ApiErrorBody } from '../shared/errors';
import type { RouteCallInput, RouteName, RouteOutput } from '../shared/routes';
import type { TopicName, TopicPayload } from '../shared/topics';
import { ApiError, ConnectionError, NotHookbenchError } from './errors';

/** What every Hookbench client offers: a typed call per route and push-topic subscriptions. */
export interface CallClient {
  call<N extends RouteName>(name: N, input: RouteCallInput<N>): Promise<RouteOutput<N>>;
  /** subscribe to a push topic; returns the unsubscribe function */
  on<T extends TopicName>(topic: T, fn: (payload: TopicPayload<T>) => void): () => void;
}

export interface HttpTransport extends CallClient {
  /** stops the event stream (a Node process with an open stream does not exit) */
  close(): void;
}

export interface HttpTransportOptions {
  /** where `hookbench serve` listens, e.g. http://127.0.0.1:7777 (its API's address, …/api/v1, is taken as the same) */
  baseUrl: string;
  /** the API token, read before every request (the browser UI keeps it in sessionStorage) */
  getToken: () => string | null;
  /** defaults to the global fetch */
  fetch?: typeof fetch;
  /**
   * Whether a 2xx answer fits route `name`'s output schema; false throws a NotHookbenchError. `hookbench/client`
   * checks with the contract (whatever `baseUrl` it is given may be another server); the browser UI, loaded from
   * the serve it calls, takes the answers as they come.
   */
  checkAnswer?: (name: string, body: unknown) => boolean;
}

type Listener = (payload: unknown) => void;

export function httpTransport(options: HttpTransportOptions): HttpTransport {
  // `http://127.0.0.1:7777/api/v1` is how the README and OpenAPI name the API: the same server, not a prefix
  const baseUrl = options.baseUrl.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const listeners = new Map<string, Set<Listener>>();
  let stream: AbortController | null = null;

  const authHeader = (): Record<string, string> => {
    const token = options.getToken();
    return token ? { authorization: `Bearer ${token}` } : {};
  };

  async function call(name: string, input: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await doFetch(`${baseUrl}${RPC_PATH}/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authHeader() },
        body: JSON.stringify(input ?? {}),
      });
    } catch (err) {
      throw new ConnectionError(baseUrl, err);
    }
    const text = await res.text();
    const notHookbench = () => new NotHookbenchError(baseUrl, `POST ${RPC_PATH}/${name}`);
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      if (res.ok && options.checkAnswer) throw notHookbench();
      throw new ApiError({ code: 'internal', message: `Unexpected response (${res.status})` });
    }
    if (!res.ok) {
      const err = (body as { error?: ApiErrorBody } | null)?.error;
      throw new ApiError(err ?? { code: 'internal', message: `HTTP ${res.status}` });
    }
    if (options.checkAnswer && !options.checkAnswer(name, body)) throw notHookbench();
    return body;
  }

  function dispatch(topic: string, data: string): void {
    const set = listeners.get(topic);
    if (!set) return;
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    for (const fn of set) fn(payload);
  }

  // Server-sent events read with fetch (EventSource cannot send the Authorization header). Reconnects with backoff.
  async function runStream(signal: AbortSignal): Promise<void> {
    let delay = 500;
    let connectedBefore = false;
    while (!signal.aborted) {
      try {
        const res = await doFetch(`${baseUrl}${STREAM_PATH}`, {
          headers: { accept: 'text/event-stream', ...authHeader() },
          signal,
        });
        if (!res.ok || !res.body) throw new Error(`stream ${res.status}`);
        delay = 500;
        // whatever was pushed while the stream was down is lost: tell the listeners, as the server does for a
        // reader that fell behind, so that they refetch what they show
        if (connectedBefore) dispatch('stream.gap', JSON.stringify({ dropped: null }));
        connectedBefore = true;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let idx = buf.indexOf('\n\n');
          while (idx >= 0) {
            const frame = buf.slice(0, idx);
            buf = buf.slice(idx + 2);
            let event = 'message';
            const data: string[] = [];
            for (const line of frame.split('\n')) {
              if (line.startsWith('event:')) event = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
            }
            if (data.length > 0) dispatch(event, data.join('\n'));
            idx = buf.indexOf('\n\n');
          }
        }
      } catch {
        if (signal.aborted) return;
      }
      if (signal.aborted) return;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  }

  return {
    call: (name, input) => call(name, input) as never,
    on: (topic, fn) => {
      let set = listeners.get(topic);
      if (!set) {
        set = new Set();
        listeners.set(topic, set);
      }
      set.add(fn as Listener);
      if (!stream) {
        stream = new AbortController();
        void runStream(stream.signal);
      }
      return () => {
        set.delete(fn as Listener);
      };
    },
    close: () => {
      stream?.abort();
      stream = null;
    },
  };
}
