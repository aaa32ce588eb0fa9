import { type ApiErrorBody, type ErrorIssue, HookbenchError } from '../shared/errors';

/**
 * An error answered by Hookbench (HTTP or IPC), rebuilt on the caller's side: the engine's HookbenchError with
 * `issues` always an array, so forms can show them next to their fields without checking.
 */
export class ApiError extends HookbenchError {
  override readonly issues: ErrorIssue[];
  constructor(body: ApiErrorBody) {
    super(body.code, body.message, body.issues);
    this.name = 'ApiError';
    this.issues = body.issues ?? [];
  }
}

/** A wait helper gave up: what it expected and what it saw last are in the message. */
export class WaitTimeoutError extends Error {
  readonly code = 'timeout' as const;
  constructor(message: string) {
    super(message);
    this.name = 'WaitTimeoutError';
  }
}

/** The server could not be reached (refused, reset, DNS): no answer to read an error from. */
export class ConnectionError extends Error {
  readonly code = 'unreachable' as const;
  constructor(url: string, cause: unknown) {
    // fetch wraps the socket's error: TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })
    const inner = (cause as { cause?: { code?: string; message?: string } })?.cause;
    const detail = inner?.code ?? inner?.message ?? (cause instanceof Error ? cause.message : String(cause));
    super(`cannot reach ${url} (${detail})`, { cause });
    this.name = 'ConnectionError';
  }
}

/**
 * A server answered, but not as Hookbench does: an answer outside its route's output schema (or not JSON at all),
 * e.g. from `hookbench listen`, which answers `{"ok":true}` to everything, another web server on that port, or a
 * Hookbench whose contract differs from this client's (another version).
 */
export class NotHookbenchError extends Error {
  readonly code = 'not_hookbench' as const;
  constructor(url: string, request: string) {
    super(`${url} is not a Hookbench server of this version (${request} answered something else)`);
    this.name = 'NotHookbenchError';
  }
}
