// `hookbench import` as a user runs it: into a database (serve's by default) or a running serve, --dry-run
// changing nothing, a bad document exiting 2 with the reason.
import type { ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client';
import { createEngine } from '../../src/main/engine';
import { EventInput } from '../../src/shared';
import { ROOT } from '../support/bundle';
import { killAll } from '../support/children';
import { runCli } from '../support/cli';
import { startServe } from '../support/serve';
import { tempDbPath, tempDir } from '../support/temp';

const children: ChildProcess[] = [];
afterAll(() => killAll(children));

const openapi = join(ROOT, 'examples/catalog/openapi-webhooks.yaml');
const asyncapi = join(ROOT, 'examples/catalog/asyncapi.yaml');

async function typeNames(dbPath: string): Promise<string[]> {
  const engine = await createEngine({ dbPath, inbox: false, dispatch: false });
  try {
    return (await engine.handlers['eventTypes.list']({})).data.filter((t) => !t.builtIn).map((t) => t.name);
  } finally {
    await engine.stop();
  }
}

describe('hookbench import', () => {
  it('previews with --dry-run, then imports into --db and says what it did', async () => {
    const db = tempDbPath();
    const dry = await runCli(['import', openapi, '--db', db, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(
      `Would import from OpenAPI "Acme Billing webhooks" (${openapi}): 3 created, 0 updated, 1 skipped`,
    );
    expect(dry.stdout).toContain('  + invoice.finalized  An invoice was finalized and can be paid');
    expect(dry.stdout).toContain('  - ping: no application/json request body schema');
    expect(dry.stdout).toContain('Nothing was changed (--dry-run).');
    expect(await typeNames(db)).toEqual([]);

    const real = await runCli(['import', openapi, '--db', db, '--json']);
    expect(real.code).toBe(0);
    expect(JSON.parse(real.stdout)).toMatchObject({ format: 'openapi', dryRun: false });
    expect((await typeNames(db)).sort()).toEqual(['customer.deleted', 'invoice.finalized', 'subscription.renewed']);
  });

  it('changes nothing with --dry-run on an existing database, not even what retention would prune', async () => {
    const db = tempDbPath();
    const engine = await createEngine({ dbPath: db, inbox: false, dispatch: false });
    await engine.handlers['events.create'](EventInput.parse({ type: 'old.one', data: { n: 1 } }));
    await engine.stop();
    const longAgo = Date.now() - 400 * 24 * 3_600_000;
    const file = new Database(db);
    file.prepare('UPDATE events SET created_at = ?').run(longAgo);
    const before = file.prepare('SELECT id, created_at FROM events').all();
    file.close();

    const dry = await runCli(['import', openapi, '--db', db, '--dry-run']);
    expect(dry.code).toBe(0);
    const after = new Database(db, { readonly: true });
    expect(after.prepare('SELECT id, created_at FROM events').all()).toEqual(before);
    after.close();
  });

  it("imports into serve's default database when no --db is given", async () => {
    const dataHome = tempDir();
    const res = await runCli(['import', asyncapi], { env: { XDG_DATA_HOME: dataHome } });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Imported from AsyncAPI "Acme Accounts events"');
    const db = join(dataHome, 'hookbench', 'hookbench.db');
    expect(existsSync(db)).toBe(true);
    expect((await typeNames(db)).sort()).toEqual(['user.deleted', 'user.signed_up']);
  });

  it('imports into a running serve with --server', async () => {
    const serve = await startServe(tempDbPath());
    children.push(serve.child);
    const res = await runCli(['import', asyncapi, '--server', serve.url, '--token', serve.token]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const client = createClient({ baseUrl: serve.url, token: serve.token });
    const names = (await client.call('eventTypes.list', {})).data.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['user.deleted', 'user.signed_up']));
  });

  it('exits 2 with the reason for a bad document or a missing file, and changes nothing', async () => {
    const dir = tempDir();
    const bad = join(dir, 'old.yaml');
    writeFileSync(bad, 'openapi: 3.0.3\ninfo: { title: old, version: "1" }\npaths: {}\n');
    const db = tempDbPath();
    const res = await runCli(['import', bad, '--db', db]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`${bad}: OpenAPI 3.0.3 has no webhooks section`);
    expect(await typeNames(db)).toEqual([]);
    const missing = await runCli(['import', join(dir, 'nope.yaml'), '--db', db]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
  });

  it('documents itself in --help', async () => {
    const help = await runCli(['import', '--help']);
    expect(help.code).toBe(0);
    for (const text of ['--dry-run', '--server', '--token', '--db', 'OpenAPI 3.1', 'AsyncAPI 3'])
      expect(help.stdout).toContain(text);
  });
});
