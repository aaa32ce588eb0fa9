import { z } from 'zod';

/** Every error the engine returns is one of these codes, mapped once to HTTP and once to IPC. */
export const ErrorCode = z.enum([
  'invalid_input',
  'unauthorized',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'conflict',
  'unprocessable',
  'schema_violation',
  'payload_too_large',
  'rate_limited',
  'storage_full',
  /** the database cannot be reached (PostgreSQL down or restarting): nothing was done, try again */
  'unavailable',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorIssue = z.object({
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
  code: z.string().optional(),
  /** JSON Schema violations: the JSON Pointer of the offending value ('' = the root) */
  instancePath: z.string().optional(),
});
export type ErrorIssue = z.infer<typeof ErrorIssue>;

export const ApiErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  issues: z.array(ErrorIssue).optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

/** The JSON an HTTP error response carries: `{ error: { code, message, issues? } }`. */
export const ApiErrorResponse = z.object({ error: ApiErrorBody });

export const httpStatusOf: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  unprocessable: 422,
  schema_violation: 422,
  payload_too_large: 413,
  rate_limited: 429,
  storage_full: 507,
  unavailable: 503,
  internal: 500,
};

/** An error as a value with a code. Thrown by handlers, serialised by transports. */
export class HookbenchError extends Error {
  readonly code: ErrorCode;
  readonly issues?: ErrorIssue[];
  constructor(code: ErrorCode, message: string, issues?: ErrorIssue[]) {
    super(message);
    this.name = 'HookbenchError';
    this.code = code;
    this.issues = issues;
  }
  toBody(): ApiErrorBody {
    return this.issues
      ? { code: this.code, message: this.message, issues: this.issues }
      : { code: this.code, message: this.message };
  }
}

export function issuesFromZod(error: z.ZodError): ErrorIssue[] {
  return error.issues.flatMap((i): ErrorIssue[] => {
    const path = i.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    // Inputs are strict: an unknown key (usually a typo) is an issue of its own, at its own path.
    if (i.code === 'unrecognized_keys') {
      return i.keys.map((key) => ({ path: [...path, key], message: `unknown key "${key}"`, code: i.code }));
    }
    return [{ path, message: i.message, code: i.code }];
  });
}

export function invalidInput(error: z.ZodError, what = 'input'): HookbenchError {
  const issues = issuesFromZod(error);
  const first = issues[0];
  const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : '';
  return new HookbenchError('invalid_input', `Invalid ${what}${where}: ${first?.message ?? 'bad value'}`, issues);
}

export const notFound = (what: string, id: string) => new HookbenchError('not_found', `${what} ${id} not found`);

/** Turns anything thrown into the error body a transport sends; unknown errors never leak internals. */
export function toErrorBody(err: unknown): ApiErrorBody {
  if (err instanceof HookbenchError) return err.toBody();
  if (err instanceof z.ZodError) return invalidInput(err).toBody();
  const maybe = ApiErrorBody.safeParse((err as { body?: unknown })?.body);
  if (maybe.success) return maybe.data;
  return { code: 'internal', message: 'Internal error' };
}
