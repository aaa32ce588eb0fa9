// events.preview: the exact requests an event would send now, signed, without sending or storing anything. Over the
// endpoints' in-memory view only (matching and targets), so SQLite's EventService and the PostgreSQL engine share it.
import type { z } from 'zod';
import { type EventInput, type EventPreview, notFound } from '../../../shared';
import type { DispatchTarget, MatchedEndpoint } from '../db/endpoint-logic';
import { iso } from '../db/util';
import { buildRequest } from '../delivery/attempt';
import { newId } from '../ids';
import { checkedJson } from './service';

/** The endpoints a preview renders for. */
export interface PreviewTargets {
  /** matching endpoints; every id in `only` must exist (not_found otherwise) */
  targets(type: string, only?: readonly string[]): MatchedEndpoint[];
  /** the endpoint as the dispatcher sends to it now; null when unknown */
  target(id: string): DispatchTarget | null;
}

export function previewEvent(input: z.output<typeof EventInput>, now: number, endpoints: PreviewTargets): EventPreview {
  checkedJson(input.data);
  const envelope = { id: newId(), type: input.type, version: input.version, created_at: iso(now), data: input.data };
  const event = {
    id: envelope.id,
    type: input.type,
    version: input.version,
    createdAt: envelope.created_at,
    data: input.data,
  };
  // paused (auto-disabled) endpoints get a delivery that waits, not a request now
  const live = endpoints.targets(input.type, input.endpointIds).filter((t) => !t.paused);
  const requests = live.map(({ id: endpointId }) => {
    const t = endpoints.target(endpointId);
    if (!t) throw notFound('endpoint', endpointId);
    const req = buildRequest(
      { endpointId, url: t.url, scheme: t.scheme, headers: t.headers, secrets: t.secrets, timeoutMs: t.timeoutMs },
      event,
      now,
    );
    return { endpointId, url: req.url, method: 'POST' as const, headers: req.headers, body: req.body };
  });
  return { envelope, requests };
}

/**
 * PreviewTargets over an endpoint cache alone (PostgreSQL's PgEndpointStore): an id in `only` that is unknown or
 * deleted is not_found, as SQLite's row() refuses it (and as the PostgreSQL engine's fan-out does).
 */
export function cachedPreviewTargets(endpoints: {
  matching(type: string, only?: readonly string[]): MatchedEndpoint[];
  target(id: string): DispatchTarget | null;
}): PreviewTargets {
  return {
    targets: (type, only) => {
      for (const id of only ?? []) {
        const t = endpoints.target(id);
        if (!t || t.deleted) throw notFound('endpoint', id);
      }
      return endpoints.matching(type, only ? [...new Set(only)] : undefined);
    },
    target: (id) => endpoints.target(id),
  };
}
