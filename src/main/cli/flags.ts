import type { z } from 'zod';

/** Thrown for a bad flag value (after zod parsing): printed as is, exit 2. */
export class UsageError extends Error {}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Where a flag problem is, as the user typed it: `--timeout`, or for a repeatable flag the value at fault
 * (`--header "NoColon"`, not `--header.0`).
 */
function flagOf(path: readonly PropertyKey[], raw: unknown): string {
  const [name, index, ...rest] = path;
  const flag = `--${kebab(String(name))}`;
  const given = (raw as Record<string, unknown> | null)?.[String(name)];
  if (typeof index === 'number' && Array.isArray(given) && index < given.length) {
    return `${flag} ${JSON.stringify(given[index])}${rest.length > 0 ? ` (${rest.join('.')})` : ''}`;
  }
  return [flag, ...(index === undefined ? [] : [index]), ...rest].map(String).join('.');
}

/** A required flag not given at all: "missing --endpoint", not zod's "expected string, received undefined". */
function isMissing(issue: z.core.$ZodIssue, raw: unknown): boolean {
  const [name, ...rest] = issue.path;
  return (
    issue.code === 'invalid_type' &&
    rest.length === 0 &&
    (raw as Record<string, unknown> | null)?.[String(name)] === undefined
  );
}

/** Parses commander's options with the command's zod schema; a bad value is a UsageError (exit 2). */
export function parseFlags<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const res = schema.safeParse(raw);
  if (res.success) return res.data;
  // every flag not given, said first and at once ("missing --url, --type"), then what is wrong with the others
  const missing = res.error.issues.filter((i) => isMissing(i, raw)).map((i) => flagOf(i.path, raw));
  const wrong = res.error.issues.filter((i) => !isMissing(i, raw)).map((i) => `${flagOf(i.path, raw)}: ${i.message}`);
  throw new UsageError([...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []), ...wrong].join('; '));
}
