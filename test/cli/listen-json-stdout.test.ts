// `hookbench listen --json | jq .`: with --json, stdout carries one JSON object per request and nothing else; the
// banners (`Listening on`, `Forwarding to`) go to stderr. Without --json they stay on stdout with the blocks.
import { describe, expect, it } from 'vitest';
import { send } from '../engine/receiver/helpers';
import { type Running, spawnCollecting } from '../support/cli';
import { startTestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

// a test that fails leaves no listener behind: support/cli kills what it started, by PID, after the file
const listen = (args: string[]): Promise<Running> => spawnCollecting(['listen', '--port', '0', ...args]);

describe('hookbench listen --json (as a process)', () => {
  it('prints only JSON lines on stdout; Listening on and Forwarding to go to stderr', async () => {
    const app = await startTestReceiver();
    try {
      const l = await listen(['--json', '--forward-to', `${app.url}/hook`]);
      // looked for on both streams, so that a banner on the wrong one fails here rather than as a timeout
      const url = await waitFor(() => /Listening on (http:\/\/\S+)/.exec(l.stderr() + l.stdout())?.[1], {
        timeoutMs: 20_000,
      });
      await waitFor(() => l.stderr().includes(`Forwarding to ${app.url}/hook`) || l.stdout().includes('Forwarding'));
      expect(l.stdout()).toBe('');
      expect(l.stderr()).toBe(`Listening on ${url}\nForwarding to ${app.url}/hook\n`);
      await send(`${url}/a`, { body: '{"n":1}' });
      await send(`${url}/b`, { body: '{"n":2}' });
      await waitFor(() => l.stdout().split('\n').filter(Boolean).length === 2);
      if (l.child.pid) process.kill(l.child.pid, 'SIGINT');
      expect((await l.exit).code).toBe(0);
      // every line of stdout parses, as `jq .` would read it
      const lines = l
        .stdout()
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));
      // each line is written when its forward is answered: the two may come in either order
      expect(lines.map((x) => x.path).sort()).toEqual(['/a', '/b']);
      for (const line of lines) expect(line.forward).toMatchObject({ url: `${app.url}/hook`, status: 200 });
      expect(l.stdout()).not.toContain('Listening on');
    } finally {
      await app.stop();
    }
  });

  it('keeps the banner on stdout without --json', async () => {
    const l = await listen([]);
    await waitFor(() => /Listening on http:\/\/\S+/.test(l.stdout()), { timeoutMs: 60_000 });
    if (l.child.pid) process.kill(l.child.pid, 'SIGINT');
    expect((await l.exit).code).toBe(0);
    expect(l.stderr()).toBe('');
  });
});
