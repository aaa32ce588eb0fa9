// The CLI loads a command's module only when that command runs (src/main/cli/commands.ts declares them all): `--version`
// and `verify` load neither the engine (better-sqlite3), nor undici, nor the YAML parser; `import` loads what it uses.
// Seen from outside: a preloaded module lists the CommonJS modules of node_modules the CLI process loaded.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/shared/version';
import { ROOT } from '../support/bundle';
import { runCli } from '../support/cli';
import { startServe } from '../support/serve';
import { tempDbPath, tempDir } from '../support/temp';

/** Runs the CLI with a preload that writes, at exit, the packages whose CommonJS modules the process loaded. */
async function runListingPackages(args: string[]) {
  const dir = tempDir();
  const list = join(dir, 'modules.json');
  const hook = join(dir, 'list-modules.mjs');
  writeFileSync(
    hook,
    `import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => writeFileSync(${JSON.stringify(list)}, JSON.stringify(Object.keys(cache))));
`,
  );
  const result = await runCli(args, { env: { NODE_OPTIONS: `--import ${pathToFileURL(hook).href}` } });
  const paths = JSON.parse(readFileSync(list, 'utf8')) as string[];
  const packages = new Set(paths.flatMap((p) => /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(p)?.[1] ?? []));
  return { result, packages };
}

const HEAVY = ['better-sqlite3', 'undici', 'yaml'];

describe('the CLI loads a command when it runs', () => {
  it('--version loads no command', async () => {
    const { result, packages } = await runListingPackages(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(VERSION);
    for (const name of HEAVY) expect(packages).not.toContain(name);
  });

  it('verify loads neither the engine, nor undici, nor the YAML parser', async () => {
    const dir = tempDir();
    const headers = join(dir, 'headers.json');
    const body = join(dir, 'body.txt');
    writeFileSync(headers, '{"webhook-id":"msg_1","webhook-timestamp":"1","webhook-signature":"v1,AAAA"}');
    writeFileSync(body, '{}');
    const secret = `whsec_${Buffer.alloc(24, 1).toString('base64')}`;
    const { result, packages } = await runListingPackages([
      'verify',
      '--secret',
      secret,
      '--headers',
      headers,
      '--body',
      body,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^not verified: /);
    for (const name of HEAVY) expect(packages).not.toContain(name);
  });

  it('trigger through a running serve loads no engine: the HTTP client is all it needs', async () => {
    const serve = await startServe(tempDbPath());
    try {
      const { result, packages } = await runListingPackages([
        'trigger',
        'test.ping',
        '--data',
        '{}',
        '--server',
        serve.url,
        '--token',
        serve.token,
      ]);
      expect(result.stderr).toContain('no enabled endpoint subscribes to test.ping');
      expect(result.code).toBe(0);
      expect(packages).not.toContain('better-sqlite3');
    } finally {
      process.kill(serve.child.pid as number, 'SIGTERM');
      await serve.exit;
    }
  });

  it('(control) import loads the engine and the YAML parser it uses', async () => {
    const catalog = join(ROOT, 'examples/catalog/openapi-webhooks.yaml');
    const { result, packages } = await runListingPackages(['import', '--dry-run', '--db', tempDbPath(), catalog]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Nothing was changed (--dry-run).');
    expect(packages).toContain('better-sqlite3');
    expect(packages).toContain('yaml');
  });
});
