// Words for what a delivery waits for, and the log's count line.
import { deliveryCountText } from '@renderer/features/deliveries/DeliveriesPage';
import { errorWord, isRetrying, pausedReason } from '@renderer/features/deliveries/delivery-state';
import { describe, expect, it } from 'vitest';
import { makeDelivery, makeEndpoint } from '../support';

describe('delivery state words', () => {
  it('tells a retry apart from a first attempt', () => {
    expect(isRetrying(makeDelivery({ status: 'pending', attemptCount: 0 }))).toBe(false);
    expect(isRetrying(makeDelivery({ status: 'pending', attemptCount: 2 }))).toBe(true);
    expect(isRetrying(makeDelivery({ status: 'failed', attemptCount: 2 }))).toBe(false);
  });

  it('says why a paused delivery waits: auto-disable or a person', () => {
    const paused = makeDelivery({ status: 'paused', pausedReason: 'endpoint_auto_disabled' });
    const auto = makeEndpoint({ enabled: false, disabledReason: '5 consecutive failed attempts; last: HTTP 500' });
    expect(pausedReason(paused, auto)).toEqual({ auto: true, text: auto.disabledReason });
    const manual = makeEndpoint({ enabled: false, disabledReason: 'Disabled manually' });
    const byHand = makeDelivery({ status: 'paused', pausedReason: 'endpoint_disabled' });
    expect(pausedReason(byHand, manual)).toEqual({ auto: false, text: 'Disabled manually' });
    // a person disabled the auto-disabled endpoint since: it waits for that person now, not for auto-disable
    const since = makeEndpoint({ enabled: false, disabledBy: 'manual', disabledReason: 'Disabled manually' });
    expect(pausedReason(paused, since)).toEqual({ auto: false, text: 'Disabled manually' });
    expect(pausedReason(paused, makeEndpoint({ enabled: true }))).toBeNull();
    expect(pausedReason(makeDelivery({ status: 'failed' }), manual)).toBeNull();
  });

  it('names transport errors in one word', () => {
    expect(errorWord('timeout after 300 ms')).toBe('timeout');
    expect(errorWord('connection refused (ECONNREFUSED)')).toBe('refused');
    expect(errorWord('TLS error: wrong version number (ERR_SSL_WRONG_VERSION_NUMBER)')).toBe('TLS');
    expect(errorWord('Response does not match the HTTP/1.1 protocol (Expected HTTP/)')).toBe('invalid');
    expect(errorWord(null)).toBeNull();
  });
});

describe('deliveryCountText', () => {
  it('shows the number matching apart from the number loaded', () => {
    expect(deliveryCountText(10_200, 400, false, false)).toBe('10,200 matching · 400 loaded');
    expect(deliveryCountText(12, 12, true, false)).toBe('12 matching');
    expect(deliveryCountText(undefined, 200, false, false)).toBe('200 loaded');
    expect(deliveryCountText(undefined, 7, true, false)).toBe('7 matching');
    expect(deliveryCountText(5, 0, false, true)).toBe('');
  });
});
