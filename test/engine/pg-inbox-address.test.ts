// On PostgreSQL too, inbox URLs outlive a restart: the receiver's last port is remembered in the shared settings
// table. A second process on this machine, finding that port held by the first, listens on another and moves no
// endpoint: the inboxes are still served at the held port.
import { describe, expect, it } from 'vitest';
import { call, startEngine } from '../support/engine';
import { createTestDatabase, pgClusterPerFile } from '../support/pg-cluster';

const cluster = pgClusterPerFile();

describe('the inbox receiver on PostgreSQL', () => {
  it('comes back on its last port; a second process beside it moves no endpoint', async () => {
    const databaseUrl = await createTestDatabase(cluster.url);
    const first = await startEngine({ databaseUrl, inbox: {} });
    const base = first.inboxBaseUrl() as string;
    const made = await call(first, 'inboxes.create', { name: 'app', createEndpoint: {} });
    const endpointId = made.endpointId as string;
    await first.stop();

    const second = await startEngine({ databaseUrl, inbox: {} });
    expect(second.inboxBaseUrl()).toBe(base);
    const third = await startEngine({ databaseUrl, inbox: {} });
    expect(third.inboxBaseUrl()).not.toBe(base);
    expect((await call(third, 'endpoints.get', { id: endpointId })).url).toBe(`${base}/in/${made.id}`);
    await third.stop();
    await second.stop();

    const fourth = await startEngine({ databaseUrl, inbox: {} });
    expect(fourth.inboxBaseUrl()).toBe(base);
  });
});
