import type { ApiErrorBody } from './errors';

/** IPC channel names, in one place (main and preload import them). */
export const IPC_CALL = 'hookbench:call';
export const IPC_PUSH = 'hookbench:push';

/** What an IPC call resolves to. Electron drops custom fields of rejected errors, so errors travel as values. */
export type CallResult = { ok: true; data: unknown } | { ok: false; error: ApiErrorBody };

/** `window.hookbench`, exposed by the preload: two narrow functions, nothing raw. */
export interface HookbenchBridge {
  call(route: string, input: unknown): Promise<CallResult>;
  /** subscribe to a push topic; returns the unsubscribe function */
  on(topic: string, fn: (payload: unknown) => void): () => void;
}

/** HTTP paths the browser UI uses besides the REST routes. */
export const API_PREFIX = '/api/v1';
export const RPC_PATH = `${API_PREFIX}/rpc`; // POST /api/v1/rpc/{routeName} with the JSON input
export const STREAM_PATH = `${API_PREFIX}/stream`; // SSE: `event: <topic>` + `data: <json>`
export const OPENAPI_PATH = `${API_PREFIX}/openapi.json`;
