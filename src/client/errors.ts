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
