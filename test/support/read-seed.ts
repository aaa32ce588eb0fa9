// The same delivery log for each store under test, written through plain SQL with fixed ids and times: endpoints
// enabled, auto- and manually disabled, deleted; events of a type family (one in other case), a type with `_` and a
// time tie; deliveries in every status with attempts, response bodies and each kind of transport error.

/** plain SQL with `?` placeholders (see read-stores.ts) */
type Sql = (text: string, params?: unknown[]) => Promise<unknown>;

/** 2026-11-01T00:00:00Z: every seeded time is this plus a few seconds */
export const T0 = Date.parse('2026-11-01T00:00:00.000Z');

export const SEED_ENDPOINTS = [
  { id: 'ep_a', enabled: 1, disabledBy: null, deletedAt: null },
  { id: 'ep_b', enabled: 1, disabledBy: null, deletedAt: null },
  { id: 'ep_off', enabled: 0, disabledBy: 'auto', deletedAt: null },
  { id: 'ep_manual', enabled: 0, disabledBy: 'manual', deletedAt: null },
  { id: 'ep_gone', enabled: 1, disabledBy: null, deletedAt: T0 },
] as const;

/** [id, type, seconds after T0, data]: a type family (invoice.*, one of it in other case), `_` in a type, a tie */
export const SEED_EVENTS: ReadonlyArray<readonly [string, string, number, unknown]> = [
  ['evt_01', 'invoice.paid', 1, { customer: { email: 'ada@example.com', name: 'Ada Lovelace' }, amount: 1250 }],
  [
    'evt_02',
    'invoice.created',
    2,
    { customer: { email: 'grace@navy.mil', name: 'Grace Hopper' }, note: 'quick brown fox' },
  ],
  ['evt_03', 'invoice.voided', 3, { reason: 'duplicate charge', amount: 99 }],
  ['evt_04', 'customer.created', 4, { email: 'linus@kernel.org', plan: 'Pro' }],
  ['evt_05', 'inv_ice.test', 5, { note: 'underscore family' }],
  ['evt_06', 'invoicex.paid', 6, { note: 'not of the invoice family' }],
  ['evt_07', 'customer.deleted', 7, { email: 'ada@example.com', reason: 'gdpr request' }],
  ['evt_08', 'order.shipped', 7, { carrier: 'DHL', tracking: 'ZX-77' }],
  ['evt_09', 'order.shipped', 9, { carrier: 'UPS' }],
  ['evt_10', 'invoice.paid', 10, { customer: { email: 'alan@turing.org' }, amount: 4200 }],
  ['evt_11', 'Invoice.refunded', 11, { amount: 1250, note: 'partial' }],
  ['evt_12', 'ping', 12, {}],
];

interface SeedDelivery {
  id: string;
  event: string;
  endpoint: string;
  status: string;
  attempts: number;
  lastStatus?: number;
  /** the last attempt's response body (with lastStatus) */
  body?: string;
  /** the last attempt's transport error (no lastStatus) */
  error?: string;
  pausedReason?: string;
  /** the last attempt's request was logged without its body: rendered again from the event */
  rendered?: boolean;
}

export const SEED_DELIVERIES: readonly SeedDelivery[] = [
  { id: 'dlv_01', event: 'evt_01', endpoint: 'ep_a', status: 'succeeded', attempts: 1, lastStatus: 200, body: 'ok' },
  {
    id: 'dlv_02',
    event: 'evt_01',
    endpoint: 'ep_b',
    status: 'failed',
    attempts: 3,
    lastStatus: 500,
    body: 'Internal Server Error: database locked',
  },
  { id: 'dlv_03', event: 'evt_02', endpoint: 'ep_a', status: 'pending', attempts: 0 },
  { id: 'dlv_04', event: 'evt_02', endpoint: 'ep_b', status: 'failed', attempts: 2, error: 'timeout after 15000 ms' },
  {
    id: 'dlv_05',
    event: 'evt_03',
    endpoint: 'ep_a',
    status: 'failed',
    attempts: 1,
    error: 'connect ECONNREFUSED 127.0.0.1:9',
  },
  {
    id: 'dlv_06',
    event: 'evt_03',
    endpoint: 'ep_b',
    status: 'failed',
    attempts: 1,
    error: 'TLS error: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)',
  },
  {
    id: 'dlv_07',
    event: 'evt_04',
    endpoint: 'ep_a',
    status: 'failed',
    attempts: 2,
    error: 'invalid HTTP response: Expected HTTP/ (HPE_INVALID_CONSTANT)',
  },
  {
    id: 'dlv_08',
    event: 'evt_04',
    endpoint: 'ep_off',
    status: 'paused',
    attempts: 0,
    pausedReason: 'endpoint_auto_disabled',
  },
  { id: 'dlv_09', event: 'evt_05', endpoint: 'ep_a', status: 'cancelled', attempts: 0 },
  { id: 'dlv_10', event: 'evt_05', endpoint: 'ep_b', status: 'sending', attempts: 1, lastStatus: 503, body: 'busy' },
  { id: 'dlv_11', event: 'evt_06', endpoint: 'ep_a', status: 'succeeded', attempts: 2, lastStatus: 204, body: '' },
  { id: 'dlv_12', event: 'evt_06', endpoint: 'ep_off', status: 'failed', attempts: 3, lastStatus: 410, body: 'Gone' },
  {
    id: 'dlv_13',
    event: 'evt_07',
    endpoint: 'ep_manual',
    status: 'failed',
    attempts: 1,
    lastStatus: 404,
    body: 'no such hook',
  },
  {
    id: 'dlv_14',
    event: 'evt_07',
    endpoint: 'ep_gone',
    status: 'failed',
    attempts: 1,
    lastStatus: 500,
    // NUL bytes as a receiver may send them (two in a row, one after a backslash), after the text `\u0000`
    body: 'lit\\u0000eral kept\\\u0000\u0000cut off',
  },
  {
    id: 'dlv_15',
    event: 'evt_08',
    endpoint: 'ep_a',
    status: 'succeeded',
    attempts: 1,
    lastStatus: 200,
    body: 'ok DHL received',
    rendered: true,
  },
  { id: 'dlv_16', event: 'evt_08', endpoint: 'ep_b', status: 'failed', attempts: 3, lastStatus: 302, body: 'Moved' },
  {
    id: 'dlv_17',
    event: 'evt_09',
    endpoint: 'ep_a',
    status: 'pending',
    attempts: 1,
    lastStatus: 503,
    body: 'Temporarily Unavailable',
  },
  {
    id: 'dlv_18',
    event: 'evt_10',
    endpoint: 'ep_a',
    status: 'succeeded',
    attempts: 1,
    lastStatus: 201,
    body: 'created',
  },
  { id: 'dlv_19', event: 'evt_10', endpoint: 'ep_b', status: 'failed', attempts: 2, error: 'request Timed Out' },
  {
    id: 'dlv_20',
    event: 'evt_11',
    endpoint: 'ep_manual',
    status: 'paused',
    attempts: 0,
    pausedReason: 'endpoint_disabled',
  },
  { id: 'dlv_21', event: 'evt_11', endpoint: 'ep_b', status: 'pending', attempts: 0 },
  {
    id: 'dlv_22',
    event: 'evt_12',
    endpoint: 'ep_a',
    status: 'failed',
    attempts: 1,
    error: 'Response does not match the HTTP/1.1 protocol (Invalid header value char)',
  },
  { id: 'dlv_23', event: 'evt_12', endpoint: 'ep_b', status: 'cancelled', attempts: 0 },
  {
    id: 'dlv_24',
    event: 'evt_09',
    endpoint: 'ep_b',
    status: 'failed',
    attempts: 1,
    error: 'Request body length does not match content-length header (UND_ERR_CONTENT_LENGTH_MISMATCH)',
  },
  {
    id: 'dlv_25',
    event: 'evt_03',
    endpoint: 'ep_b',
    status: 'failed',
    attempts: 1,
    lastStatus: 422,
    body: '100%_done',
  },
  {
    id: 'dlv_26',
    event: 'evt_03',
    endpoint: 'ep_a',
    status: 'failed',
    attempts: 1,
    lastStatus: 422,
    body: '100ab done',
  },
];

const eventTime = (id: string) => T0 + (SEED_EVENTS.find((e) => e[0] === id)?.[2] ?? 0) * 1000;

/** The same endpoints, events, deliveries and attempts into one store. */
export async function seedReadLog(sql: Sql): Promise<void> {
  for (const ep of SEED_ENDPOINTS) {
    await sql(
      `INSERT INTO endpoints (id, url, event_types, enabled, disabled_by, created_at, updated_at, deleted_at)
       VALUES (?, ?, '["*"]', ?, ?, ?, ?, ?)`,
      [ep.id, `http://127.0.0.1:9/${ep.id}`, ep.enabled, ep.disabledBy, T0, T0, ep.deletedAt],
    );
  }
  for (const [id, type, seconds, data] of SEED_EVENTS) {
    await sql("INSERT INTO events (id, type, version, created_at, data) VALUES (?, ?, 'v1', ?, ?)", [
      id,
      type,
      T0 + seconds * 1000,
      JSON.stringify(data),
    ]);
  }
  for (const d of SEED_DELIVERIES) {
    const [, type] = SEED_EVENTS.find((e) => e[0] === d.event) ?? [];
    const created = eventTime(d.event);
    await sql(
      `INSERT INTO deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, max_attempts,
         next_attempt_at, lease_until, lease_seq, last_status, last_duration_ms, last_error, paused_reason,
         created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 3, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        d.id,
        d.event,
        d.endpoint,
        type,
        d.status,
        d.attempts,
        d.status === 'pending' ? created + 60_000 : null,
        d.status === 'sending' ? created + 30_000 : null,
        d.attempts + (d.status === 'sending' ? 1 : 0),
        d.lastStatus ?? null,
        d.attempts > 0 ? 12.5 : null,
        d.error ?? (d.lastStatus && d.lastStatus >= 300 ? `HTTP ${d.lastStatus}` : null),
        d.pausedReason ?? null,
        created,
        created + 500,
      ],
    );
    for (let n = 1; n <= d.attempts; n++) {
      const last = n === d.attempts;
      const request = {
        url: `http://127.0.0.1:9/${d.endpoint}`,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-id': d.event },
        ...(last && d.rendered ? { render: 'standard' } : { body: `{"attempt":${n}}` }),
      };
      // earlier attempts answered 500 with a body no search of the last response may find
      const status = last ? d.lastStatus : 500;
      const response =
        status === undefined
          ? null
          : {
              status,
              headers: { 'content-type': 'text/plain' },
              body: last ? d.body : 'earlier failure',
              truncated: false,
            };
      await sql(
        `INSERT INTO attempts (delivery_id, endpoint_id, number, started_at, duration_ms, succeeded, request, response,
           error, superseded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          d.id,
          d.endpoint,
          n,
          created + n * 100,
          12.5 + n,
          status !== undefined && status < 300 && status >= 200 ? 1 : 0,
          JSON.stringify(request),
          response === null ? null : JSON.stringify(response),
          last && d.error ? d.error : null,
          // dlv_11's first attempt came back after its lease was lost
          d.id === 'dlv_11' && n === 1 ? 1 : 0,
        ],
      );
    }
  }
}
