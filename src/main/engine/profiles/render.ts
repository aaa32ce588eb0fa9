// The exact body bytes of a delivery, by the endpoint's scheme: each provider's receivers expect its envelope.
import { createHash } from 'node:crypto';
import { HookbenchError, type SchemeName } from '../../../shared';

/** The event as stored by the engine (fields needed to render any envelope). */
export interface RenderableEvent {
  id: string;
  type: string;
  version: string;
  /** ISO 8601 */
  createdAt: string;
  data: unknown;
}

/** Stripe API version stamped on rendered Stripe events (a version whose event shape the fixtures follow). */
export const STRIPE_API_VERSION = '2024-06-20';
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `evt_` + 24 alphanumerics derived from our event id: the same event always renders the same Stripe id. */
export function stripeEventId(eventId: string): string {
  const digest = createHash('sha256').update(`hookbench:${eventId}`).digest();
  let out = '';
  for (let i = 0; i < 24; i++) out += ALPHANUMERIC[(digest[i] ?? 0) % ALPHANUMERIC.length];
  return `evt_${out}`;
}

function unixSeconds(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new HookbenchError('invalid_input', `event createdAt is not a date: ${iso}`);
  return Math.floor(ms / 1000);
}

/** The body sent to an endpoint with this scheme; deterministic for the same event (retries send identical bytes). */
export function renderBody(scheme: SchemeName, event: RenderableEvent): string {
  switch (scheme) {
    case 'standard':
      return JSON.stringify({
        id: event.id,
        type: event.type,
        version: event.version,
        created_at: event.createdAt,
        data: event.data,
      });
    case 'stripe':
      // Key order follows Stripe's own serialisation so the body looks like the real thing in an inspector.
      return JSON.stringify({
        id: stripeEventId(event.id),
        object: 'event',
        api_version: STRIPE_API_VERSION,
        created: unixSeconds(event.createdAt),
        data: { object: event.data },
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type: event.type,
      });
    case 'github':
    case 'shopify':
      // Both send the resource itself; the event name travels in a header (X-GitHub-Event, X-Shopify-Topic).
      return JSON.stringify(event.data);
    default:
      throw new HookbenchError('invalid_input', `unknown signature scheme: ${String(scheme satisfies never)}`);
  }
}
