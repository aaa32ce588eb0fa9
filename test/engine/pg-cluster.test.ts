// The private PostgreSQL cluster the PostgreSQL store's tests run on: it starts, answers over TCP on 127.0.0.1,
// isolates databases, and stop() leaves no server process behind.
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, startPgCluster } from '../support/pg-cluster';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('startPgCluster', () => {
  it('starts a private cluster on 127.0.0.1, isolates test databases, and stops by PID', async () => {
    const t0 = performance.now();
    const cluster = await startPgCluster();
    const startupMs = performance.now() - t0;
    try {
      expect(cluster.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      expect(() => process.kill(cluster.pid, 0)).not.toThrow();
      expect(await query<{ one: number }>(cluster.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
      // over TCP, not the socket
      const server = await query<{ addr: string }>(cluster.url, 'SELECT inet_server_addr()::text AS addr');
      expect(server).toEqual([{ addr: '127.0.0.1/32' }]);

      const a = await createTestDatabase(cluster.url);
      const b = await createTestDatabase(cluster.url);
      expect(a).not.toBe(b);
      await query(a, 'CREATE TABLE only_in_a (x int)');
      const seen = await query<{ n: string }>(
        b,
        "SELECT count(*)::text AS n FROM pg_tables WHERE tablename = 'only_in_a'",
      );
      expect(seen).toEqual([{ n: '0' }]);
      console.info(`private PostgreSQL cluster started in ${Math.round(startupMs)} ms`);
    } finally {
      const t1 = performance.now();
      await cluster.stop();
      console.info(`stopped in ${Math.round(performance.now() - t1)} ms`);
    }
    expect(() => process.kill(cluster.pid, 0)).toThrow();
  });

  it('a cluster that cannot start is an error with the server log, and leaves no directory behind', async () => {
    const before = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('hookbench-pg-')));
    const started = startPgCluster({ settings: { shared_buffers: "'lots'" } });
    await expect(started).rejects.toThrow(
      /could not start a private PostgreSQL cluster[\s\S]*server log[\s\S]*shared_buffers/,
    );
    const after = readdirSync(tmpdir()).filter((n) => n.startsWith('hookbench-pg-') && !before.has(n));
    expect(after).toEqual([]);
  });
});
