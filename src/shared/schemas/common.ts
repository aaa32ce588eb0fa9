import { z } from 'zod';

export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an id');
export const IsoDate = z.iso.datetime({ offset: true });
/** A time a caller gives (filters): said how to write it when it is not one. */
export const IsoDateInput = z.iso.datetime({
  offset: true,
  error: 'expected an ISO 8601 date-time with a zone (Z or ±hh:mm), such as 2026-12-01T09:00:00Z',
});

/** Event type names: `invoice.paid`, Stripe's `payment_intent.succeeded`, GitHub's `push`, Shopify's `orders/create`. */
export const EventTypeName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.:/-]*$/, 'letters, digits and _ . : / - only');

/** A subscription filter: an exact type, a prefix pattern `invoice.*`, or `*` for every type. */
export const EventTypeFilter = z
  .string()
  .min(1)
  .max(128)
  .regex(/^(\*|[A-Za-z0-9_][A-Za-z0-9_.:/-]*(\.\*|\/\*)?)$/, 'an event type, a prefix like invoice.* or *');

export const HeaderName = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a valid HTTP header name');
export const HeaderValue = z
  .string()
  .max(8192)
  .regex(/^[\t\x20-\x7e\x80-\xff]*$/, 'header values cannot contain control characters');
export const Headers = z.record(HeaderName, HeaderValue);

/**
 * Control characters: no name, description, reason or search needs one, and PostgreSQL's text cannot hold NUL (a
 * NUL in a description was a 500 there and stored on SQLite). Tab, line feed and carriage return are text.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARACTER = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;
const CONTROL_MESSAGE = 'cannot contain control characters (a tab or a line break is fine)';
/** Any control character at all, line breaks included (one-line values: URLs, keys, searches). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const ANY_CONTROL_CHARACTER = /[\x00-\x1f\x7f]/;

/** `s` without the control characters FreeText refuses (a document's text is imported cleaned, not refused). */
export const withoutControlCharacters = (s: string): string => s.replace(new RegExp(CONTROL_CHARACTER.source, 'g'), '');

/** Text a person writes and Hookbench stores (descriptions, names, reasons): at most `max` characters, no control ones. */
export const FreeText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !CONTROL_CHARACTER.test(s), CONTROL_MESSAGE);

/** One line a caller searches or filters by (`q`, `type`): at most `max` characters, no control ones. */
export const SearchText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !ANY_CONTROL_CHARACTER.test(s), 'cannot contain control characters');

/** An event's version (`v1`, `2024-06-20`), in its envelope and its headers. */
export const EventVersion = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits and _ . - only');

/** http:// or https:// with a host, as written (WHATWG URL would read `http:/x` as http://x/). */
export const HttpUrl = z
  .string()
  .max(2048)
  .refine((s) => !ANY_CONTROL_CHARACTER.test(s), 'cannot contain control characters')
  .refine((s) => {
    if (!/^https?:\/\/[^/?#\s\\]+/i.test(s)) return false;
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL with a host');

/** Deeper than any real payload; zod's recursive JSON check would overflow the stack on hostile nesting. */
export const MAX_JSON_DEPTH = 64;

/** Why this one value (not looking inside it) cannot be JSON; null when it can. */
function whyNotJson(v: unknown, top: boolean): string | null {
  if (v === undefined) return top ? 'required (any JSON value)' : 'undefined is not JSON';
  if (typeof v === 'number' && !Number.isFinite(v)) return `${v} is not JSON (numbers must be finite)`;
  if (typeof v === 'bigint' || typeof v === 'symbol' || typeof v === 'function') return `a ${typeof v} is not JSON`;
  return null;
}

export interface JsonProblem {
  path: Array<string | number>;
  message: string;
}

/**
 * One iterative walk over `value` (a hostile 50,000-level document is measured without recursion), in document
 * order: the first value JSON cannot carry, with its path, or the first object or array nested deeper than
 * `maxDepth` (path [], as the whole value is refused). Null when there is neither.
 */
export function jsonProblem(value: unknown, maxDepth: number): JsonProblem | null {
  // each value with where it sits (its parent's place and its key: the path is built only for the one reported)
  type Place = { parent: Place | null; key: string | number } | null;
  const stack: Array<[unknown, Place, number]> = [[value, null, 1]];
  while (stack.length > 0) {
    const [v, place, depth] = stack.pop() as [unknown, Place, number];
    const message = whyNotJson(v, place === null);
    if (message !== null) {
      const path: Array<string | number> = [];
      for (let p = place; p !== null; p = p.parent) path.unshift(p.key);
      return { path, message };
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth > maxDepth) return { path: [], message: `nested deeper than ${maxDepth} levels` };
    // pushed last to first, so that the first problem in document order is the one reported
    const keys = Array.isArray(v) ? null : Object.keys(v);
    for (let i = (keys ?? (v as unknown[])).length - 1; i >= 0; i--) {
      const key = keys ? (keys[i] as string) : i;
      stack.push([(v as Record<string | number, unknown>)[key], { parent: place, key }, depth + 1]);
    }
  }
  return null;
}

/** Any JSON value (what `data` in an event can be), nested at most MAX_JSON_DEPTH levels. */
export const JsonValue: z.ZodType<unknown> = z
  .unknown()
  // one walk says what is wrong and where: too deep for z.json()'s recursion (checked before it runs), or a value
  // that is not JSON (z.json() alone answers "Invalid input" for the whole of it)
  .superRefine((v, ctx) => {
    const bad = jsonProblem(v, MAX_JSON_DEPTH);
    if (bad) ctx.addIssue({ code: 'custom', message: bad.message, path: bad.path, continue: false });
  })
  .pipe(z.json());

export const Cursor = z.string().max(512);

/**
 * A list field a query string may carry repeated (`status=a&status=b`) or comma-separated (`status=a,b`); JSON
 * callers pass an array or a single value, which go through unchanged.
 */
export const QueryList = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => {
    const split = (s: string) =>
      s.includes(',')
        ? s
            .split(',')
            .map((p) => p.trim())
            .filter((p) => p !== '')
        : s;
    if (typeof v === 'string') return split(v);
    if (Array.isArray(v)) return v.flatMap((x) => (typeof x === 'string' ? split(x) : [x]));
    return v;
  }, schema);
/**
 * A whole number from `min` to `max`, as JSON gives it (a number) or as text does (a query string, a CLI flag: its
 * decimal digits). Nothing else is read as one: `true`, `[2]`, `''`, `' 2 '`, `'0x10'` and `'1e3'` (which Number()
 * reads as 1, 2, 0, 2, 16 and 1000) are refused, each with the range and what was given.
 */
export function wholeNumber(min: number, max: number) {
  const range = `must be a whole number from ${min} to ${max}`;
  const got = (input: unknown) =>
    `${range}, got ${typeof input === 'number' ? input : (JSON.stringify(input) ?? String(input))}`;
  return z.preprocess(
    (v) => (typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : v),
    // int, min and max (not one refine), so that JSON Schema and OpenAPI say `integer` with its bounds
    z
      .number({ error: (iss) => got(iss.input) })
      .int({ error: (iss) => got(iss.input), abort: true })
      .min(min, { error: (iss) => got(iss.input) })
      .max(max, { error: (iss) => got(iss.input) }),
  );
}

export const Limit = wholeNumber(1, 500).prefault(50);

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });

export const IdParam = z.strictObject({ id: Id });
export const Ok = z.object({ ok: z.literal(true) });
