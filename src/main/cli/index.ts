// `hookbench` CLI: serve, send, listen, verify, run, import, trigger, tail, replay, api. commands.ts declares them
// (flags, help); each command's module, loaded when it runs, does the work.
import { Command, CommanderError } from 'commander';
import { VERSION } from '../../shared/version';
import {
  registerApi,
  registerImport,
  registerListen,
  registerReplay,
  registerRun,
  registerSend,
  registerServe,
  registerTail,
  registerTrigger,
  registerVerify,
} from './commands';
import { UsageError } from './flags';

/** Exit codes: 0 ok, 1 the thing checked failed (non-2xx, bad signature), 2 bad usage. */
export const EXIT_OK = 0;
export const EXIT_FAIL = 1;
export const EXIT_USAGE = 2;

export function buildProgram(): Command {
  const program = new Command('hookbench')
    .description('Webhook workbench: a durable dispatcher with signing, retries, an inbox and a delivery inspector')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError('(run hookbench --help for usage)');
  registerServe(program);
  registerSend(program);
  registerListen(program);
  registerVerify(program);
  registerRun(program);
  registerImport(program);
  registerTrigger(program);
  registerTail(program);
  registerReplay(program);
  registerApi(program);
  return program;
}

/** Commands that run until stopped (SIGINT or SIGTERM, after which each stops gracefully with exit 0). */
const RUNS_UNTIL_STOPPED = new Set(['serve', 'listen', 'tail']);
let running: string | null = null;
let outputGuarded = false;

/**
 * `hookbench … | head -1`: once the reader has gone, a write to the pipe fails with EPIPE, an 'error' event that
 * crashes the process with a stack trace when nothing listens for it. Most CLIs die of SIGPIPE there, quietly; ours
 * end quietly too, without dying mid-work (run restores its target's settings, send sees its delivery through): what
 * they print is dropped, a command that runs until stopped stops as on SIGTERM, and any other finishes its (bounded)
 * work and exits with its own code.
 */
function endQuietlyOnClosedOutput(): void {
  if (outputGuarded) return;
  outputGuarded = true;
  let stopped = false;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      // a destroyed stream drops later writes without another error
      if (running === null || !RUNS_UNTIL_STOPPED.has(running) || stopped) return;
      stopped = true;
      // before its stop handler is set, there is nothing to stop gracefully yet
      if (process.listenerCount('SIGTERM') > 0) process.emit('SIGTERM', 'SIGTERM');
      else process.exit(EXIT_OK);
    });
  }
}

/** Runs the CLI; resolves to the exit code (long-running commands resolve when they stop). */
export async function main(argv: string[]): Promise<number> {
  endQuietlyOnClosedOutput();
  const program = buildProgram();
  program.hook('preAction', (_program, command) => {
    running = command.name();
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with code 0; unknown flags and missing values with 2.
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`hookbench: ${err.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`hookbench: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_FAIL;
  }
}
