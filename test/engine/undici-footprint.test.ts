// The engine sends with undici's Agent class loaded from its own file, never through undici's package index (which
// also loads fetch, WebSocket, EventSource, the caches and the mocks: ~9 MiB of each thread's memory). Forwarding an
// inbox request loads the index when it first happens (test/engine/receiver/inbox-tools.test.ts forwards).
import { spawn } from 'node:child_process';
import { Agent as IndexAgent } from 'undici';
import Agent from 'undici/lib/dispatcher/agent.js';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleEntry } from '../support/bundle';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { tempDbPath } from '../support/temp';

const receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

describe("undici's Agent without its package index", () => {
  it('is the class the package exports (a newer undici that moved or replaced the file fails here)', () => {
    expect(Agent).toBe(IndexAgent);
  });

  it('an engine run as serve runs it delivers a webhook with neither thread loading the index', async () => {
    const child = await bundleEntry('test/engine/fixtures/undici-modules-child.ts');
    const r = await startTestReceiver();
    receivers.push(r);
    const proc = spawn(process.execPath, [child, tempDbPath(), `${r.url}/hook`], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const code = await new Promise((resolve) => proc.once('exit', resolve));
    expect(code).toBe(0);
    expect(r.requests).toHaveLength(1);
    const loaded = JSON.parse(out) as { main: string[]; worker: string[] };
    for (const thread of [loaded.main, loaded.worker]) {
      expect(thread).toContain('lib/dispatcher/agent.js');
      expect(thread).not.toContain('index.js');
      expect(thread).not.toContain('lib/web/fetch/index.js');
    }
  });
});
