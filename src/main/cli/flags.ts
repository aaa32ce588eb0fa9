import type { z } from 'zod';

/** Thrown for a bad flag value (after zod parsing): printed as is, exit 2. */
export class UsageError extends Error {}

/** Parses commander's options with the command's zod schema; a bad value is a UsageError (exit 2). */
export function parseFlags<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const res = schema.safeParse(raw);
  if (res.success) return res.data;
  const msg = res.error.issues
    .map(
      (i) =>
        `--${i.path.map((p) => String(p).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)).join('.')}: ${i.message}`,
    )
    .join('; ');
  throw new UsageError(msg);
}
