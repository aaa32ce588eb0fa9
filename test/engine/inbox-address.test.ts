// Inbox URLs outlive a restart: the receiver comes back on the port it used last with the same database; endpoints
// holding an earlier loopback address of an inbox (a database from before) follow it, deliveries arriving; another
// process holding the port moves nothing; a tunnel's URL or an endpoint pointed elsewhere is left alone.
import { createServer, type Server } from 'node:net';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { INBOX_PORT_KEY, inboxIdOf, repointInboxEndpoints } from '../../src/main/engine/receiver/inbox-address';
import { call, startEngine } from '../support/engine';
import { waitFor } from '../support/wait';

const ID = '0b6f5c1e-93f2-4a57-8f0e-2d4b0b6e1a11';

describe('inboxIdOf', () => {
  it('reads the inbox id of a plain-HTTP loopback inbox URL only', () => {
    expect(inboxIdOf(`http://127.0.0.1:4000/in/${ID}`)).toBe(ID);
    expect(inboxIdOf(`http://localhost:4000/in/${ID}`)).toBe(ID);
    expect(inboxIdOf(`http://[::1]:4000/in/${ID}`)).toBe(ID);
    for (const other of [
      `https://127.0.0.1:4000/in/${ID}`, // not plain HTTP
      `https://abc.tunnel.example/in/${ID}`, // a tunnel to the inbox
      `http://192.168.1.20:4000/in/${ID}`, // another machine
      `http://127.0.0.1:4000/in/${ID}/x`,
      `http://127.0.0.1:4000/in/${ID}?via=proxy`,
      `http://127.0.0.1:4000/hooks/${ID}`,
      'not a url',
    ]) {
      expect(inboxIdOf(other), other).toBeNull();
    }
  });
});

describe('repointInboxEndpoints', () => {
  it('changes only endpoints holding an earlier loopback address of an inbox there is', async () => {
    const set: Array<[string, string]> = [];
    const changed = await repointInboxEndpoints({
      endpoints: () => [
        { id: 'moved', url: `http://127.0.0.1:4000/in/${ID}` },
        { id: 'current', url: `http://127.0.0.1:5000/in/${ID}` },
        { id: 'gone-inbox', url: 'http://127.0.0.1:4000/in/another-inbox' },
        { id: 'tunnel', url: `https://abc.tunnel.example/in/${ID}` },
        { id: 'app', url: 'http://127.0.0.1:3000/webhooks' },
      ],
      inboxIds: () => [ID],
      urlOf: (id) => `http://127.0.0.1:5000/in/${id}`,
      setUrl: (id, url) => {
        set.push([id, url]);
      },
    });
    expect(set).toEqual([['moved', `http://127.0.0.1:5000/in/${ID}`]]);
    expect(changed).toEqual([
      { endpointId: 'moved', from: `http://127.0.0.1:4000/in/${ID}`, to: `http://127.0.0.1:5000/in/${ID}` },
    ]);
  });

  it('leaves loopback endpoints alone when the receiver is bound to another interface', async () => {
    const set: string[] = [];
    await repointInboxEndpoints({
      endpoints: () => [{ id: 'e', url: `http://127.0.0.1:4000/in/${ID}` }],
      inboxIds: () => [ID],
      urlOf: (id) => `http://0.0.0.0:5000/in/${id}`,
      setUrl: (id) => {
        set.push(id);
      },
    });
    expect(set).toEqual([]);
  });
});

const blockers: Server[] = [];
afterEach(async () => {
  await Promise.all(blockers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

/** Holds a port on 127.0.0.1 (a listening socket of this test's own) so that the next receiver cannot take it. */
async function occupy(port: number): Promise<void> {
  const server = createServer((s) => s.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  blockers.push(server);
}

describe('a restarted engine', () => {
  it('listens where it listened before; beside another process holding that port, it moves no endpoint', async () => {
    const first = await startEngine({ inbox: {} });
    const { dbPath } = first;
    const base = first.inboxBaseUrl() as string;
    const made = await call(first, 'inboxes.create', { name: 'app', createEndpoint: {} });
    const endpointId = made.endpointId as string;
    expect((await call(first, 'endpoints.get', { id: endpointId })).url).toBe(`${base}/in/${made.id}`);
    await first.stop();

    const second = await startEngine({ inbox: {}, dbPath });
    expect(second.inboxBaseUrl()).toBe(base);
    // a second engine on the same database while the first holds the port: another port, nothing moved
    const third = await startEngine({ inbox: {}, dbPath });
    expect(third.inboxBaseUrl()).not.toBe(base);
    expect((await call(third, 'endpoints.get', { id: endpointId })).url).toBe(`${base}/in/${made.id}`);
    await third.stop();
    await second.stop();

    // the held port was not replaced in memory
    const fourth = await startEngine({ inbox: {}, dbPath });
    expect(fourth.inboxBaseUrl()).toBe(base);
  });

  it('points the endpoints of a database from before (no port remembered) at the receiver, and deliveries arrive', async () => {
    const first = await startEngine({ inbox: {} });
    const { dbPath } = first;
    const made = await call(first, 'inboxes.create', { name: 'app', createEndpoint: {} });
    const endpointId = made.endpointId as string;
    // the same inbox behind a tunnel: subscribed to nothing fired here, so nothing is ever sent to it
    const tunnel = await call(first, 'endpoints.create', {
      url: `https://abc.tunnel.example/in/${made.id}`,
      eventTypes: ['never.fired'],
    });
    const old = `${first.inboxBaseUrl() as string}/in/${made.id}`;
    await first.stop();
    // as a database written before the port was remembered: the receiver's next start takes a free port
    const db = new Database(dbPath);
    db.prepare('DELETE FROM settings WHERE key = ?').run(INBOX_PORT_KEY);
    db.close();
    await occupy(Number(new URL(old).port));

    const next = await startEngine({ inbox: {}, dbPath });
    const base = next.inboxBaseUrl() as string;
    expect(`${base}/in/${made.id}`).not.toBe(old);
    expect((await call(next, 'endpoints.get', { id: endpointId })).url).toBe(`${base}/in/${made.id}`);
    expect((await call(next, 'endpoints.get', { id: tunnel.id })).url).toBe(`https://abc.tunnel.example/in/${made.id}`);
    const event = await call(next, 'events.create', { type: 'order.created', data: { n: 1 } });
    await waitFor(
      async () => (await call(next, 'events.get', { id: event.id })).deliveries?.[0]?.status === 'succeeded',
      { message: 'the delivery to the inbox at its new address succeeded' },
    );
    expect((await call(next, 'inboxes.requests', { id: made.id })).data).toHaveLength(1);
    await next.stop();
    // and this address is the one remembered now
    const after = await startEngine({ inbox: {}, dbPath });
    expect(after.inboxBaseUrl()).toBe(base);
  });

  it('a port given is used as given (0: a free one), and remembered', async () => {
    const first = await startEngine({ inbox: { port: 0 } });
    const { dbPath } = first;
    const base = first.inboxBaseUrl() as string;
    await first.stop();
    const again = await startEngine({ inbox: {}, dbPath });
    expect(again.inboxBaseUrl()).toBe(base);
  });
});
