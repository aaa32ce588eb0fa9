// GET /api/v1/stream against a real engine: push topics as server-sent events, heartbeats, token required.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, openStream, type Receiver, startApi, startReceiver, waitFor } from './harness';

let api: Api;
let ok: Receiver;

beforeAll(async () => {
  api = await startApi({ stream: { heartbeatMs: 100, coalesceMs: 50 } });
  ok = await startReceiver(() => 200);
});
afterAll(async () => {
  await api?.close();
  await ok?.stop();
});

describe('server-sent events', () => {
  it('streams event.created and delivery.updated for a fired event', async () => {
    const stream = await openStream(api.url);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(Object.keys(stream.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    const endpoint = (await api.call('POST', '/endpoints', { body: { url: ok.hookUrl } })).body;
    const event = (await api.call('POST', '/events', { body: { type: 'user.signed_up', data: { user: 'u_1' } } })).body;

    await waitFor(() => stream.of('event.created').some((e) => e.id === event.id), 'event.created');
    expect(stream.of('event.created').find((e) => e.id === event.id)).toEqual({
      id: event.id,
      type: 'user.signed_up',
      deliveryCount: 1,
    });
    const final = await waitFor(
      () => stream.of('delivery.updated').find((d) => d.eventId === event.id && d.status === 'succeeded'),
      'delivery.updated succeeded',
    );
    expect(final).toMatchObject({ endpointId: endpoint.id, attemptCount: 1, lastStatus: 200 });
    stream.close();
  });

  it('sends heartbeats and ends cleanly when the client leaves', async () => {
    const stream = await openStream(api.url);
    await waitFor(() => stream.raw().includes(': heartbeat'), 'a heartbeat');
    stream.close();
    // the server keeps serving other clients after one disconnects
    const next = await openStream(api.url);
    await waitFor(() => next.raw().includes(': connected'), 'the second client connected');
    next.close();
    expect((await api.call('GET', '/health')).status).toBe(200);
  });

  it('needs the token', async () => {
    const stream = await openStream(api.url, null);
    expect(stream.status).toBe(401);
    stream.close();
  });

  it('ends open streams cleanly when the server stops', async () => {
    const other = await startApi();
    const stream = await openStream(other.url);
    await waitFor(() => stream.raw().includes(': connected'), 'connected');
    await other.close();
    // A clean end of the response, not a cut connection (which is the fallback for stuck sockets).
    await waitFor(() => stream.state.ended || stream.state.errored, 'the stream to end');
    expect(stream.state).toEqual({ ended: true, errored: false });
  });
});
