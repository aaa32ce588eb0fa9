// The dispatcher's view of an endpoint, for tests that drive a Dispatcher on ports of their own.
import type { DispatchTarget } from '../../src/main/engine/db/endpoints';

/** An enabled endpoint as the endpoint cache hands it to the dispatcher (a 5 s timeout, no rate limit). */
export function dispatchTarget(id: string, url: string, secrets: string[] = []): DispatchTarget {
  return {
    id,
    url,
    scheme: 'standard',
    headers: {},
    timeoutMs: 5_000,
    rateLimitPerSec: null,
    retry: null,
    enabled: true,
    deleted: false,
    disabledBy: null,
    system: false,
    secrets,
    secretsError: null,
    validUntil: Number.POSITIVE_INFINITY,
  };
}
