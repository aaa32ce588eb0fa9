// `hookbench run FILE...`: webhook scenarios as tests. Every file, and --output's path, is checked before anything
// runs (exit 2 names the file, line and field, or why the report cannot be written there), then each runs as one test
// suite against an engine of the run's own (a temporary database), --db FILE, or a running serve (--server URL
// --token T). Exit 0 when every expectation holds, else 1.
import { accessSync, constants, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { RunFlags } from '../../shared';
import { scenarioJsonSchema } from '../../shared/scenario';
import { statOrNull } from '../engine/db/file-check';
import { parseFlags, UsageError } from './flags';
import { EXIT_INTERRUPTED } from './interrupt';
import { formatProblem, type LoadedScenario, loadScenarioFile } from './run-load';
import { jsonReport, junitReport, prettyProgress, prettySummary, silentProgress, totals } from './run-report';
import { runScenario, type SuiteResult } from './run-scenario';
import { engineTarget, type ScenarioTarget, serverTarget, serverToken } from './run-target';

export interface RunIo {
  out(text: string): void;
  err(text: string): void;
}
const processIo: RunIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/**
 * Runs the files; `signal` aborting (the command's SIGINT or SIGTERM) stops the scenario at its current step, leaves
 * its target as found, runs no further file, reports what ran and resolves to EXIT_INTERRUPTED.
 */
export async function runScenarios(
  files: string[],
  raw: Record<string, unknown>,
  io: RunIo = processIo,
  env: NodeJS.ProcessEnv = process.env,
  signal?: AbortSignal,
): Promise<number> {
  const flags = parseFlags(RunFlags, raw);
  if (flags.schema) {
    io.out(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
    return 0;
  }
  if (files.length === 0) throw new UsageError('give at least one scenario file');
  const token = serverToken(flags, env);
  // The report is written after the whole run: a path it cannot go to is bad usage said now, not after minutes of
  // scenarios whose PASS would end in exit 1 ("an expectation failed") and no report.
  const outputProblem = flags.output === undefined ? null : outputPathProblem(flags.output);
  if (outputProblem) throw new UsageError(`--output ${flags.output}: ${outputProblem}`);

  const loaded: LoadedScenario[] = files.map(loadScenarioFile);
  const bad = loaded.flatMap((l) => (l.ok ? [] : [l.problem]));
  if (bad.length > 0) {
    // an unreadable file (line 0) is not an invalid scenario: it says why it could not be read
    for (const p of bad) io.err(`hookbench: ${p.line > 0 ? 'invalid scenario ' : ''}${formatProblem(p)}\n`);
    return 2;
  }

  // Pretty progress goes to stdout unless stdout carries the junit or json report.
  const progressOn = flags.reporter === 'pretty' || flags.output !== undefined;
  const progress = progressOn ? prettyProgress(io.out) : silentProgress;
  const target: ScenarioTarget = flags.server
    ? serverTarget(flags.server, token as string)
    : await engineTarget(flags.db);
  if (progressOn) io.out(`hookbench run: ${files.length} scenario file(s) against ${target.description}\n`);
  const suites: SuiteResult[] = [];
  // The event stream and wait timers hold the process open; the engine's own timers never do.
  const keepAlive = setInterval(() => {}, 60_000);
  try {
    for (const l of loaded) {
      if (signal?.aborted) break;
      if (l.ok) suites.push(await runScenario(target, l.file, l.scenario, progress, signal));
    }
  } finally {
    clearInterval(keepAlive);
    await target.close();
  }

  if (progressOn) io.out(prettySummary(suites));
  if (flags.reporter !== 'pretty') {
    const report = flags.reporter === 'junit' ? junitReport(suites) : jsonReport(suites);
    if (flags.output) writeFileSync(flags.output, report);
    else io.out(report);
  } else if (flags.output) {
    writeFileSync(flags.output, prettySummary(suites).trimStart());
  }
  if (signal?.aborted) return EXIT_INTERRUPTED;
  const t = totals(suites);
  return t.failed + t.errors === 0 ? 0 : 1;
}

/** Why the report cannot be written to `path`, or null: its directory must exist, and the path not be a directory. */
export function outputPathProblem(path: string): string | null {
  const full = resolve(path);
  const stat = statOrNull(full);
  if (stat?.isDirectory()) return `is a directory: give a file's path (such as ${join(path, 'report.xml')})`;
  if (stat) return canAccess(full, constants.W_OK) ? null : 'is not writable';
  const dir = dirname(full);
  const parent = statOrNull(dir);
  if (!parent) return `its directory ${dir} does not exist`;
  if (!parent.isDirectory()) return `is under ${dir}, which is not a directory`;
  // a file is created in a directory its user can write to and enter
  return canAccess(dir, constants.W_OK | constants.X_OK) ? null : `its directory ${dir} is not writable`;
}

function canAccess(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}
