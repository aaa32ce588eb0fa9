// `hookbench … | head -1`: the reader goes away and the next write fails with EPIPE. The CLI ends quietly (no
// unhandled 'error' event, no stack trace): a command that runs until stopped stops as on SIGTERM (exit 0), any
// other finishes its work with its own exit code, its output dropped.
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { getScheme } from '../../src/main/engine/signing';
import { send } from '../engine/receiver/helpers';
import { spawnCli } from '../support/cli';
import { startTestReceiver } from '../support/receiver';
import { waitFor } from '../support/wait';

/** What `cmd | head -1` does to cmd: its stdout is read up to the first chunk, then closed. */
function headOne(child: ChildProcess) {
  let first = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  child.stdout?.setEncoding('utf8').once('data', (d: string) => {
    first = d;
    child.stdout?.destroy();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { first: () => first, stderr: () => stderr, exit };
}

describe('hookbench with its stdout closed by the reader', () => {
  it('listen stops quietly with exit 0 when it next writes', async () => {
    const child = await spawnCli(['listen', '--port', '0']);
    const head = headOne(child);
    const url = await waitFor(() => /Listening on (http:\/\/\S+)/.exec(head.first())?.[1], { timeoutMs: 60_000 });
    // the block for this request is written to the closed pipe
    expect((await send(`${url}/hook`, { body: '{}' })).status).toBe(200);
    expect(await head.exit).toEqual({ code: 0, signal: null });
    expect(head.stderr()).toBe('');
  });

  it('send still delivers, quietly, and exits with its own code', async () => {
    const receiver = await startTestReceiver({ respond: (_req, n) => ({ status: n === 1 ? 500 : 200 }) });
    try {
      const secret = getScheme('standard').generateSecret();
      const child = await spawnCli([
        'send',
        '--url',
        `${receiver.url}/hook`,
        '--type',
        'invoice.paid',
        '--secret',
        secret,
        '--retries',
        '1',
      ]);
      const head = headOne(child);
      // attempt 2 comes ~500 ms after attempt 1, whose lines are the first chunk: its lines meet a closed pipe
      expect(await head.exit).toEqual({ code: 0, signal: null });
      expect(head.first()).toContain('Attempt 1: HTTP 500');
      expect(head.stderr()).toBe('');
      expect(receiver.requests).toHaveLength(2);
    } finally {
      await receiver.stop();
    }
  });
});
