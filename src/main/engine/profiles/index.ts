// Provider profiles: a scheme, its envelope (renderBody) and realistic fixture events kept as JSON data files.
// The generic profile's fixtures are the catalog's built-in event types (seeded by the engine), so Compose shows
// one example per type whichever way it is reached.
import type { Profile } from '../../../shared';
import { builtInEventTypes } from '../db/built-in-event-types';
import github from './fixtures/github.json';
import shopify from './fixtures/shopify.json';
import stripe from './fixtures/stripe.json';

export { type RenderableEvent, renderBody, STRIPE_API_VERSION, stripeEventId } from './render';

export type ProfileName = Profile['name'];
type Fixture = Profile['fixtures'][number];

export const profiles: Profile[] = [
  {
    name: 'generic',
    scheme: 'standard',
    description: 'Hookbench envelope {id, type, version, created_at, data}, signed with Standard Webhooks',
    fixtures: builtInEventTypes.map((t) => ({ type: t.name, description: t.description, data: t.example })),
  },
  {
    name: 'stripe',
    scheme: 'stripe',
    description: 'Stripe event objects (evt_..., data.object), signed with Stripe-Signature',
    fixtures: stripe as Fixture[],
  },
  {
    name: 'github',
    scheme: 'github',
    description: 'Raw GitHub payloads, event name in X-GitHub-Event, signed with X-Hub-Signature-256',
    fixtures: github as Fixture[],
  },
  {
    name: 'shopify',
    scheme: 'shopify',
    description: 'Raw Shopify resources, topic in X-Shopify-Topic, signed with X-Shopify-Hmac-Sha256',
    fixtures: shopify as Fixture[],
  },
];

export function getProfile(name: ProfileName): Profile | undefined {
  return profiles.find((p) => p.name === name);
}

/** The fixture of one event type in a profile, or undefined (send --profile uses this). */
export function findFixture(profile: ProfileName, type: string): Fixture | undefined {
  return getProfile(profile)?.fixtures.find((f) => f.type === type);
}
