// The one dispatch path both transports share: route name -> parsed input -> handler -> output stripped to the
// contract. HTTP and IPC differ only in how they collect the raw input and how they send the result.
import {
  type ApiErrorBody,
  type Handlers,
  HookbenchError,
  httpStatusOf,
  invalidInput,
  isRouteName,
  type RouteDef,
  routes,
  toErrorBody,
} from '../../shared';
import type { Logger } from '../engine/types';

/** Calls the contract route `name` with an unparsed input; throws a HookbenchError for anything that goes wrong. */
export async function callRoute(handlers: Handlers, name: string, rawInput: unknown): Promise<unknown> {
  if (!isRouteName(name)) throw new HookbenchError('not_found', `Unknown route ${name}`);
  const def: RouteDef = routes[name];
  const parsed = def.input.safeParse(rawInput ?? {});
  if (!parsed.success) throw invalidInput(parsed.error);
  const handler = handlers[name] as (input: unknown) => unknown;
  const result = await handler(parsed.data);
  // The output schema strips any field outside the contract (secrets, internal columns) before it leaves.
  const out = def.output.safeParse(result);
  if (!out.success) {
    // A handler broke the contract: that is our bug, not the caller's, so it must not read as invalid_input.
    throw new OutputContractError(name, out.error.issues.length);
  }
  return out.data;
}

/** A handler returned something its route's output schema rejects. Reported as `internal`, logged with the route. */
export class OutputContractError extends Error {
  constructor(
    readonly route: string,
    readonly issueCount: number,
  ) {
    super(`Handler ${route} returned a value outside its output schema (${issueCount} issues)`);
    this.name = 'OutputContractError';
  }
}

/** What a transport sends for a thrown value: the HTTP status and the error body (never a stack trace). */
export interface ErrorResult {
  status: number;
  body: ApiErrorBody;
}

/** Maps anything thrown to `{ status, body }`; unexpected errors are logged (message only) and become `internal`. */
export function errorResult(err: unknown, log?: Logger, route?: string): ErrorResult {
  const body = toErrorBody(err);
  if (body.code === 'internal') {
    log?.error('route failed', { route, error: err instanceof Error ? err.message : String(err) });
  }
  return { status: httpStatusOf[body.code], body };
}
