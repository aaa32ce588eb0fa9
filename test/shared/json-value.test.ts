import { describe, expect, it } from 'vitest';
import { JsonValue, jsonDepthWithin, MAX_JSON_DEPTH } from '../../src/shared';

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

  it('measures depth iteratively', () => {
    expect(jsonDepthWithin(nested(3), 3)).toBe(true);
    expect(jsonDepthWithin(nested(4), 3)).toBe(false);
    expect(jsonDepthWithin(42, 0)).toBe(true);
  });
});
