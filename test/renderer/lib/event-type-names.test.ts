// The type filters' names: the catalog's and the fired ones, each once, in the engine's order (code units).
import { mergeTypeNames } from '@renderer/lib/event-type-names';
import { describe, expect, it } from 'vitest';

describe('mergeTypeNames', () => {
  it('joins the catalog and the fired types, each once, sorted by code unit', () => {
    const catalog = [{ name: 'order.shipped' }, { name: 'invoice.paid' }];
    expect(mergeTypeNames(catalog, ['invoice.paid', 'Zeta.up', 'a.b'])).toEqual([
      'Zeta.up',
      'a.b',
      'invoice.paid',
      'order.shipped',
    ]);
    expect(mergeTypeNames([], [])).toEqual([]);
    expect(mergeTypeNames(catalog, [])).toEqual(['invoice.paid', 'order.shipped']);
  });
});
