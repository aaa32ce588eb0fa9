// Reads a scenario file (YAML or JSON: YAML parses both) and validates it with the contract's zod schema. A bad
// file is reported with its file name, line and field, from yaml's source ranges for the path of the zod issue.
import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { Scenario } from '../../shared/scenario';

export interface ScenarioProblem {
  file: string;
  /** 1-based; 0 when the file could not be read */
  line: number;
  /** the dotted path of the field, '' for the whole file */
  field: string;
  message: string;
}

export type LoadedScenario = { ok: true; file: string; scenario: Scenario } | { ok: false; problem: ScenarioProblem };

type Path = (string | number)[];

/** `file:line: field: message`, the way compilers print it so editors can jump there (`file: message` unread). */
export function formatProblem(p: ScenarioProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}` : p.file;
  return `${where}: ${p.field ? `${p.field}: ` : ''}${p.message}`;
}

/**
 * A union's issue says only "Invalid input"; the branch whose issue reaches deepest is what the author meant
 * (a `fire` step with a bad type is a bad fire step, not "not any kind of step").
 */
function deepest(issue: z.core.$ZodIssue): { path: Path; issue: z.core.$ZodIssue } {
  const own = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // A branch with a key it does not know (`fire` in the `expect` branch) is another kind of thing.
    const foreign = (branch: z.core.$ZodIssue[]) =>
      branch.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0);
    let best: { path: Path; issue: z.core.$ZodIssue } | null = null;
    for (const branch of issue.errors) {
      if (foreign(branch) || !branch[0]) continue;
      const inner = deepest(branch[0]);
      if (!best || inner.path.length > best.path.length) best = inner;
    }
    // Every branch has a key it does not know: that key is the mistake (a typo such as `exepct`).
    const unknown = issue.errors[0]?.find((i) => i.code === 'unrecognized_keys' && i.path.length === 0);
    if (!best && unknown) best = deepest(unknown);
    if (best) return { path: [...own, ...best.path], issue: best.issue };
  }
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) {
    return { path: [...own, issue.keys[0]], issue };
  }
  return { path: own, issue };
}

/** Parses scenario text; `file` only names it in problems. */
export function parseScenario(text: string, file: string): LoadedScenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const pos = syntax.linePos?.[0] ?? lineCounter.linePos(syntax.pos[0]);
    return { ok: false, problem: { file, line: pos.line, field: '', message: syntax.message.split('\n')[0] ?? '' } };
  }
  const parsed = Scenario.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (parsed.success) return { ok: true, file, scenario: parsed.data };

  const first = parsed.error.issues[0] as z.core.$ZodIssue;
  const { path, issue } = deepest(first);
  // The line of the deepest node that exists on the path (a missing field is reported at its parent).
  let line = 1;
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      line = lineCounter.linePos(node.range[0]).line;
      break;
    }
  }
  const message = issue.code === 'invalid_union' ? 'not a valid value here' : issue.message;
  return { ok: false, problem: { file, line, field: path.join('.'), message } };
}

export function loadScenarioFile(file: string): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return { ok: false, problem: { file, line: 0, field: '', message: `cannot read the file (${code})` } };
  }
  return parseScenario(text, file);
}
