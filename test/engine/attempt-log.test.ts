// The attempt log keeps a dispatched request without its body when the body is the stored event rendered by the
// endpoint's scheme, and renders it again when read: what deliveries.get returns is still the bytes sent.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { call, startEngine } from '../support/engine';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

const receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

// awkward on purpose: non-ASCII, a line separator, numbers JSON rewrites, an integer-like key, a __proto__ key
const dataJson = '{"object":{"id":"ord_1","note":"é ☃ \\u2028","n":[1,2.50,-0,1e21],"__proto__":{"a":1},"10":"x"}}';

describe('attempt log', () => {
  for (const scheme of ['standard', 'stripe', 'github'] as const) {
    it(`stores the ${scheme} request without its body and returns the body exactly as sent`, async () => {
      const r = await startTestReceiver();
      receivers.push(r);
      const engine = await startEngine();
      await call(engine, 'endpoints.create', { url: `${r.url}/hook`, scheme });
      const ev = await call(engine, 'events.create', { type: 'order.created', data: JSON.parse(dataJson) });
      const id = ev.deliveries![0]!.id;
      const d = await waitFor(async () => {
        const got = await call(engine, 'deliveries.get', { id });
        return got.status === 'succeeded' ? got : null;
      });
      const sent = r.requests[0]!;
      expect(d.attempts[0]!.request.body).toBe(sent.body);
      expect(d.attempts[0]!.request.url).toBe(`${r.url}/hook`);
      for (const [k, v] of Object.entries(d.attempts[0]!.request.headers)) expect(sent.headers[k], k).toBe(v);

      const db = new Database(engine.dbPath, { readonly: true });
      const row = db.prepare('SELECT request FROM attempts WHERE delivery_id = ?').get(id) as { request: string };
      db.close();
      const stored = JSON.parse(row.request);
      expect(stored).not.toHaveProperty('body');
      expect(stored.render).toBe(scheme);
    });
  }

  it('keeps the body of a webhooks.test attempt as it is', async () => {
    const r = await startTestReceiver();
    receivers.push(r);
    const engine = await startEngine();
    const ep = await call(engine, 'endpoints.create', { url: r.url });
    const out = await call(engine, 'webhooks.test', { endpointId: ep.id, type: 'a.b', data: { x: 1 } });
    const db = new Database(engine.dbPath, { readonly: true });
    const row = db.prepare('SELECT request FROM attempts WHERE delivery_id = ?').get(out.deliveryId) as {
      request: string;
    };
    db.close();
    expect(JSON.parse(row.request).body).toBe(r.requests[0]!.body);
    const d = await call(engine, 'deliveries.get', { id: out.deliveryId! });
    expect(d.attempts[0]!.request.body).toBe(r.requests[0]!.body);
  });
});
