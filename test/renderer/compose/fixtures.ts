// Catalog, profiles and endpoints for composer tests, shaped by the contract (the fake client checks them).
import { makeEndpoint } from '../support';

const T0 = '2026-11-26T12:00:00.000Z';

export const invoicePaid = {
  name: 'invoice.paid',
  description: 'An invoice was paid in full',
  schema: {
    type: 'object',
    required: ['object'],
    properties: {
      object: {
        type: 'object',
        required: ['id', 'amount_paid', 'currency'],
        properties: {
          id: { type: 'string' },
          amount_paid: { type: 'integer', minimum: 0 },
          currency: { type: 'string', pattern: '^[a-z]{3}$' },
        },
      },
    },
  },
  example: { object: { id: 'inv_1042', amount_paid: 4900, currency: 'eur' } },
  builtIn: true,
  createdAt: T0,
};

export const userCreated = {
  name: 'user.created',
  description: 'A user signed up',
  schema: null,
  example: { object: { id: 'usr_1' } },
  builtIn: true,
  createdAt: T0,
};

export const stripeProfile = {
  name: 'stripe' as const,
  scheme: 'stripe' as const,
  description: 'Stripe event objects',
  fixtures: [
    { type: 'payment_intent.succeeded', description: 'A PaymentIntent succeeded', data: { object: { id: 'pi_1' } } },
  ],
};

export const endpointA = makeEndpoint({
  id: 'ep_a',
  url: 'http://127.0.0.1:4000/a',
  description: 'Billing',
  eventTypes: ['invoice.*'],
});
export const endpointB = makeEndpoint({ id: 'ep_b', url: 'http://127.0.0.1:4000/b', eventTypes: ['user.created'] });

export const signedHeaders = {
  'content-type': 'application/json',
  'user-agent': 'Hookbench/0.1.0',
  'webhook-id': 'evt_9',
  'webhook-timestamp': '1795700000',
  'webhook-signature': 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
};
