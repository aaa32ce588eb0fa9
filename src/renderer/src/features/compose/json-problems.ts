// What is wrong with the composer's JSON: one syntax error (found here, with its line and column), or schema
// issues found by the engine's validator (eventTypes.validate) and placed on the text here.
import type { SchemaIssue } from '@shared';
import { displayPointer, type JsonSpan, locateJson } from './json-locate';

export interface JsonProblem {
  kind: 'syntax' | 'schema';
  /** character offsets in the text to underline */
  from: number;
  to: number;
  message: string;
}

export type JsonCheck = { ok: true; value: unknown } | { ok: false; problems: JsonProblem[] };

/** The offset a JSON.parse error points at (V8 says "at position N" and/or "(line L column C)"). */
function errorOffset(message: string, text: string): number {
  const pos = /at position (\d+)/.exec(message);
  if (pos) return Number(pos[1]);
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) {
    const lines = text.split('\n').slice(0, Number(lc[1]) - 1);
    return lines.reduce((n, l) => n + l.length + 1, 0) + Number(lc[2]) - 1;
  }
  return text.length;
}

function spanOf(issue: SchemaIssue, spans: Map<string, JsonSpan>, text: string): { from: number; to: number } {
  const member = issue.property !== undefined && ['additionalProperties', 'propertyNames'].includes(issue.keyword);
  const span = spans.get(
    member
      ? `${issue.instancePath}/${issue.property?.replaceAll('~', '~0').replaceAll('/', '~1')}`
      : issue.instancePath,
  );
  if (!span) return { from: 0, to: Math.min(1, text.length) };
  if (member && span.keyFrom !== undefined) return { from: span.keyFrom, to: span.keyTo ?? span.to };
  // A whole object or array is too much to underline: mark its name, or its opening bracket at the root.
  const opener = text[span.from];
  if (opener === '{' || opener === '[') {
    return span.keyFrom !== undefined
      ? { from: span.keyFrom, to: span.keyTo ?? span.to }
      : { from: span.from, to: span.from + 1 };
  }
  return { from: span.from, to: span.to };
}

/** Parses `text`; a syntax error is one problem placed where JSON.parse stopped. */
export function checkJson(text: string): JsonCheck {
  if (text.trim() === '')
    return {
      ok: false,
      problems: [{ kind: 'syntax', from: 0, to: 0, message: 'Empty: the data must be a JSON value' }],
    };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = Math.min(errorOffset(message, text), text.length);
    return { ok: false, problems: [{ kind: 'syntax', from: at, to: Math.min(at + 1, text.length), message }] };
  }
}

/** The engine's schema issues for `text` (which JSON.parse accepted), placed on it and ordered by position. */
export function placeSchemaIssues(text: string, issues: readonly SchemaIssue[]): JsonProblem[] {
  if (issues.length === 0) return [];
  const spans = locateJson(text);
  return issues
    .map((issue) => ({
      kind: 'schema' as const,
      ...spanOf(issue, spans, text),
      message: `${displayPointer(issue.instancePath)}: ${issue.message}`,
    }))
    .sort((a, b) => a.from - b.from);
}

/** Line and column (1-based) of an offset, for the problem list. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
