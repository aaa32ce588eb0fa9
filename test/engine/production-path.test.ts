// Engine tests run the production path (issue 10): an engine started by the test helper sends its webhooks from the
// HTTP worker thread, as the built app and `serve` do, not from the engine's own thread. Seen from outside: undici
// announces every request it creates on a diagnostics channel of the thread that sends it, and diagnostics channels
// are per thread, so a subscriber here sees the engine's requests only when they leave from this thread.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { call, startEngine } from '../support/engine';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

const CHANNEL = 'undici:request:create';

const receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

/** Delivers one event through an engine; resolves to the requests to the receiver that undici created on this thread. */
async function requestsFromThisThread(opts: Parameters<typeof startEngine>[0]): Promise<number> {
  const receiver = await startTestReceiver();
  receivers.push(receiver);
  const port = `:${receiver.port}`;
  let seen = 0;
  const onCreate = (message: unknown) => {
    const { request } = message as { request: { origin?: unknown } };
    if (String(request.origin).endsWith(port)) seen++;
  };
  subscribe(CHANNEL, onCreate);
  try {
    const engine = await startEngine(opts);
    const endpoint = await call(engine, 'endpoints.create', { url: `${receiver.url}/hook` });
    const event = await call(engine, 'events.create', { type: 'bench.tick', data: { n: 1 } });
    await waitFor(async () => {
      const page = await call(engine, 'deliveries.list', { eventId: event.id, endpointId: endpoint.id });
      return page.data[0]?.status === 'succeeded';
    });
    expect(receiver.requests.length).toBe(1);
    return seen;
  } finally {
    unsubscribe(CHANNEL, onCreate);
  }
}

describe('the production path in engine tests', () => {
  it('the HTTP worker is bundled for the test run', () => {
    expect(inject('httpWorkerFile')).toMatch(/http-worker\.mjs$/);
  });

  it('an engine started by the test helper sends from the HTTP worker thread', async () => {
    expect(await requestsFromThisThread({})).toBe(0);
  });

  it('(control) with httpWorker: false the same delivery is seen leaving from this thread', async () => {
    expect(await requestsFromThisThread({ httpWorker: false })).toBe(1);
  });
});
