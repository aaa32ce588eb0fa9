// The catalog's built-in event types: a JSON Schema (draft 2020-12) for `data` and a realistic example that
// Compose loads as a template. Seeded by migration 1; they cannot be deleted (their text can be edited).

interface BuiltInEventType {
  name: string;
  description: string;
  schema: Record<string, unknown>;
  example: unknown;
}

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
const money = { type: 'integer', minimum: 0, description: 'amount in the smallest currency unit' };
const currency = { type: 'string', pattern: '^[a-z]{3}$' };
const timestamp = { type: 'string', format: 'date-time' };

function objectSchema(title: string, properties: Record<string, unknown>, required: string[]) {
  return {
    $schema: DRAFT,
    title,
    type: 'object',
    required: ['object'],
    properties: { object: { type: 'object', required, properties } },
  };
}

export const builtInEventTypes: readonly BuiltInEventType[] = [
  {
    name: 'invoice.paid',
    description: 'An invoice was paid in full',
    schema: objectSchema(
      'invoice.paid',
      {
        id: { type: 'string' },
        customer_id: { type: 'string' },
        amount_paid: money,
        currency,
        paid_at: timestamp,
        lines: {
          type: 'array',
          items: {
            type: 'object',
            required: ['description', 'amount'],
            properties: { description: { type: 'string' }, amount: money, quantity: { type: 'integer' } },
          },
        },
      },
      ['id', 'customer_id', 'amount_paid', 'currency'],
    ),
    example: {
      object: {
        id: 'inv_1042',
        customer_id: 'cus_8812',
        amount_paid: 4900,
        currency: 'eur',
        paid_at: '2026-11-26T12:00:00.000Z',
        lines: [{ description: 'Pro plan (monthly)', amount: 4900, quantity: 1 }],
      },
    },
  },
  {
    name: 'payment.completed',
    description: 'A payment was captured',
    schema: objectSchema(
      'payment.completed',
      {
        id: { type: 'string' },
        amount: money,
        currency,
        method: { type: 'string', enum: ['card', 'sepa_debit', 'bank_transfer', 'wallet'] },
        invoice_id: { type: ['string', 'null'] },
        captured_at: timestamp,
      },
      ['id', 'amount', 'currency', 'method'],
    ),
    example: {
      object: {
        id: 'pay_7731',
        amount: 12_500,
        currency: 'usd',
        method: 'card',
        invoice_id: 'inv_1042',
        captured_at: '2026-11-26T12:00:00.000Z',
      },
    },
  },
  {
    name: 'order.shipped',
    description: 'An order left the warehouse',
    schema: objectSchema(
      'order.shipped',
      {
        id: { type: 'string' },
        carrier: { type: 'string' },
        tracking_number: { type: 'string' },
        shipped_at: timestamp,
        items: {
          type: 'array',
          items: {
            type: 'object',
            required: ['sku', 'quantity'],
            properties: { sku: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } },
          },
        },
      },
      ['id', 'carrier', 'tracking_number'],
    ),
    example: {
      object: {
        id: 'ord_5520',
        carrier: 'DHL',
        tracking_number: 'JD014600006281298374',
        shipped_at: '2026-11-26T12:00:00.000Z',
        items: [
          { sku: 'TSHIRT-BLK-M', quantity: 2 },
          { sku: 'MUG-WHT', quantity: 1 },
        ],
      },
    },
  },
  {
    name: 'user.created',
    description: 'A user signed up',
    schema: objectSchema(
      'user.created',
      {
        id: { type: 'string' },
        email: { type: 'string', format: 'email' },
        name: { type: 'string' },
        plan: { type: 'string', enum: ['free', 'pro', 'team'] },
        created_at: timestamp,
      },
      ['id', 'email'],
    ),
    example: {
      object: {
        id: 'usr_3109',
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        plan: 'free',
        created_at: '2026-11-26T12:00:00.000Z',
      },
    },
  },
];
