// Event and delivery ids: UUID v7, unique, and in creation order (what keeps the id-keyed indexes append-only).
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/main/engine/ids';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newId', () => {
  it('makes RFC 9562 version 7 uuids carrying the current millisecond', () => {
    const before = Date.now();
    const id = newId();
    const after = Date.now();
    expect(id).toMatch(V7);
    const ms = Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    // a burst may borrow a few milliseconds ahead to stay ordered; never more than the burst needs
    expect(ms).toBeLessThanOrEqual(after + 10);
  });

  it('stays unique and strictly increasing through a burst far larger than one millisecond holds', () => {
    const ids = Array.from({ length: 50_000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!, `${ids[i - 1]} < ${ids[i]}`).toBe(true);
    expect(ids.every((id) => V7.test(id))).toBe(true);
  });
});
