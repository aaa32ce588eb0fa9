// On PostgreSQL too, inbox URLs outlive a restart: the receiver's last port is remembered in the shared settings
// table, and when it is taken (another process on this machine holds it), the inboxes' loopback endpoints follow the
// process started last.
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { call, startEngine } from '../support/engine';
import { createTestDatabase, pgClusterPerFile } from '../support/pg-cluster';

const cluster = pgClusterPerFile();

const blockers: Server[] = [];
afterEach(async () => {
  await Promise.all(blockers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

describe('the inbox receiver on PostgreSQL', () => {
  it('comes back on its last port, and its endpoints follow it when that one is taken', async () => {
    const databaseUrl = await createTestDatabase(cluster.url);
    const first = await startEngine({ databaseUrl, inbox: {} });
    const firstBase = first.inboxBaseUrl() as string;
    const made = await call(first, 'inboxes.create', { name: 'app', createEndpoint: {} });
    const endpointId = made.endpointId as string;
    await first.stop();

    const second = await startEngine({ databaseUrl, inbox: {} });
    expect(second.inboxBaseUrl()).toBe(firstBase);
    // the port is held while this one runs: the next process on this machine must take another
    const third = await startEngine({ databaseUrl, inbox: {} });
    const thirdBase = third.inboxBaseUrl() as string;
    expect(thirdBase).not.toBe(firstBase);
    expect((await call(third, 'endpoints.get', { id: endpointId })).url).toBe(`${thirdBase}/in/${made.id}`);
    await third.stop();
    await second.stop();

    // what the last one took is remembered; a blocker of this test's own holds it now
    const blocker = createServer((s) => s.destroy());
    await new Promise<void>((resolve) => blocker.listen(Number(new URL(thirdBase).port), '127.0.0.1', resolve));
    blockers.push(blocker);
    const fourth = await startEngine({ databaseUrl, inbox: {} });
    expect(fourth.inboxBaseUrl()).not.toBe(thirdBase);
    expect((await call(fourth, 'endpoints.get', { id: endpointId })).url).toBe(
      `${fourth.inboxBaseUrl() as string}/in/${made.id}`,
    );
  });
});
