// A real `hookbench serve` process on port 0 with its own database, as a user runs it; stop it by its pid.
import type { ChildProcess } from 'node:child_process';
import { spawnCli } from './cli';
import { waitFor } from './wait';

export interface Serve {
  child: ChildProcess;
  url: string;
  token: string;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts serve and resolves once it printed its URL and token. Add `child` to the test's cleanup list. */
export async function startServe(dbPath: string, env: Record<string, string | undefined> = {}): Promise<Serve> {
  const childEnv = { ...process.env, HOOKBENCH_TOKEN: undefined, ...env };
  const child = await spawnCli(['serve', '--port', '0', '--db', dbPath], { env: childEnv as NodeJS.ProcessEnv });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  try {
    const open = await waitFor(() => /^Open (http:\/\/\S+)\/#token=(\S+)$/m.exec(out), {
      timeoutMs: 60_000,
      message: `serve to print its URL (stderr: ${err})`,
    });
    return {
      child,
      url: open[1] as string,
      token: decodeURIComponent(open[2] as string),
      stdout: () => out,
      stderr: () => err,
      exit,
    };
  } catch (e) {
    if (child.pid && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
    throw e;
  }
}
