// Reporters of `hookbench run`: pretty (progress as it runs), junit (one <testsuite> per file, one <testcase> per
// expectation, <failure> with the message — what CI systems read) and json.
import type { CaseResult, RunProgress, SuiteResult } from './run-scenario';

export type ReporterName = 'pretty' | 'junit' | 'json';

const MARK: Record<CaseResult['status'], string> = { passed: '✓', failed: '✗', error: '✗', skipped: '-' };

export function totals(suites: SuiteResult[]) {
  const all = suites.flatMap((s) => s.cases);
  const count = (st: CaseResult['status']) => all.filter((c) => c.status === st).length;
  return {
    tests: all.length,
    passed: count('passed'),
    failed: count('failed'),
    errors: count('error'),
    skipped: count('skipped'),
  };
}

/** Progress lines as the scenario runs. */
export function prettyProgress(write: (text: string) => void): RunProgress {
  return {
    suiteStarted: (file, name) => write(`\n${name}  (${file})\n`),
    stepDone: (text) => write(`  · ${text}\n`),
    caseDone: (c) =>
      write(
        `  ${MARK[c.status]} ${c.name}${c.status === 'passed' ? ` (${c.durationMs} ms)` : ''}${c.message ? `\n      ${c.message}` : ''}\n`,
      ),
    suiteDone: () => {},
  };
}

export const silentProgress: RunProgress = {
  suiteStarted: () => {},
  stepDone: () => {},
  caseDone: () => {},
  suiteDone: () => {},
};

/** The closing summary of the pretty reporter. */
export function prettySummary(suites: SuiteResult[]): string {
  const t = totals(suites);
  const bad = t.failed + t.errors;
  return `\n${bad === 0 ? 'PASS' : 'FAIL'}  ${suites.length} scenario file${suites.length === 1 ? '' : 's'}, ${t.tests} expectation${t.tests === 1 ? '' : 's'}: ${t.passed} passed, ${bad} failed${t.skipped ? `, ${t.skipped} skipped` : ''}\n`;
}

const xml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // XML 1.0 cannot carry most control characters, even escaped
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
const seconds = (ms: number) => (ms / 1000).toFixed(3);

export function junitReport(suites: SuiteResult[]): string {
  const t = totals(suites);
  const time = suites.reduce((sum, s) => sum + s.durationMs, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="hookbench run" tests="${t.tests}" failures="${t.failed}" errors="${t.errors}" skipped="${t.skipped}" time="${seconds(time)}">`,
  ];
  for (const s of suites) {
    const st = totals([s]);
    lines.push(
      `  <testsuite name="${xml(s.name)}" file="${xml(s.file)}" tests="${st.tests}" failures="${st.failed}" errors="${st.errors}" skipped="${st.skipped}" timestamp="${s.startedAt}" time="${seconds(s.durationMs)}">`,
    );
    for (const c of s.cases) {
      const open = `    <testcase name="${xml(c.name)}" classname="${xml(s.name)}" file="${xml(s.file)}" time="${seconds(c.durationMs)}"`;
      if (c.status === 'passed') lines.push(`${open}/>`);
      else {
        const inner =
          c.status === 'skipped'
            ? '<skipped/>'
            : `<${c.status === 'failed' ? 'failure' : 'error'} message="${xml(c.message ?? '')}" type="${c.status === 'failed' ? 'expectation' : 'step'}">${xml(c.message ?? '')}</${c.status === 'failed' ? 'failure' : 'error'}>`;
        lines.push(`${open}>`, `      ${inner}`, '    </testcase>');
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

export function jsonReport(suites: SuiteResult[]): string {
  const t = totals(suites);
  return `${JSON.stringify({ ok: t.failed + t.errors === 0, ...t, suites }, null, 2)}\n`;
}
