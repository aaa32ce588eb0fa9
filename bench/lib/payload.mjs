// The work every system does per delivery: a ~1 KiB Hookbench envelope, signed the Standard Webhooks way.
// One fixed secret for all systems so the receiver can spot-check every system's signatures alike.
import { createHmac, randomUUID } from 'node:crypto';

/** `whsec_` + base64 of 32 fixed bytes: the signing secret of every system in the run. */
export const BENCH_SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
export const EVENT_TYPE = 'invoice.paid';
export const PAYLOAD_BYTES = 1024;

const key = Buffer.from(BENCH_SECRET.slice('whsec_'.length), 'base64');

/** `data` sized so that the envelope of an event with a uuid id and an ISO date is PAYLOAD_BYTES long. */
export function makeData() {
  const base = { object: { id: 'in_1Q0bench', amount: 1999, currency: 'eur', customer: 'cus_bench', note: '' } };
  const probe = envelope(randomUUID(), new Date().toISOString(), base);
  const pad = Math.max(0, PAYLOAD_BYTES - Buffer.byteLength(JSON.stringify(probe)));
  return { object: { ...base.object, note: 'x'.repeat(pad) } };
}

/** The body bytes of a delivery, same field order as the Hookbench envelope. */
export function envelope(id, createdAt, data) {
  return { id, type: EVENT_TYPE, version: 'v1', created_at: createdAt, data };
}

/** Standard Webhooks headers for one attempt: HMAC-SHA256(key, "<id>.<ts>.<body>"), base64. */
export function signHeaders(msgId, timestamp, body) {
  const sig = createHmac('sha256', key).update(`${msgId}.${timestamp}.${body}`).digest('base64');
  return {
    'content-type': 'application/json',
    'webhook-id': msgId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${sig}`,
  };
}

/** True when the headers carry a valid v1 signature of body under BENCH_SECRET (the receiver's spot check). */
export function verifySignature(headers, body) {
  const id = headers['webhook-id'];
  const ts = headers['webhook-timestamp'];
  const sigs = String(headers['webhook-signature'] ?? '').split(' ');
  if (typeof id !== 'string' || typeof ts !== 'string') return false;
  const expected = `v1,${createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64')}`;
  return sigs.includes(expected);
}
