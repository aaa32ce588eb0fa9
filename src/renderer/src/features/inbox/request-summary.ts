// What a captured request is about, read from the conventions of each signing scheme, so a row can say
// "invoice.paid · msg_2f…" instead of "POST /".
import type { InboxRequest } from '@shared';

export interface RequestSummary {
  /** the event type (invoice.paid, push, orders/create), or null */
  eventType: string | null;
  /** the webhook / event id the sender gave it, or null */
  webhookId: string | null;
}

function bodyFields(body: string): { type?: unknown; id?: unknown } {
  // Only a small object prefix matters; a 1 MiB body is parsed once per row render at most, so cap it.
  if (body.length > 256 * 1024 || !body.trimStart().startsWith('{')) return {};
  try {
    const v = JSON.parse(body) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as { type?: unknown; id?: unknown }) : {};
  } catch {
    return {};
  }
}

export function summarizeRequest(r: Pick<InboxRequest, 'headers' | 'body'>): RequestSummary {
  const h = r.headers;
  const body = bodyFields(r.body);
  const bodyType = typeof body.type === 'string' ? body.type : null;
  const bodyId = typeof body.id === 'string' ? body.id : null;
  const eventType = h['x-github-event'] ?? h['x-shopify-topic'] ?? bodyType;
  const webhookId =
    h['webhook-id'] ??
    h['svix-id'] ??
    h['x-github-delivery'] ??
    h['x-shopify-webhook-id'] ??
    // Stripe puts the event id in the body only
    (h['stripe-signature'] ? bodyId : null);
  return { eventType: eventType ?? null, webhookId: webhookId ?? null };
}
