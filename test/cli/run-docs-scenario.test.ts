// The scenario that `hookbench run --help` and README's "Webhook scenarios as tests" show must pass as written: a
// reader copies it first, and one that breaks the built-in invoice.paid schema once taught a schema_violation.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/bundle';
import { runCli } from '../support/cli';
import { tempDir } from '../support/temp';

/** The indented block after "A scenario:" in `run --help`, up to the first blank line, unindented. */
function helpScenario(help: string): string {
  const lines = help.split('\n');
  const start = lines.indexOf('A scenario:');
  expect(start, 'run --help shows "A scenario:"').toBeGreaterThan(-1);
  const end = lines.indexOf('', start);
  return `${lines
    .slice(start + 1, end)
    .map((l) => l.replace(/^ {2}/, ''))
    .join('\n')}\n`;
}

/** The first ```yaml block of README's "Webhook scenarios as tests" section. */
function readmeScenario(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Webhook scenarios as tests'));
  const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  expect(block, 'a yaml block in README "Webhook scenarios as tests"').toBeDefined();
  return block as string;
}

async function runScenario(name: string, text: string) {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return runCli(['run', file]);
}

describe('hookbench run: the documented scenario', () => {
  it('the scenario in `run --help` passes as written', async () => {
    const help = await runCli(['run', '--help']);
    expect(help.code).toBe(0);
    const scenario = helpScenario(help.stdout);
    expect(scenario).toContain('- fire:');
    const res = await runScenario('help.yaml', scenario);
    expect(res.stderr).toBe('');
    expect(res.stdout).not.toContain('✗');
    expect(res.stdout).toMatch(/PASS {2}1 scenario file, 1 expectation: 1 passed, 0 failed/);
    expect(res.code).toBe(0);
  });

  it('the scenario in README "Webhook scenarios as tests" passes as written', async () => {
    const res = await runScenario('readme.yaml', readmeScenario());
    expect(res.stderr).toBe('');
    expect(res.stdout).not.toContain('✗');
    // every step ran: the fire, the expectation, set, resend and wait
    expect(res.stdout).toContain('· resent invoice.paid');
    expect(res.stdout).toMatch(/PASS {2}1 scenario file, 1 expectation: 1 passed, 0 failed/);
    expect(res.code).toBe(0);
  });
});
