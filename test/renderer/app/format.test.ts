import { fuzzyFilter, fuzzyScore } from '@renderer/app/fuzzy';
import { hashToPath, navigate, parsePath } from '@renderer/app/router';
import { formatDuration, formatRelative, humanizeMs } from '@renderer/components/format';
import { describe, expect, it } from 'vitest';

describe('formatting', () => {
  it('durations read like a person would say them', () => {
    expect(formatDuration(1.28)).toBe('1.3 ms');
    expect(formatDuration(87.4)).toBe('87 ms');
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(95_000)).toBe('1 min 35 s');
    expect(humanizeMs(1600)).toBe('1.6 s');
    expect(humanizeMs(3_600_000)).toBe('1 h');
    expect(humanizeMs(5_400_000)).toBe('1 h 30 min');
    expect(humanizeMs(90_000_000)).toBe('1 d 1 h');
  });

  it('relative times go both ways', () => {
    const now = Date.parse('2026-11-26T12:00:00.000Z');
    expect(formatRelative('2026-11-26T11:59:57.000Z', now)).toBe('3 s ago');
    expect(formatRelative('2026-11-26T12:00:40.000Z', now)).toBe('in 40 s');
    expect(formatRelative('2026-11-26T09:00:00.000Z', now)).toBe('3 h ago');
  });

  it('relative times round to the nearest unit: a secret kept for 24 hours expires in 24 h', () => {
    const now = Date.parse('2026-11-26T12:00:00.000Z');
    const at = (ms: number) => new Date(now + ms).toISOString();
    expect(formatRelative(at(24 * 3_600_000 - 1_000), now)).toBe('in 24 h');
    expect(formatRelative(at(3_600_000 - 1_000), now)).toBe('in 1 h');
    expect(formatRelative(at(59 * 60_000 + 20_000), now)).toBe('in 59 min');
    expect(formatRelative(at(59_600), now)).toBe('in 1 min');
    expect(formatRelative(at(-(2 * 60_000 + 20_000)), now)).toBe('2 min ago');
    expect(formatRelative(at(-30 * 3_600_000), now)).toBe('1 d ago');
  });
});

describe('routing', () => {
  it('parses hash paths, ignoring a token fragment', () => {
    expect(hashToPath('')).toBe('/endpoints');
    expect(hashToPath('#token=abc')).toBe('/endpoints');
    expect(parsePath('/endpoints/ep_1')).toMatchObject({ page: 'endpoints', id: 'ep_1' });
    const r = parsePath('/deliveries?eventId=evt_1');
    expect(r.page).toBe('deliveries');
    expect(r.id).toBeNull();
    expect(r.params.get('eventId')).toBe('evt_1');
    expect(parsePath('/nope').page).toBe('endpoints');
  });

  it('a redirect decided for a path the location has left does nothing', () => {
    window.location.hash = '#/inbox';
    navigate('/inbox/inb_1', { replace: true, from: '/inbox' });
    expect(window.location.hash).toBe('#/inbox/inb_1');
    // a click moved on between the render and its effect: the stale redirect must not pull the user back
    window.location.hash = '#/endpoints/ep_1';
    navigate('/inbox/inb_1', { replace: true, from: '/inbox' });
    expect(window.location.hash).toBe('#/endpoints/ep_1');
  });
});

describe('fuzzy matching', () => {
  it('prefers substrings and word starts, rejects out-of-order letters', () => {
    expect(fuzzyScore('ord', 'order.shipped')).not.toBeNull();
    expect(fuzzyScore('dro', 'order')).toBeNull();
    const items = ['payment.completed', 'invoice.paid', 'user.created'];
    expect(fuzzyFilter(items, 'paid', (s) => [s])[0]).toBe('invoice.paid');
    expect(fuzzyFilter(items, 'ucr', (s) => [s])).toEqual(['user.created']);
  });
});
