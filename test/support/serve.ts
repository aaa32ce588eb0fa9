// A real `hookbench serve` process on port 0 with its own database, as a user runs it; stop it by its pid.
import type { ChildProcess } from 'node:child_process';
import { spawnCollecting } from './cli';
import { waitFor } from './wait';

export interface Serve {
  child: ChildProcess;
  url: string;
  token: string;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts serve (with `args` after its port and database) and resolves once it printed its URL and token. Add `child` to the test's cleanup list. */
export async function startServe(
  dbPath: string,
  env: Record<string, string | undefined> = {},
  args: readonly string[] = [],
): Promise<Serve> {
  const childEnv = { ...process.env, HOOKBENCH_TOKEN: undefined, ...env };
  const { child, stdout, stderr, exit } = await spawnCollecting(['serve', '--port', '0', '--db', dbPath, ...args], {
    env: childEnv as NodeJS.ProcessEnv,
  });
  try {
    const open = await waitFor(() => /^Open (http:\/\/\S+)\/#token=(\S+)$/m.exec(stdout()), {
      timeoutMs: 60_000,
      message: `serve to print its URL (stderr: ${stderr()})`,
    });
    return { child, url: open[1] as string, token: decodeURIComponent(open[2] as string), stdout, stderr, exit };
  } catch (e) {
    if (child.pid && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
    throw e;
  }
}
