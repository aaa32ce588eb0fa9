// Contract-shaped values for tests that need an entity without an engine (transport units, renderer fakes).
import type { Endpoint } from '../../src/shared';

export const FIXTURE_TIME = '2026-11-26T12:00:00.000Z';

/** An endpoint as the API returns it, with the engine's defaults; `over` replaces fields (stats merge). */
export function makeEndpoint(over: Partial<Endpoint> = {}): Endpoint {
  return {
    id: 'ep_1',
    url: 'http://127.0.0.1:4000/webhooks',
    description: '',
    eventTypes: ['*'],
    enabled: true,
    disabledReason: null,
    disabledBy: null,
    scheme: 'standard',
    headers: {},
    timeoutMs: 15_000,
    rateLimitPerSec: null,
    retry: null,
    autoDisableThreshold: null,
    createdAt: FIXTURE_TIME,
    updatedAt: FIXTURE_TIME,
    ...over,
    stats: {
      recentAttempts: 0,
      successRate: null,
      p50Ms: null,
      consecutiveFailures: 0,
      pausedDeliveries: 0,
      pendingDeliveries: 0,
      ...over.stats,
    },
  };
}
