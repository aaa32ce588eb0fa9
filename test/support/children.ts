// Child processes a test started (serve, the CLI, crash children): what is left running is killed by its PID.
import type { ChildProcess } from 'node:child_process';

/** SIGKILLs, by PID, every child still running (an afterEach for tests that start child processes). */
export function killAll(children: ChildProcess[]): void {
  for (const c of children.splice(0))
    if (c.exitCode === null && c.signalCode === null && c.pid) process.kill(c.pid, 'SIGKILL');
}
