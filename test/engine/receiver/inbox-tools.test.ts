// Inbox tools through a real engine: forwarding captured requests to a real local server (by hand and live),
// exporting them as JSON and as HAR 1.2 (checked against the HAR JSON Schema), and re-verifying on link.
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import Ajv from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { reachesReceiver } from '../../../src/main/engine/receiver/self-address';
import { call, startEngine } from '../../support/engine';
import { startTestReceiver, type TestReceiver } from '../../support/receiver';
import { waitFor } from '../../support/wait';
import { send } from './helpers';

const receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

async function engineWithInbox() {
  const engine = await startEngine({ inbox: {} });
  if (!engine.inboxBaseUrl()) throw new Error('the inbox receiver did not start');
  return engine;
}

/** a local server that answers 202 with what it got, like a dev server's webhook route */
async function localServer(): Promise<TestReceiver> {
  const r = await startTestReceiver({
    respond: (req) => ({ status: 202, headers: { 'x-local': 'yes' }, body: `got ${req.body.length} bytes` }),
  });
  receivers.push(r);
  return r;
}

function harValidator() {
  const require = createRequire(import.meta.url);
  const schemas = require('har-schema') as Record<string, object>;
  // formats (date-time, uri) are not checked: ajv needs a plugin for them; the zod output schema checks dates
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  for (const s of Object.values(schemas)) ajv.addSchema(s);
  const validate = ajv.getSchema('har.json#');
  if (!validate) throw new Error('har.json schema not found');
  return validate;
}

describe('inbox forwarding', () => {
  it('forwards selected requests with their original method, headers and body, and keeps each answer', async () => {
    const engine = await engineWithInbox();
    const local = await localServer();
    const inbox = await call(engine, 'inboxes.create', { name: 'fwd' });
    await send(`${inbox.url}/hooks?x=1`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1', 'x-custom': 'kept' },
      body: '{"type":"invoice.paid"}',
    });
    await send(inbox.url, { method: 'POST', body: 'second' });
    const { data } = await call(engine, 'inboxes.requests', { id: inbox.id });
    expect(data).toHaveLength(2);
    const [newest, oldest] = data;

    const out = await call(engine, 'inboxes.forward', {
      id: inbox.id,
      url: `${local.url}/webhooks`,
      requestIds: [oldest?.id as string, newest?.id as string],
    });
    expect(out.results.map((r) => r.requestId)).toEqual([oldest?.id, newest?.id]);
    expect(out.results[0]?.forward).toMatchObject({ status: 202, body: 'got 23 bytes', error: null });
    expect(out.results[0]?.forward.headers['x-local']).toBe('yes');
    expect(local.requests).toHaveLength(2);
    expect(local.requests[0]).toMatchObject({ method: 'PUT', path: '/webhooks', body: '{"type":"invoice.paid"}' });
    expect(local.requests[0]?.headers).toMatchObject({ 'webhook-id': 'msg_1', 'x-custom': 'kept' });
    expect(local.requests[0]?.headers.host).toBe(new URL(local.url).host);
    expect(local.requests[1]).toMatchObject({ method: 'POST', body: 'second' });

    // the answer is shown next to the captured request
    const after = await call(engine, 'inboxes.requests', { id: inbox.id });
    expect(after.data.find((r) => r.id === oldest?.id)?.forward).toMatchObject({ status: 202 });
  });

  it('a refused connection is a result with the reason; an unknown request id forwards nothing', async () => {
    const engine = await engineWithInbox();
    const local = await localServer();
    const inbox = await call(engine, 'inboxes.create', {});
    await send(inbox.url, { body: '{}' });
    const [req] = (await call(engine, 'inboxes.requests', { id: inbox.id })).data;
    const closedPort = local.port;
    await local.stop();
    await send(inbox.url, { body: '{"second":true}' });
    const second = (await call(engine, 'inboxes.requests', { id: inbox.id })).data[0];
    const out = await call(engine, 'inboxes.forward', {
      id: inbox.id,
      url: `http://127.0.0.1:${closedPort}/webhooks`,
      requestIds: [req?.id as string, second?.id as string],
    });
    expect(out.results[0]?.forward).toMatchObject({ status: null, error: expect.stringMatching(/refused/) });
    // the server is down: the rest are reported, not sent
    expect(out.results[1]).toMatchObject({
      requestId: second?.id,
      forward: { status: null, durationMs: 0, error: expect.stringMatching(/^not sent: an earlier request/) },
    });

    const other = await localServer();
    await expect(
      call(engine, 'inboxes.forward', { id: inbox.id, url: other.url, requestIds: [req?.id as string, 'nope'] }),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect(other.requests).toHaveLength(0);
    await expect(
      call(engine, 'inboxes.forward', { id: inbox.id, url: 'ftp://x', requestIds: [req?.id as string] }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('live forwarding sends each new request as it arrives, until stopped', async () => {
    const engine = await engineWithInbox();
    const local = await localServer();
    const inbox = await call(engine, 'inboxes.create', {});
    const forwarded: unknown[] = [];
    engine.on('inbox.forwarded', (p) => forwarded.push(p));
    const on = await call(engine, 'inboxes.update', { id: inbox.id, forwardUrl: local.url });
    expect(on.forwardUrl).toBe(local.url);
    await send(inbox.url, { body: '{"n":1}', headers: { 'content-type': 'application/json' } });
    await waitFor(() => (local.requests.length === 1 && forwarded.length === 1 ? true : null));
    expect(local.requests[0]?.body).toBe('{"n":1}');

    const off = await call(engine, 'inboxes.update', { id: inbox.id, forwardUrl: null });
    expect(off.forwardUrl).toBeNull();
    await send(inbox.url, { body: '{"n":2}' });
    await waitFor(async () => ((await call(engine, 'inboxes.get', { id: inbox.id })).requestCount === 2 ? 1 : null));
    expect(local.requests).toHaveLength(1);
  });
});

describe('forwarding that would loop', () => {
  it('refuses live forwarding to this inbox receiver (the inbox itself, another inbox, any name of this machine)', async () => {
    const engine = await engineWithInbox();
    const inbox = await call(engine, 'inboxes.create', {});
    const other = await call(engine, 'inboxes.create', {});
    const base = engine.inboxBaseUrl() as string;
    const port = new URL(base).port;
    for (const url of [
      inbox.url,
      other.url,
      `http://localhost:${port}/in/${inbox.id}`,
      `http://[::1]:${port}/anything`,
      `http://${hostname()}:${port}/`,
    ]) {
      await expect(call(engine, 'inboxes.update', { id: inbox.id, forwardUrl: url }), url).rejects.toMatchObject({
        code: 'invalid_input',
        message: expect.stringContaining("is this Hookbench's inbox receiver"),
      });
    }
    // nothing changed: no forwarding, and a request is captured once
    expect((await call(engine, 'inboxes.get', { id: inbox.id })).forwardUrl).toBeNull();
    await send(inbox.url, { body: '{"n":1}' });
    await waitFor(async () => ((await call(engine, 'inboxes.get', { id: inbox.id })).requestCount === 1 ? 1 : null));
    // another port of this machine is a local server, as forwarding is for
    const local = await localServer();
    expect((await call(engine, 'inboxes.update', { id: inbox.id, forwardUrl: local.url })).forwardUrl).toBe(local.url);
  });

  it('tells a URL that reaches a receiver from one that does not', () => {
    const self = 'http://127.0.0.1:4100';
    for (const url of [
      'http://127.0.0.1:4100/in/x',
      'http://localhost:4100',
      'http://127.0.0.2:4100/',
      'http://[::1]:4100',
      'http://0.0.0.0:4100',
      // the same addresses written otherwise: IPv4-mapped IPv6, a fully qualified name's final dot
      'http://[::ffff:127.0.0.1]:4100/in/x',
      'http://[::ffff:7f00:1]:4100',
      'http://[::ffff:0.0.0.0]:4100',
      'http://localhost.:4100/',
      'http://LOCALHOST..:4100/',
    ]) {
      expect(reachesReceiver(url, self), url).toBe(true);
    }
    for (const url of [
      'http://127.0.0.1:4101/in/x',
      'http://127.0.0.1/in/x',
      'https://127.0.0.1/x',
      'http://example.com:4100/',
      'http://[::ffff:192.0.2.1]:4100/',
      'not a url',
    ]) {
      expect(reachesReceiver(url, self), url).toBe(false);
    }
    expect(reachesReceiver('https://localhost/x', 'http://127.0.0.1:443')).toBe(true);
  });
});

describe('inbox export', () => {
  it('exports captured requests as JSON and as a valid HAR 1.2 archive', async () => {
    const engine = await engineWithInbox();
    const inbox = await call(engine, 'inboxes.create', {
      name: 'export me',
      script: {
        status: 201,
        headers: { 'content-type': 'text/plain', 'x-answer': 'yes' },
        body: 'thanks',
        delayMs: 20,
      },
    });
    await send(`${inbox.url}/orders?page=2`, {
      headers: { 'content-type': 'application/json', 'webhook-id': 'msg_9' },
      body: '{"type":"order.created"}',
    });
    await send(inbox.url, { method: 'GET' });

    // one of them forwarded to a local server: the export carries its answer, as the list does
    const local = await localServer();
    const listed = (await call(engine, 'inboxes.requests', { id: inbox.id })).data;
    const posted = listed.find((r) => r.method === 'POST')?.id as string;
    await call(engine, 'inboxes.forward', { id: inbox.id, url: `${local.url}/hooks`, requestIds: [posted] });

    const json = await call(engine, 'inboxes.export', { id: inbox.id, format: 'json' });
    if (!('requests' in json)) throw new Error('expected the JSON export');
    expect(json.inbox.name).toBe('export me');
    expect(json.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
    expect(json.requests[0]?.forward).toBeUndefined();
    expect(json.requests[1]?.forward).toMatchObject({ url: `${local.url}/hooks`, status: 202, body: 'got 24 bytes' });
    expect(json.requests).toEqual((await call(engine, 'inboxes.requests', { id: inbox.id })).data);

    const har = await call(engine, 'inboxes.export', { id: inbox.id, format: 'har' });
    if (!('log' in har)) throw new Error('expected the HAR export');
    const validate = harValidator();
    expect(validate(har), JSON.stringify(validate.errors)).toBe(true);
    const post = har.log.entries[1];
    expect(post?.request).toMatchObject({
      method: 'POST',
      url: `${new URL(inbox.url).origin}/in/${inbox.id}/orders?page=2`,
      queryString: [{ name: 'page', value: '2' }],
      postData: { mimeType: 'application/json', text: '{"type":"order.created"}' },
    });
    expect(post?.request.headers).toContainEqual({ name: 'webhook-id', value: 'msg_9' });
    // what the inbox answered, as its script wrote it, with its delay as the wait
    expect(post?.response).toMatchObject({
      status: 201,
      statusText: 'Created',
      content: { size: 6, mimeType: 'text/plain', text: 'thanks' },
      bodySize: 6,
    });
    expect(post?.response.headers).toContainEqual({ name: 'x-answer', value: 'yes' });
    expect([post?.time, post?.timings.wait]).toEqual([20, 20]);
    expect(json.requests[1]?.response).toEqual({
      headers: { 'content-type': 'text/plain', 'x-answer': 'yes' },
      body: 'thanks',
      delayMs: 20,
    });
    expect(har.log.entries[0]?.request).not.toHaveProperty('postData');
    // a hand-broken archive fails the same validator: the check can fail
    expect(validate({ log: { version: '1.2', entries: [{}] } })).toBe(false);
  });
});

describe('linking re-verifies', () => {
  it('requests captured before the link get a verdict when the inbox is linked; the default name reads once', async () => {
    const engine = await engineWithInbox();
    const inbox = await call(engine, 'inboxes.create', { name: 'My inbox' });
    // an endpoint made by hand for the inbox URL: its deliveries arrive without a verdict
    const endpoint = await call(engine, 'endpoints.create', { url: inbox.url });
    await call(engine, 'events.create', { type: 'invoice.paid', validate: false, data: { n: 1 } });
    const before = await waitFor(async () => {
      const p = await call(engine, 'inboxes.requests', { id: inbox.id });
      return p.data.length === 1 ? p.data : null;
    });
    expect(before[0]?.verification).toBeNull();
    await send(inbox.url, { body: '{"forged":true}', headers: { 'webhook-id': 'x', 'webhook-timestamp': '1' } });

    await call(engine, 'inboxes.update', { id: inbox.id, endpointId: endpoint.id });
    const after = (await call(engine, 'inboxes.requests', { id: inbox.id })).data;
    expect(after.map((r) => r.verification?.verified)).toEqual([false, true]);

    const made = await call(engine, 'inboxes.create', { name: 'My inbox', createEndpoint: {} });
    expect((await call(engine, 'endpoints.get', { id: made.endpointId as string })).description).toBe('My inbox');
  });
});
