// `hookbench import` and a database that does not exist yet: --dry-run creates no file (no database, no secret.key,
// no directory) and compares with a new database's empty catalog; a real import creates it, in a directory made
// 0700 as serve makes it, and says so on stderr so that a mistyped --db shows; a document it cannot import leaves
// nothing behind.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/bundle';
import { runCli } from '../support/cli';
import { tempDir } from '../support/temp';

const openapi = join(ROOT, 'examples/catalog/openapi-webhooks.yaml');
const mode = (path: string) => statSync(path).mode & 0o777;

describe('hookbench import into a database that does not exist', () => {
  it('--dry-run creates nothing: not the --db, its key or its directory, nor the data directory', async () => {
    const dir = tempDir();
    const db = join(dir, 'sub', 'new.db');
    const dry = await runCli(['import', openapi, '--db', db, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Would import from OpenAPI "Acme Billing webhooks"');
    expect(dry.stdout).toContain(': 3 created, 0 updated, 1 skipped');
    expect(dry.stdout).toContain('Nothing was changed (--dry-run).');
    expect(dry.stderr).toBe(
      `hookbench: no database at ${db}: compared with a new database's catalog; nothing was created\n`,
    );
    expect(readdirSync(dir)).toEqual([]);

    const dataHome = tempDir();
    const byDefault = await runCli(['import', openapi, '--dry-run', '--json'], { env: { XDG_DATA_HOME: dataHome } });
    expect(byDefault.code).toBe(0);
    expect(JSON.parse(byDefault.stdout)).toMatchObject({ dryRun: true, updated: [] });
    expect(readdirSync(dataHome)).toEqual([]);
  });

  it('creates it in a 0700 directory as serve does, saying so on stderr; the data directory too', async () => {
    const dir = tempDir();
    const db = join(dir, 'sub', 'new.db');
    const res = await runCli(['import', openapi, '--db', db]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('Imported from OpenAPI');
    expect(res.stderr).toBe(`hookbench: no database at ${db}: created a new one\n`);
    expect(existsSync(db)).toBe(true);
    expect(mode(join(dir, 'sub'))).toBe(0o700);
    expect(mode(db)).toBe(0o600);
    // the second import finds it: nothing said, everything unchanged
    const again = await runCli(['import', openapi, '--db', db]);
    expect(again.stderr).toBe('');
    expect(again.stdout).toContain(': 0 created, 0 updated, 4 skipped');

    const dataHome = tempDir();
    const byDefault = await runCli(['import', openapi], { env: { XDG_DATA_HOME: dataHome } });
    expect(byDefault.code).toBe(0);
    expect(mode(join(dataHome, 'hookbench'))).toBe(0o700);
  });

  it('a document it cannot import is refused (exit 2) before a new database is created', async () => {
    const dir = tempDir();
    const bad = join(dir, 'old.yaml');
    writeFileSync(bad, 'openapi: 3.0.3\ninfo: { title: old, version: "1" }\npaths: {}\n');
    const db = join(dir, 'sub', 'new.db');
    const res = await runCli(['import', bad, '--db', db]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`hookbench: ${bad}: OpenAPI 3.0.3 has no webhooks section`);
    expect(readdirSync(dir)).toEqual(['old.yaml']);
  });
});
