import { z } from 'zod';

export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an id');
export const IsoDate = z.iso.datetime({ offset: true });

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

export const HttpUrl = z
  .string()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL');

/** Any JSON value (what `data` in an event can be). */
export const JsonValue: z.ZodType<unknown> = z.json();

export const Cursor = z.string().max(512);
export const Limit = z.coerce.number().int().min(1).max(500).default(50);

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });

export const IdParam = z.object({ id: Id });
export const Ok = z.object({ ok: z.literal(true) });
