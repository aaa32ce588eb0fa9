// The renderer's one way to reach the engine. In Electron it calls window.hookbench (IPC through the preload);
// in a browser it calls `hookbench serve` over HTTP. Same route names, same inferred types.
import type { CallResult, HookbenchBridge } from '@shared';
import { ApiError } from '../../../client/errors';
import { type CallClient, httpTransport } from '../../../client/http-transport';

export { ApiError };

export interface Client extends CallClient {
  readonly kind: 'ipc' | 'http';
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

/** The browser UI over `hookbench serve`: the same HTTP client as the `hookbench/client` package. */
export function httpClient(baseUrl: string, getToken: () => string | null): Client {
  const transport = httpTransport({ baseUrl, getToken });
  return { kind: 'http', call: transport.call, on: transport.on };
}

/** IPC when the preload is present (Electron), HTTP to the serving origin otherwise (browser). */
export function createClient(): Client {
  if (window.hookbench) return ipcClient(window.hookbench);
  adoptTokenFromLocation();
  return httpClient(window.location.origin, () => sessionStorage.getItem(TOKEN_KEY));
}
