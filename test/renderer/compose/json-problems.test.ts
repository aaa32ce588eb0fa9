// Placing problems on the composer's text: a syntax error where JSON.parse stopped, and the engine validator's
// schema issues (as eventTypes.validate returns them; test/engine/event-schemas.test.ts checks that side) on the
// offending value or member name.
import { displayPointer, locateJson } from '@renderer/features/compose/json-locate';
import { checkJson, placeSchemaIssues } from '@renderer/features/compose/json-problems';
import type { SchemaIssue } from '@shared';
import { describe, expect, it } from 'vitest';

const text = '{\n  "object": {\n    "id": 7,\n    "a/b": [1, {"x": true}]\n  }\n}';

describe('locating issues in the text', () => {
  it('maps JSON Pointers to value and key spans', () => {
    const spans = locateJson(text);
    const id = spans.get('/object/id');
    expect(text.slice(id?.from, id?.to)).toBe('7');
    expect(text.slice(id?.keyFrom, id?.keyTo)).toBe('"id"');
    const x = spans.get('/object/a~1b/1/x');
    expect(text.slice(x?.from, x?.to)).toBe('true');
    expect(displayPointer('/object/a~1b/1/x')).toBe('object["a/b"][1].x');
    expect(displayPointer('')).toBe('(root)');
  });

  it('reports a syntax error with its position', () => {
    const result = checkJson('{\n  "a": 1,\n}');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.kind).toBe('syntax');
    expect(result.problems[0]?.from).toBeGreaterThan(8);
  });

  it('underlines the offending value, the member name for a missing property, the key of an extra one', () => {
    const issues: SchemaIssue[] = [
      { instancePath: '/object/id', keyword: 'type', message: 'must be string' },
      { instancePath: '/object', keyword: 'required', message: "must have required property 'currency'" },
      {
        instancePath: '/object',
        keyword: 'additionalProperties',
        message: "must NOT have additional properties 'a/b'",
        property: 'a/b',
      },
    ];
    const problems = placeSchemaIssues(text, issues);
    const byMessage = new Map(problems.map((p) => [p.message, text.slice(p.from, p.to)]));
    expect(byMessage.get("object: must have required property 'currency'")).toBe('"object"');
    expect(byMessage.get('object.id: must be string')).toBe('7');
    expect(byMessage.get("object: must NOT have additional properties 'a/b'")).toBe('"a/b"');
    // ordered by position
    expect(problems.map((p) => p.from)).toEqual([...problems.map((p) => p.from)].sort((a, b) => a - b));
  });
});
