// Events, deliveries and test sends over REST against a real engine and real receivers: idempotency, filters,
// cursor pagination, retry, cancel, retry-matching, preview. Answers are checked against the OpenAPI document.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, FAST_RETRY, type Receiver, routeCaller, startApi, startReceiver, waitFor } from './harness';
import { DELIVERY_ROUTES } from './route-coverage';

let api: Api;
let ok: Receiver;
let failing: Receiver;
let epA: string; // every type, answers 200
let epB: string; // order.* only, answers 500
const covered = new Set<string>();
const call = routeCaller(() => api, covered);
const ids = (list: { data: { id: string }[] }) => list.data.map((d) => d.id);

beforeAll(async () => {
  api = await startApi();
  ok = await startReceiver(() => 200);
  failing = await startReceiver(() => 500);
  await api.call('PATCH', '/settings', {
    body: { retry: { ...FAST_RETRY, maxAttempts: 2 }, autoDisable: { threshold: 0 } },
  });
  epA = (await api.call('POST', '/endpoints', { body: { url: ok.hookUrl } })).body.id;
  epB = (await api.call('POST', '/endpoints', { body: { url: failing.hookUrl, eventTypes: ['order.*'] } })).body.id;
});
afterAll(async () => {
  await api?.close();
  await ok?.stop();
  await failing?.stop();
});

async function settled(expected: number) {
  return waitFor(async () => {
    const all = (await api.call('GET', '/deliveries?limit=500')).body;
    const busy = all.data.filter((d: { status: string }) => d.status === 'pending' || d.status === 'sending');
    return all.data.length === expected && busy.length === 0 ? all : null;
  }, `${expected} settled deliveries`);
}

describe('events over REST', () => {
  it('honours Idempotency-Key: same body -> same event, no new deliveries; other body -> conflict', async () => {
    const headers = { 'idempotency-key': 'order-1001' };
    const body = { type: 'order.created', data: { order: 1001 } };
    const first = await call('events.create', 'POST', '/events', { body, headers });
    const again = await call('events.create', 'POST', '/events', { body, headers });
    expect(again.id).toBe(first.id);
    const other = await api.call('POST', '/events', { body: { ...body, data: { order: 1002 } }, headers });
    expect([409, 422]).toContain(other.status);
    expect(['conflict', 'unprocessable']).toContain(other.body.error.code);
    const deliveries = await call('deliveries.list', 'GET', `/deliveries?eventId=${first.id}`);
    expect(deliveries.data.map((d: { endpointId: string }) => d.endpointId).sort()).toEqual([epA, epB].sort());
    expect((await call('events.list', 'GET', '/events')).data).toHaveLength(1);
    const got = await call('events.get', 'GET', `/events/${first.id}`);
    expect(got).toMatchObject({ id: first.id, type: 'order.created', data: { order: 1001 } });
    expect(got.deliveries).toHaveLength(2);
    // the same data written with its keys in another order is the same request
    const reordered = await call('events.create', 'POST', '/events', {
      body: { data: { order: 1001 }, type: 'order.created' },
      headers,
    });
    expect(reordered.id).toBe(first.id);
    // a body key that the header also gives must agree with it: nothing is created either way
    const both = await api.call('POST', '/events', { body: { ...body, idempotencyKey: 'order-2002' }, headers });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toBe(
      "The idempotency-key header and the body's idempotencyKey differ: give one of them",
    );
    const same = await api.call('POST', '/events', { body: { ...body, idempotencyKey: 'order-1001' }, headers });
    expect(same.body.id).toBe(first.id);
    expect((await call('events.list', 'GET', '/events')).data).toHaveLength(1);
  });

  it('previews the signed requests without writing anything', async () => {
    const preview = await call('events.preview', 'POST', '/events/preview', {
      body: { type: 'order.created', data: { n: 1 } },
    });
    expect(preview.requests.map((r: { endpointId: string }) => r.endpointId).sort()).toEqual([epA, epB].sort());
    expect(preview.requests[0].headers['webhook-signature']).toMatch(/^v1,/);
    expect((await api.call('GET', '/events')).body.data).toHaveLength(1);
  });

  it('rejects a bad event with 400 and creates nothing', async () => {
    const bad = await api.call('POST', '/events', { body: { type: 'not a type!', data: {} } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toEqual(['type']);
    const noData = await api.call('POST', '/events', { body: { type: 'a.b' } });
    expect(noData.status).toBe(400);
    expect(noData.body.error.message).toBe('Invalid input at data: required (any JSON value)');
    // data that breaks its catalog type's schema: 422 schema_violation, each issue with its instance path
    const violation = await api.call('POST', '/events', { body: { type: 'user.created', data: { object: {} } } });
    expect(violation.status).toBe(422);
    expect(violation.body.error.code).toBe('schema_violation');
    expect(violation.body.error.issues).toContainEqual(
      expect.objectContaining({ path: ['data', 'object'], instancePath: '/object', code: 'required' }),
    );
    expect((await api.call('GET', '/events')).body.data).toHaveLength(1);
    expect((await api.call('GET', '/deliveries')).body.data).toHaveLength(2);
  });
});

describe('deliveries over REST', () => {
  it('filters by endpoint, event, status (repeated or comma-separated) and type', async () => {
    for (let i = 0; i < 4; i++) await api.call('POST', '/events', { body: { type: 'order.created', data: { i } } });
    for (let i = 0; i < 3; i++)
      await api.call('POST', '/events', { body: { type: 'invoice.paid', validate: false, data: { i } } });
    await settled(2 + 4 * 2 + 3);
    const byA = await call('deliveries.list', 'GET', `/deliveries?endpointId=${epA}`);
    expect(byA.data).toHaveLength(8);
    expect(
      byA.data.every((d: { endpointId: string; status: string }) => d.endpointId === epA && d.status === 'succeeded'),
    ).toBe(true);
    const failed = (await api.call('GET', '/deliveries?status=failed')).body;
    expect(failed.data).toHaveLength(5);
    expect(
      failed.data.every(
        (d: { endpointId: string; attemptCount: number }) => d.endpointId === epB && d.attemptCount === 2,
      ),
    ).toBe(true);
    expect((await api.call('GET', '/deliveries?status=failed&status=succeeded')).body.data).toHaveLength(13);
    expect((await api.call('GET', '/deliveries?status=failed,succeeded&limit=100')).body.data).toHaveLength(13);
    expect((await api.call('GET', '/deliveries?status=paused')).body.data).toHaveLength(0);
    const invoices = (await api.call('GET', '/deliveries?type=invoice.paid')).body;
    expect(invoices.data.map((d: { eventType: string }) => d.eventType)).toEqual([
      'invoice.paid',
      'invoice.paid',
      'invoice.paid',
    ]);
    // blank filters, as a form sends them, are absent
    expect((await api.call('GET', '/deliveries?type=&status=&endpointId=&limit=')).body.data).toHaveLength(13);
    for (const q of ['status=nope', 'limit=0', 'limit=1000', 'endpointId=bad%20id']) {
      const res = await api.call('GET', `/deliveries?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.issues.length, q).toBeGreaterThan(0);
    }
    // a time that is not one says how to write it
    for (const q of ['since=2026-12-01', 'until=2026-12-01T09:00:00', 'since=yesterday']) {
      const res = await api.call('GET', `/deliveries?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.message, q).toContain(
        'ISO 8601 date-time with a zone (Z or ±hh:mm), such as 2026-12-01T09:00:00Z',
      );
    }
    expect((await api.call('GET', '/deliveries/count?since=2000-01-01T00:00:00%2B02:00')).body.count).toBe(13);
    // a wrong status is named with the values allowed, alone or among good ones
    for (const q of ['status=nope', 'status=failed,nope', 'status=failed&status=nope']) {
      const res = await api.call('GET', `/deliveries?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.message, q).toContain(
        'status: expected one of "pending"|"sending"|"succeeded"|"failed"|"paused"|"cancelled"',
      );
    }
  });

  it('pages with a cursor through every delivery, newest first, without repeats', async () => {
    const all = ids((await api.call('GET', '/deliveries?limit=500')).body);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: { id: string }[]; nextCursor: string | null } = await call(
        'deliveries.list',
        'GET',
        `/deliveries?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.data.length).toBeLessThanOrEqual(4);
      seen.push(...ids(page));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(13);
    const events = await call('events.list', 'GET', '/events?limit=3');
    expect(events.data).toHaveLength(3);
    expect(events.nextCursor).toEqual(expect.any(String));
    expect((await api.call('GET', '/events?type=invoice.paid')).body.data).toHaveLength(3);
    // a family, as the delivery log's filter takes it
    expect((await api.call('GET', '/events?type=invoice.*')).body.data).toHaveLength(3);
    expect((await api.call('GET', '/events?type=INVOICE.*')).body.data).toHaveLength(3);
    expect((await api.call('GET', '/events?type=invoicex.*')).body.data).toHaveLength(0);
    // the types fired, each once, sorted (what the UI's type filters offer besides the catalog)
    expect(await call('events.types', 'GET', '/events/types')).toEqual({
      data: ['invoice.paid', 'order.created'],
      truncated: false,
    });
    expect((await api.call('GET', '/events/types?limit=1')).body).toEqual({ data: ['invoice.paid'], truncated: true });
    for (const q of ['limit=0', 'limit=1001', 'limit=x', 'type=a']) {
      const res = await api.call('GET', `/events/types?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code, q).toBe('invalid_input');
    }
  });

  it('shows every attempt, retries one delivery and every failed one matching a filter', async () => {
    const [failedOne] = (await api.call('GET', `/deliveries?endpointId=${epB}&limit=1`)).body.data;
    const detail = await call('deliveries.get', 'GET', `/deliveries/${failedOne.id}`);
    expect(detail.attempts.map((a: { response: { status: number } }) => a.response.status)).toEqual([500, 500]);
    expect(detail.attempts[0].request.headers['webhook-id']).toBe(detail.eventId);
    const retried = await call('deliveries.retry', 'POST', `/deliveries/${failedOne.id}/retry`);
    expect(retried.id).toBe(failedOne.id);
    await waitFor(
      async () => (await api.call('GET', `/deliveries/${failedOne.id}`)).body.attempts.length >= 3,
      'the retried attempt',
    );
    await settled(13);
    // a dry run counts what would be retried and changes nothing
    const counted = await call('deliveries.retryMatching', 'POST', '/deliveries/retry-failed', {
      body: { endpointId: epB, dryRun: true },
    });
    expect(counted).toEqual({ retried: 5, dryRun: true });
    expect((await api.call('GET', `/deliveries/count?endpointId=${epB}&status=failed`)).body.count).toBe(5);
    const matching = await call('deliveries.retryMatching', 'POST', '/deliveries/retry-failed', {
      body: { endpointId: epB },
    });
    expect(matching).toEqual({ retried: 5, dryRun: false });
    await settled(13);
    expect((await api.call('GET', '/deliveries/dlv_missing')).status).toBe(404);
    expect((await api.call('POST', '/deliveries/dlv_missing/retry', { body: {} })).status).toBe(404);
    expect((await api.call('GET', '/events/evt_missing')).status).toBe(404);
  });

  it('cancels a delivery that waits for its next attempt', async () => {
    await api.call('PATCH', '/settings', {
      body: { retry: { initialDelayMs: 60_000, maxDelayMs: 60_000, maxAttempts: 5 } },
    });
    const event = (await api.call('POST', '/events', { body: { type: 'order.created', data: {}, endpointIds: [epB] } }))
      .body;
    const waiting = await waitFor(async () => {
      const [d] = (await api.call('GET', `/deliveries?eventId=${event.id}`)).body.data;
      return d?.status === 'pending' && d.attemptCount === 1 ? d : null;
    }, 'a delivery waiting to retry');
    const cancelled = await call('deliveries.cancel', 'POST', `/deliveries/${waiting.id}/cancel`);
    expect(cancelled.status).toBe('cancelled');
    const [succeeded] = (await api.call('GET', `/deliveries?endpointId=${epA}&limit=1`)).body.data;
    expect((await api.call('POST', `/deliveries/${succeeded.id}/cancel`, { body: {} })).status).toBe(409);
    await api.call('PATCH', '/settings', { body: { retry: { ...FAST_RETRY, maxAttempts: 2 } } });
  });
});

describe('finding deliveries over REST', () => {
  it('q searches event data and response bodies; status class and error kind filter; count; sign-now', async () => {
    const event = (
      await api.call('POST', '/events', {
        body: { type: 'invoice.paid', validate: false, data: { payer: 'Quetzalcoatl' } },
      })
    ).body;
    const [delivery] = event.deliveries;
    await waitFor(
      async () => (await api.call('GET', `/deliveries/${delivery.id}`)).body.status === 'succeeded',
      'the searched delivery',
    );
    const found = await call('deliveries.list', 'GET', '/deliveries?q=quetzal');
    expect(ids(found)).toEqual([delivery.id]);
    const count = await call('deliveries.count', 'GET', `/deliveries/count?q=quetzal&statusClass=2xx`);
    expect(count).toEqual({ count: 1 });
    const fiveHundreds = await call('deliveries.count', 'GET', `/deliveries/count?endpointId=${epB}&statusClass=5xx`);
    const failedOfB = (await api.call('GET', `/deliveries?endpointId=${epB}&limit=500`)).body.data.filter(
      (d: { lastStatus: number | null }) => d.lastStatus === 500,
    );
    expect(fiveHundreds.count).toBe(failedOfB.length);
    expect((await api.call('GET', '/deliveries/count?errorKind=refused')).body).toEqual({ count: 0 });
    expect((await api.call('GET', '/deliveries/count?statusClass=1xx')).status).toBe(400);
    const detail = await call('events.get', 'GET', `/events/${event.id}`);
    expect(detail.deliveries).toEqual([
      expect.objectContaining({
        id: delivery.id,
        endpointId: epA,
        status: 'succeeded',
        attemptCount: 1,
        lastStatus: 200,
      }),
    ]);
    const signed = await call('deliveries.signNow', 'POST', `/deliveries/${delivery.id}/sign-now`);
    expect(JSON.parse(signed.body)).toMatchObject({ id: event.id, data: { payer: 'Quetzalcoatl' } });
    expect(signed.headers['webhook-id']).toBe(event.id);
    expect((await api.call('POST', '/deliveries/dlv_missing/sign-now', { body: {} })).status).toBe(404);
  });
});

describe('test sends over REST', () => {
  it('sends to a bare URL, signed, and to a stored endpoint, logged', async () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const before = ok.requests.length;
    const bare = await call('webhooks.test', 'POST', '/webhooks/test', {
      body: { url: ok.hookUrl, secret, data: { hi: 1 } },
    });
    expect(bare.deliveryId).toBeNull();
    expect(bare.attempt.response.status).toBe(200);
    const got = ok.requests[before];
    expect(got).toBeDefined();
    expect(() => new Webhook(secret).verify(got?.body ?? '', got?.headers as Record<string, string>)).not.toThrow();
    const stored = await call('webhooks.test', 'POST', '/webhooks/test', { body: { endpointId: epA } });
    expect(stored.deliveryId).toEqual(expect.any(String));
    expect((await api.call('GET', `/deliveries/${stored.deliveryId}`)).status).toBe(200);
    const neither = await api.call('POST', '/webhooks/test', { body: {} });
    expect(neither.status).toBe(400);
  });

  it('covered every route it owns', () => {
    expect([...covered].sort()).toEqual([...DELIVERY_ROUTES].sort());
  });
});
