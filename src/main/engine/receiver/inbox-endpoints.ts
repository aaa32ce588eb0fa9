// What the inbox service needs of the endpoints: checking a link, creating an inbox's own endpoint, and the scheme and
// secrets that verify captured requests. verifyWith answers synchronously (it runs per captured request): SQLite
// reads its rows, PostgreSQL answers from PgEndpointStore's cache (kept by load/refresh).
import type { z } from 'zod';
import type { EndpointCreateInput, EndpointWithSecret } from '../../../shared';
import type { EndpointRepository } from '../context';
import type { EndpointStorePort } from '../store/endpoint-ports';
import type { Awaitable } from './awaitable';
import type { VerifyWith } from './verdict';

export interface InboxEndpoints {
  /** throws not_found for an unknown (or deleted) endpoint */
  check(id: string): Awaitable<void>;
  create(input: z.output<typeof EndpointCreateInput>): Awaitable<EndpointWithSecret>;
  /** takes back an endpoint created for an inbox whose creation failed afterwards (no transaction spans both) */
  discard(id: string): Awaitable<void>;
  /** scheme and signing secrets of a live endpoint; null when it is gone (the request gets no verdict) */
  verifyWith(id: string): VerifyWith | null;
}

/** SQLite: the engine's EndpointStore, read synchronously; inboxes.create runs in its transaction (no discard). */
export function sqliteInboxEndpoints(endpoints: EndpointRepository): InboxEndpoints {
  return {
    check: (id) => {
      endpoints.get(id);
    },
    create: (input) => endpoints.create(input),
    discard: () => {},
    verifyWith: (id) => {
      try {
        return { scheme: endpoints.scheme(id), secrets: endpoints.signingSecrets(id) };
      } catch {
        // the linked endpoint is gone (soft-deleted)
        return null;
      }
    },
  };
}

/** PostgreSQL: PgEndpointStore (any EndpointStorePort whose target() cache is loaded). */
export function cachedInboxEndpoints(
  endpoints: Pick<EndpointStorePort<unknown>, 'get' | 'create' | 'markDeleted' | 'target'>,
  now: () => number,
): InboxEndpoints {
  return {
    check: async (id) => {
      await endpoints.get(id);
    },
    create: (input) => endpoints.create(input),
    discard: (id) => endpoints.markDeleted(id, now()),
    verifyWith: (id) => {
      const t = endpoints.target(id);
      if (!t || t.deleted || t.system) return null;
      return { scheme: t.scheme, secrets: t.secrets };
    },
  };
}
