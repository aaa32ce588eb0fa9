// The CLI as a user runs it: built once per source state (see bundle.ts) and run as `node cli-runner.mjs ARGS`.
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { bundle, HTTP_WORKER_ENTRY } from './bundle';
import { killAll } from './children';

let runnerPath: Promise<string> | null = null;

/** Path of a tiny runner that calls the bundled CLI's `main(argv)` and exits with its code. */
export function cliRunner(): Promise<string> {
  // http-worker: the engine finds it beside the bundle, so the CLI's engine sends from a worker thread as built
  runnerPath ??= bundle({ cli: 'src/main/cli/index.ts', 'http-worker': HTTP_WORKER_ENTRY }).then((dir) => {
    const runner = join(dir, 'cli-runner.mjs');
    if (!existsSync(runner)) {
      writeFileSync(
        runner,
        "import { main } from './cli.mjs';\nprocess.exitCode = await main(process.argv.slice(2));\n",
      );
    }
    return runner;
  });
  return runnerPath;
}

export interface RunOptions {
  /** written to stdin, then stdin is closed */
  input?: string;
  env?: Record<string, string>;
  /** kill (SIGKILL) after this long; default 60 s */
  timeoutMs?: number;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion. */
export async function runCli(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const child = await spawnCli(args, { env: { ...process.env, ...opts.env } });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  child.stdin?.end(opts.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/**
 * Every CLI process this test file started and that has not exited. A test that fails or times out can leave one
 * running (runCli's own kill timer dies with the test process): they are killed by PID after the file's tests.
 */
const running = new Set<ChildProcess>();
afterAll(() => killAll([...running]));

/** Starts the CLI and returns the process (long-running commands: serve, listen). Kill it by its pid. */
export async function spawnCli(args: string[], opts: SpawnOptions = {}): Promise<ChildProcess> {
  const runner = await cliRunner();
  const child = spawn(process.execPath, [runner, ...args], { stdio: ['pipe', 'pipe', 'pipe'], ...opts });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

export interface Running {
  child: ChildProcess;
  /** everything it printed so far */
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a long-running command (serve, tail, listen) and collects what it prints. Kill it by its pid. */
export async function spawnCollecting(args: string[], opts: SpawnOptions = {}): Promise<Running> {
  const child = await spawnCli(args, opts);
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
  return { child, stdout: () => out, stderr: () => err, exit };
}
