// Scenario files that are not valid: each problem names the file, the line and the field, as `hookbench run`
// prints it before anything runs (exit 2).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, parseScenario } from '../../src/main/cli/run-load';
import { scenarioJsonSchema } from '../../src/shared/scenario';
import { ROOT } from '../support/bundle';

const problem = (text: string) => {
  const r = parseScenario(text, 'case.yaml');
  if (r.ok) throw new Error('expected a problem');
  return formatProblem(r.problem);
};

const base = `name: t
endpoints:
  app:
    inbox: { failFirst: 1 }
steps:
  - fire: { type: invoice.paid }
`;

describe('scenario files', () => {
  it('parses a valid file with defaults filled and durations in ms', () => {
    const r = parseScenario(
      `${base}  - expect: { endpoint: app, status: succeeded, within: 1.5s }\n  - wait: 2m\n`,
      'ok.yaml',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.steps[1]).toEqual({ expect: { endpoint: 'app', status: 'succeeded', within: 1500 } });
    expect(r.scenario.steps[2]).toEqual({ wait: 120_000 });
  });

  it('reads JSON too', () => {
    const r = parseScenario(JSON.stringify({ name: 'j', steps: [{ wait: 10 }] }), 'j.json');
    expect(r.ok).toBe(true);
  });

  it.each([
    [
      `${base}  - expect:\n      endpoint: app\n      status: done\n`,
      'case.yaml:9: steps.1.expect.status: Invalid option',
    ],
    [`${base}  - expect: { endpoint: ghost }\n`, 'case.yaml:7: steps.1.expect.endpoint: no endpoint named ghost'],
    [`${base}  - exepct: { endpoint: app }\n`, 'case.yaml:7: steps.1.exepct: Unrecognized key'],
    [`${base}  - wait: 5 minutes\n`, 'case.yaml:7: steps.1.wait: a duration like 500ms'],
    [base.replace('inbox: { failFirst: 1 }', 'url: not-a-url'), 'case.yaml:4: endpoints.app.url: must be an http'],
    [base.replace('{ failFirst: 1 }', '{ failFirst: -1 }'), 'case.yaml:4: endpoints.app.inbox.failFirst: Too small'],
    [
      base.replace('{ type: invoice.paid }', '{ fixture: invoice.paid }'),
      'case.yaml:6: steps.0.fire.profile: fixture needs a profile',
    ],
    [base.replace('name: t\n', ''), 'case.yaml:1: name: Invalid input'],
    [
      `${base}  - expect: { endpoint: app, event: nope }\n`,
      'case.yaml:7: steps.1.expect.event: no earlier fire step has as: nope',
    ],
    [
      `${base}  - expect: { endpoint: app, type: invoice.payed }\n`,
      'case.yaml:7: steps.1.expect.type: no earlier fire step fires invoice.payed',
    ],
    [
      `${base}  - resend: { endpoint: app, type: invoice.payed }\n`,
      'case.yaml:7: steps.1.resend.type: no earlier fire step fires invoice.payed',
    ],
    [`${base}  - resend: { endpoint: ghost }\n`, 'case.yaml:7: steps.1.resend.endpoint: no endpoint named ghost'],
    [`${base}  - resend: { endpoint: app, within: soon }\n`, 'case.yaml:7: steps.1.resend.within: a duration like'],
    ['name: t\nsteps: [\n', 'case.yaml:3: '],
  ])('reports %#', (text, start) => {
    expect(problem(text).slice(0, start.length)).toBe(start);
  });

  it('ships its JSON Schema as examples/scenarios/scenario.schema.json, current with the zod schema', () => {
    const committed = JSON.parse(readFileSync(join(ROOT, 'examples/scenarios/scenario.schema.json'), 'utf8'));
    // regenerate with: node bin/hookbench.js run --schema > examples/scenarios/scenario.schema.json
    expect(committed).toEqual(scenarioJsonSchema());
  });
});
