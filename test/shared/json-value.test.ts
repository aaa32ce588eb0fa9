import { describe, expect, it } from 'vitest';
import { JsonValue, jsonProblem, MAX_JSON_DEPTH } from '../../src/shared';

const nested = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

describe('JsonValue', () => {
  it('accepts ordinary JSON and nesting up to the limit', () => {
    expect(JsonValue.safeParse({ a: [1, 'x', null, true, { b: 2.5 }] }).success).toBe(true);
    expect(JsonValue.safeParse(nested(MAX_JSON_DEPTH)).success).toBe(true);
    expect(JsonValue.safeParse('text').success).toBe(true);
  });

  it('refuses hostile nesting with an issue instead of overflowing the stack', () => {
    for (const depth of [MAX_JSON_DEPTH + 1, 50_000]) {
      const res = JsonValue.safeParse(nested(depth));
      expect(res.success).toBe(false);
      expect(res.error?.issues[0]?.message).toBe(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
  });

  it('still refuses values that are not JSON', () => {
    expect(JsonValue.safeParse({ f: () => 1 }).success).toBe(false);
    expect(JsonValue.safeParse(undefined).success).toBe(false);
  });

  it('says which value is not JSON, and where', () => {
    const issue = (v: unknown) => {
      const res = JsonValue.safeParse(v);
      expect(res.success).toBe(false);
      const [first] = res.error?.issues ?? [];
      return [first?.path, first?.message];
    };
    expect(issue(undefined)).toEqual([[], 'required (any JSON value)']);
    expect(issue({ a: [1, Number.POSITIVE_INFINITY] })).toEqual([
      ['a', 1],
      'Infinity is not JSON (numbers must be finite)',
    ]);
    expect(issue({ a: { b: Number.NaN } })).toEqual([['a', 'b'], 'NaN is not JSON (numbers must be finite)']);
    expect(issue([{ ok: 1 }, { x: undefined }])).toEqual([[1, 'x'], 'undefined is not JSON']);
    expect(issue({ n: 10n })).toEqual([['n'], 'a bigint is not JSON']);
    expect(issue({ f: () => 1 })).toEqual([['f'], 'a function is not JSON']);
    // the first one in document order
    expect(issue({ a: Number.NaN, b: undefined })[0]).toEqual(['a']);
    expect(jsonProblem({ a: [1, 'x', null, true, { b: 2.5 }] }, MAX_JSON_DEPTH)).toBeNull();
  });

  it('measures depth iteratively', () => {
    expect(jsonProblem(nested(3), 3)).toBeNull();
    expect(jsonProblem(nested(4), 3)).not.toBeNull();
    expect(jsonProblem(42, 0)).toBeNull();
  });
});
