// `hookbench run --output FILE`: the report is written after the whole run, so a path it cannot go to is bad usage
// said before anything runs (exit 2), never a suite that prints PASS and then exits 1 ("an expectation failed").
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { startTestReceiver, type TestReceiver } from '../support/receiver';
import { tempDir } from '../support/temp';

let receiver: TestReceiver;
beforeAll(async () => {
  receiver = await startTestReceiver();
});
afterAll(() => receiver.stop());

/** A scenario that, when it runs, sends one request to the test receiver. */
function scenarioFile(dir: string): string {
  const file = join(dir, 'one.yaml');
  writeFileSync(
    file,
    `name: one delivery
endpoints:
  app: { url: ${receiver.url}/hook }
steps:
  - fire: { type: invoice.paid }
  - expect: { endpoint: app, status: succeeded }
`,
  );
  return file;
}

describe('hookbench run --output', () => {
  it('refuses a report path in a missing directory, a directory, or under a file, exit 2, and runs nothing', async () => {
    const dir = tempDir();
    const file = scenarioFile(dir);
    const aFile = join(dir, 'plain.txt');
    writeFileSync(aFile, 'x');
    mkdirSync(join(dir, 'reports'));
    const cases: [string, string][] = [
      [join(dir, 'missing', 'out.xml'), `its directory ${join(dir, 'missing')} does not exist`],
      [join(dir, 'reports'), `is a directory: give a file's path (such as ${join(dir, 'reports', 'report.xml')})`],
      [join(aFile, 'out.xml'), `is under ${aFile}, which is not a directory`],
    ];
    for (const [output, problem] of cases) {
      for (const reporter of ['junit', 'pretty']) {
        const res = await runCli(['run', file, '--reporter', reporter, '--output', output]);
        expect(res.code, `${reporter} ${output}`).toBe(2);
        expect(res.stderr).toBe(`hookbench: --output ${output}: ${problem}\n`);
        expect(res.stdout).toBe('');
      }
    }
    expect(receiver.requests).toHaveLength(0);
  });

  it('writes the report to a new file in an existing directory', async () => {
    const dir = tempDir();
    const report = join(dir, 'junit.xml');
    const res = await runCli(['run', scenarioFile(dir), '--reporter', 'junit', '--output', report]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('PASS');
    expect(readFileSync(report, 'utf8')).toContain('<testsuite name="one delivery"');
    expect(receiver.requests.length).toBeGreaterThan(0);
  });
});
