// The type filters' names: the catalog's and the fired ones, each once, in the engine's order (code units), and the
// families they make.
import { mergeTypeNames, typeFamilies, typeFamily, uncataloguedNames } from '@renderer/lib/event-type-names';
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

describe('typeFamily and typeFamilies', () => {
  it('names the family by the first segment and its separator', () => {
    expect(typeFamily('invoice.paid')).toBe('invoice.*');
    expect(typeFamily('orders/create')).toBe('orders/*');
    expect(typeFamily('invoice.line.added')).toBe('invoice.*');
    expect(typeFamily('ping')).toBeNull();
    expect(typeFamily('.hidden')).toBeNull();
  });

  it('offers only families of two types or more, sorted', () => {
    expect(
      typeFamilies(['invoice.paid', 'ping', 'orders/create', 'invoice.created', 'orders/delete', 'user.created']),
    ).toEqual(['invoice.*', 'orders/*']);
    expect(typeFamilies([])).toEqual([]);
  });
});

describe('uncataloguedNames', () => {
  it('keeps the names the catalog lacks, each once, sorted', () => {
    expect(uncataloguedNames([{ name: 'invoice.paid' }], ['test.ping', 'invoice.paid', 'a.b', 'test.ping'])).toEqual([
      'a.b',
      'test.ping',
    ]);
    expect(uncataloguedNames([], [])).toEqual([]);
  });
});
