// What an engine loads before it needs it. It sends with undici's Agent class loaded from its own file, never through
// undici's package index (which also loads fetch, WebSocket, EventSource, the caches and the mocks: ~13 MiB of a
// thread's memory); forwarding an inbox request loads the index when it first happens
// (test/engine/receiver/inbox-tools.test.ts forwards). The catalog reader (YAML, $ref resolution) loads on the first
// eventTypes.import. The HTTP worker thread loads no zod (the contract is the engine thread's).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Agent as IndexAgent } from 'undici';
import Agent from 'undici/lib/dispatcher/agent.js';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleEntry, ROOT } from '../support/bundle';
import { killAll } from '../support/children';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { tempDbPath } from '../support/temp';

const receivers: TestReceiver[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  killAll(children);
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

const packageOf = (path: string) => path.split('/', 1)[0];

describe('what an engine loads', () => {
  it("undici's Agent from its own file is the class the package exports (a newer undici that moved it fails here)", () => {
    expect(Agent).toBe(IndexAgent);
  });

  it('the HTTP worker thread imports nothing of the contract but the link-local rule, so no zod (~6 MiB at peak)', () => {
    const files = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (files.has(file)) return;
      files.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^import\s+([\s\S]*?)\s+from\s+'([^']+)';/gm)) {
        const [, what = '', spec = ''] = m;
        // type-only imports are erased: `import type …`, or braces whose every name is `type X`
        const names = /^\{([\s\S]*)\}$/
          .exec(what.trim())?.[1]
          ?.split(',')
          .map((n) => n.trim())
          .filter(Boolean);
        if (what.startsWith('type ') || names?.every((n) => n.startsWith('type '))) continue;
        if (!spec.startsWith('.')) {
          packages.add(spec.startsWith('node:') ? spec : (spec.split('/')[0] as string));
          continue;
        }
        const base = resolve(dirname(file), spec);
        visit(existsSync(`${base}.ts`) ? `${base}.ts` : join(base, 'index.ts'));
      }
    };
    visit(join(ROOT, 'src/main/engine/http/worker.ts'));
    const rel = [...files].map((f) => relative(ROOT, f)).sort();
    expect(rel).not.toContain('src/shared/index.ts');
    expect([...packages].filter((p) => !p.startsWith('node:')).sort()).toEqual(['undici']);
    // (control) the walk reaches the HTTP client and the one rule it takes from the contract
    expect(rel).toContain('src/main/engine/http/client.ts');
    expect(rel).toContain('src/shared/schemas/url-rules.ts');
  });

  it("an engine run as serve runs it delivers with undici's index on neither thread, and no catalog reader", async () => {
    const child = await bundleEntry('test/engine/fixtures/footprint-child.ts');
    const r = await startTestReceiver();
    receivers.push(r);
    const catalog = join(ROOT, 'examples/catalog/openapi-webhooks.yaml');
    const proc = spawn(process.execPath, [child, tempDbPath(), `${r.url}/hook`, catalog], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(proc);
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    // 'close': the process has exited and its output has been read to the end
    const code = await new Promise((resolve) => proc.once('close', resolve));
    expect(code).toBe(0);
    expect(r.requests).toHaveLength(1);
    const loaded = JSON.parse(out) as { main: string[]; worker: string[]; afterCatalog: string[] };
    for (const thread of [loaded.main, loaded.worker]) {
      expect(thread).toContain('undici/lib/dispatcher/agent.js');
      expect(thread).not.toContain('undici/index.js');
      expect(thread).not.toContain('undici/lib/web/fetch/index.js');
      expect(thread.map(packageOf)).not.toContain('yaml');
    }
    // (control) the same check sees the catalog reader once a catalog is read
    expect(loaded.afterCatalog.map(packageOf)).toContain('yaml');
  });
});
