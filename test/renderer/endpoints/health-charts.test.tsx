// The endpoint page's "Health over time" follows the endpoint's deliveries as they move (push invalidation), as the
// Health card beside it does, without one aggregate per push in a burst.
import { HealthCharts } from '@renderer/features/endpoints/health-charts';
import { usePushInvalidation, useRoute } from '@renderer/lib/query';
import type { EndpointHealth, EndpointStatsOutput } from '@shared';
import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createFakeClient, renderWithClient } from '../support';

const T = Date.parse('2026-11-26T12:00:00.000Z');

function health(endpointId: string, attempts: number): EndpointHealth {
  return {
    endpointId,
    attempts,
    succeeded: attempts,
    successRate: attempts === 0 ? null : 1,
    p50Ms: attempts === 0 ? null : 12,
    p95Ms: attempts === 0 ? null : 20,
    buckets: [{ t: T, attempts, succeeded: attempts, p50Ms: null, p95Ms: null }],
    codes: attempts === 0 ? [] : [{ code: '200', count: attempts }],
  };
}

function stats(endpoints: EndpointHealth[]): EndpointStatsOutput {
  return {
    window: '24h',
    from: new Date(T - 86_400_000).toISOString(),
    to: new Date(T).toISOString(),
    bucketMs: 3_600_000,
    endpoints,
  };
}

/** The endpoint list's aggregate over every endpoint, mounted beside the charts. */
function AllEndpointsStats() {
  useRoute('endpoints.stats', { window: '24h' });
  return null;
}

function Page() {
  usePushInvalidation(10, 80);
  return (
    <>
      <HealthCharts endpointId="ep_1" />
      <AllEndpointsStats />
    </>
  );
}

const moved = (endpointId: string, n: number) => ({
  id: `dlv_${n}`,
  eventId: `evt_${n}`,
  endpointId,
  status: 'succeeded' as const,
  attemptCount: 1,
  maxAttempts: 8,
  lastStatus: 200,
});

describe('health over time', () => {
  it("refetches once per burst of the endpoint's delivery updates, not for other endpoints' ones", async () => {
    let attempts = 0;
    const client = createFakeClient({
      'endpoints.stats': ({ endpointId }) =>
        stats(endpointId ? [health(endpointId, attempts)] : [health('ep_1', attempts), health('ep_2', 5)]),
    });
    renderWithClient(<Page />, { client });
    expect(await screen.findByText('No attempts in this window.')).toBeTruthy();
    const ofEndpoint = () => client.callsOf('endpoints.stats').filter((i) => i.endpointId === 'ep_1').length;
    const ofAll = () => client.callsOf('endpoints.stats').filter((i) => i.endpointId === undefined).length;
    expect([ofEndpoint(), ofAll()]).toEqual([1, 1]);

    // another endpoint's deliveries: nothing to refetch here
    act(() => {
      for (let i = 0; i < 500; i++) client.emit('delivery.updated', moved('ep_2', i));
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(ofEndpoint()).toBe(1);

    // two attempts succeed, announced among 2,000 updates of this endpoint's deliveries
    attempts = 2;
    act(() => {
      for (let i = 0; i < 2000; i++) client.emit('delivery.updated', moved('ep_1', i));
      client.emit('endpoint.updated', { id: 'ep_1' });
    });
    expect(await screen.findByText('100% of 2 attempts succeeded')).toBeTruthy();
    await new Promise((r) => setTimeout(r, 200));
    expect(ofEndpoint()).toBe(2);
    // the list's aggregate over every endpoint keeps its own interval
    expect(ofAll()).toBe(1);
  });
});
