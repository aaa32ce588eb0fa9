// The renderer's one way to reach the engine. In Electron it calls window.hookbench (IPC through the preload);
// in a browser it calls `hookbench serve` over HTTP. Same route names, same inferred types.
import {
  type ApiErrorBody,
  type CallResult,
  type ErrorIssue,
  type HookbenchBridge,
  type RouteCallInput,
  type RouteName,
  type RouteOutput,
  RPC_PATH,
  STREAM_PATH,
  type TopicName,
  type TopicPayload,
} from '@shared';

export class ApiError extends Error {
  readonly code: ApiErrorBody['code'];
  readonly issues: ErrorIssue[];
  constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.code = body.code;
    this.issues = body.issues ?? [];
  }
}

export interface Client {
  readonly kind: 'ipc' | 'http';
  call<N extends RouteName>(name: N, input: RouteCallInput<N>): Promise<RouteOutput<N>>;
  /** subscribe to a push topic; returns the unsubscribe function */
  on<T extends TopicName>(topic: T, fn: (payload: TopicPayload<T>) => void): () => void;
}

declare global {
  interface Window {
    hookbench?: HookbenchBridge;
  }
}

const TOKEN_KEY = 'hookbench.token';

/** Takes `#token=...` from the address bar into sessionStorage and removes it from the URL. */
export function adoptTokenFromLocation(): string | null {
  const m = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (m?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
    const url = window.location.pathname + window.location.search;
    window.history.replaceState(null, '', url);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function unwrap<T>(result: CallResult): T {
  if (result.ok) return result.data as T;
  throw new ApiError(result.error);
}

export function ipcClient(bridge: HookbenchBridge): Client {
  return {
    kind: 'ipc',
    call: async (name, input) => unwrap(await bridge.call(name, input ?? {})),
    on: (topic, fn) => bridge.on(topic, (payload) => fn(payload as never)),
  };
}

type Listener = (payload: unknown) => void;

export function httpClient(baseUrl: string, getToken: () => string | null): Client {
  const listeners = new Map<string, Set<Listener>>();
  let stream: AbortController | null = null;

  async function call(name: string, input: unknown): Promise<unknown> {
    const token = getToken();
    const res = await fetch(`${baseUrl}${RPC_PATH}/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(input ?? {}),
    });
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      throw new ApiError({ code: 'internal', message: `Unexpected response (${res.status})` });
    }
    if (!res.ok) {
      const err = (body as { error?: ApiErrorBody } | null)?.error;
      throw new ApiError(err ?? { code: 'internal', message: `HTTP ${res.status}` });
    }
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
        const token = getToken();
        const res = await fetch(`${baseUrl}${STREAM_PATH}`, {
          headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          signal,
        });
        if (!res.ok || !res.body) throw new Error(`stream ${res.status}`);
        delay = 500;
        // whatever was pushed while the stream was down is lost: tell the listeners, as the server does for a
        // reader that fell behind, so the UI refetches what it shows
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
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  }

  return {
    kind: 'http',
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
  };
}

/** IPC when the preload is present (Electron), HTTP to the serving origin otherwise (browser). */
export function createClient(): Client {
  if (window.hookbench) return ipcClient(window.hookbench);
  adoptTokenFromLocation();
  return httpClient(window.location.origin, () => sessionStorage.getItem(TOKEN_KEY));
}
