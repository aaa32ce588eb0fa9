// SlotMap: behaves as an insertion-ordered Map for what the engine uses, and keeps no reference to what it let go.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SlotMap } from '../../src/main/engine/slot-map';

type Op =
  | { op: 'set'; key: number; value: number }
  | { op: 'delete'; key: number }
  | { op: 'rotate'; key: number }
  | { op: 'clear' };

const opArb = (keys: number): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.record({ op: fc.constant('set' as const), key: fc.nat(keys), value: fc.integer() }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('delete' as const), key: fc.nat(keys) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('rotate' as const), key: fc.nat(keys) }) },
    { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
  );

/** string keys shaped like the engine's ids, or plain numbers */
const keyOf = (kind: 'string' | 'number', k: number): string | number =>
  kind === 'number' ? k * 7919 : `01a22e73-7fb2-7075-ac94-${String(k).padStart(12, '0')}`;

function apply(kind: 'string' | 'number', ops: Op[]): void {
  const ref = new Map<string | number, number>();
  const m = new SlotMap<string | number, number>();
  for (const o of ops) {
    if (o.op === 'set') {
      ref.set(keyOf(kind, o.key), o.value);
      m.set(keyOf(kind, o.key), o.value);
    } else if (o.op === 'delete') {
      expect(m.delete(keyOf(kind, o.key))).toBe(ref.delete(keyOf(kind, o.key)));
    } else if (o.op === 'rotate') {
      // what the scheduler does: the entry goes to the back
      const k = keyOf(kind, o.key);
      const v = ref.get(k);
      if (v !== undefined) {
        ref.delete(k);
        ref.set(k, v);
        m.delete(k);
        m.set(k, v);
      }
    } else {
      ref.clear();
      m.clear();
    }
    expect(m.size).toBe(ref.size);
    const k = keyOf(kind, 'key' in o ? o.key : 0);
    expect(m.has(k)).toBe(ref.has(k));
    expect(m.get(k)).toBe(ref.get(k));
  }
  expect(m.keysArray()).toEqual([...ref.keys()]);
  expect(m.valuesArray()).toEqual([...ref.values()]);
}

describe('SlotMap', () => {
  it('answers as a Map does, in the same order, over random sets, deletes, moves to the back and clears', () => {
    for (const kind of ['string', 'number'] as const) {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 200 }), fc.array(opArb(200), { maxLength: 600 }), (keys, ops) => {
          apply(
            kind,
            ops.map((o) => ('key' in o ? { ...o, key: o.key % keys } : o)),
          );
        }),
        { numRuns: 150 },
      );
    }
  });

  it('lets forEach delete entries, the current one or others, and stops some() at the first true', () => {
    const m = new SlotMap<string, number>();
    for (let i = 0; i < 20; i++) m.set(`k${i}`, i);
    const seen: number[] = [];
    m.forEach((v, k) => {
      seen.push(v);
      if (v % 2 === 0) m.delete(k);
      if (v === 5) m.delete('k7');
    });
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(m.keysArray()).toEqual(['k1', 'k3', 'k5', 'k9', 'k11', 'k13', 'k15', 'k17', 'k19']);
    const visited: number[] = [];
    expect(
      m.some((v) => {
        visited.push(v);
        return v >= 9;
      }),
    ).toBe(true);
    expect(visited).toEqual([1, 3, 5, 9]);
    expect(m.some(() => false)).toBe(false);
  });

  it('keeps no reference to a deleted value, in the storage it uses or in the storage it stopped using', () => {
    type Inside = { keys: unknown[]; vals: unknown[] };
    const m = new SlotMap<number, { n: number }>();
    const inside = () => m as unknown as Inside;
    const gone = new Set<{ n: number }>();
    const abandoned: Inside[] = [];
    let next = 0;
    // churn as the engine does (set one, drop an older one), through compactions and growth
    for (let round = 0; round < 2_000; round++) {
      const before = { keys: inside().keys, vals: inside().vals };
      m.set(next, { n: next });
      next++;
      if (inside().keys !== before.keys) abandoned.push(before);
      if (round % 3 !== 0) {
        const k = next - 1 - (round % 7);
        const v = m.get(k);
        if (v && m.delete(k)) gone.add(v);
      }
    }
    // it grew several times on the way (8 entries at first)
    expect(abandoned.length).toBeGreaterThan(3);
    for (const v of inside().vals) expect(gone.has(v as { n: number })).toBe(false);
    for (const old of abandoned) {
      expect(old.keys.every((k) => k === undefined)).toBe(true);
      expect(old.vals.every((v) => v === undefined)).toBe(true);
    }
    const live = m.valuesArray();
    expect(live).toHaveLength(m.size);
    expect(inside().vals.filter((v) => v !== undefined)).toHaveLength(m.size);
  });
});
