// PostgreSQL alone: two processes' endpoint stores on one database, each with its own pool and cache (as two
// `hookbench serve` processes have). What A writes, B reads at once from the database (get, secrets), while B's
// cache (target, matching) keeps its old answer until B.refresh(id), as the topic relay will call on
// `endpoint.updated`; then both caches agree. Secrets sealed by A open in B: one key, one SecretBox format.
import { expect } from 'vitest';
import type { Clock, SecretBox } from '../../src/main/engine/types';
import { EndpointCreateInput, EndpointUpdateInput } from '../../src/shared';
import { pgStores } from './endpoint-stores';

const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const WHSEC2 = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';

export async function endpointsTwoProcesses(url: string, clock: Clock, box: SecretBox): Promise<void> {
  const a = await pgStores(url, clock, box);
  const b = await pgStores(url, clock, box);
  try {
    const ep = await a.endpoints.create(
      EndpointCreateInput.parse({ url: 'https://example.com/shared', eventTypes: ['order.*'], secret: WHSEC }),
    );
    // B has never heard of it: unknown to its cache (a reload is asked for), known to its database reads
    expect(b.endpoints.target(ep.id)).toBeNull();
    expect(b.endpoints.matching('order.placed', [ep.id])).toEqual([]);
    expect((await b.endpoints.get(ep.id)).url).toBe('https://example.com/shared');
    await b.endpoints.settled();
    expect(b.endpoints.target(ep.id)?.secrets).toEqual([WHSEC]);
    // the reload found it; matching follows from the same cache
    expect(b.endpoints.matching('order.placed', [ep.id])).toEqual([{ id: ep.id, paused: false }]);

    await a.endpoints.update(
      EndpointUpdateInput.parse({ id: ep.id, url: 'https://example.com/moved', eventTypes: ['refund.*'] }) as never,
    );
    await a.endpoints.rotate(ep.id, 3600, WHSEC2);
    expect(a.endpoints.target(ep.id)).toMatchObject({ url: 'https://example.com/moved', secrets: [WHSEC2, WHSEC] });
    // B's cache is stale: the old URL, secrets and filters
    expect(b.endpoints.target(ep.id)).toMatchObject({ url: 'https://example.com/shared', secrets: [WHSEC] });
    expect(b.endpoints.matching('order.placed', [ep.id])).toHaveLength(1);
    expect(b.endpoints.matching('refund.issued', [ep.id])).toEqual([]);
    // ...while its database reads are current, and open what A sealed
    expect(await b.endpoints.signingSecrets(ep.id)).toEqual([WHSEC2, WHSEC]);
    expect((await b.endpoints.secretInfo(ep.id)).secret).toBe(WHSEC2);

    await b.endpoints.refresh(ep.id);
    expect(b.endpoints.target(ep.id)).toEqual(a.endpoints.target(ep.id));
    expect(b.endpoints.matching('refund.issued', [ep.id])).toEqual(a.endpoints.matching('refund.issued', [ep.id]));
    expect(b.endpoints.matching('order.placed', [ep.id])).toEqual([]);

    // a delete in A: B still targets it until refresh, then sees it deleted and matches it no more
    await a.endpoints.markDeleted(ep.id, clock.now());
    expect(b.endpoints.target(ep.id)?.deleted).toBe(false);
    await b.endpoints.refresh();
    expect(b.endpoints.target(ep.id)).toBeNull();
    await b.endpoints.settled();
    expect(b.endpoints.target(ep.id)).toMatchObject({ deleted: true, enabled: false });
    expect(b.endpoints.matching('refund.issued', [ep.id])).toEqual([]);

    // settings: B's cached copy is stale until refresh; the operational secret A rotated opens in B
    await a.settings.update({ concurrency: 7 });
    const rotated = await a.settings.rotateOperationalSecret();
    expect(b.settings.get().concurrency).not.toBe(7);
    await b.settings.refresh();
    expect(b.settings.get()).toEqual(a.settings.get());
    expect(b.settings.operationalSecretNow()).toBe(rotated);
  } finally {
    await a.pool.end();
    await b.pool.end();
  }
}
