// inboxes.create with createEndpoint writes two things: the inbox, and an endpoint pointing at `/in/<its id>`.
// Neither may stay behind without the other. SQLite runs both in one transaction on its connection. PostgreSQL's
// PgEndpointStore opens its own transaction (and refreshes its cache after commit), so it cannot join the inbox's:
// there the inbox is inserted first and, when a later step fails, what was written is taken back (the inbox
// deleted, the endpoint soft-deleted) before the error goes on.
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import type { EndpointCreateInput } from '../../../shared';
import type { EndpointRepository } from '../context';
import type { InboxSettings, InboxStorePort } from '../store/inbox-ports';
import type { Awaitable } from './awaitable';
import type { InboxEndpoints } from './inbox-endpoints';
import type { InboxStore } from './inbox-store';

export interface LinkedInboxInput {
  settings: InboxSettings;
  createdAt: number;
  /** the endpoint to create for the new inbox, from its id; null = only the inbox */
  endpointFor: ((inboxId: string) => z.output<typeof EndpointCreateInput>) | null;
}

export interface LinkedInbox {
  id: string;
  /** the linked endpoint: the created one, else the one given in the settings */
  endpointId: string | null;
  /** the created endpoint's secret, shown once */
  endpointSecret: string | null;
}

export type CreateLinked = (input: LinkedInboxInput) => Awaitable<LinkedInbox>;

/** SQLite: one transaction; a failed endpoint insert leaves no orphan inbox behind. */
export function linkInTransaction(
  db: Database.Database,
  store: InboxStore,
  endpoints: EndpointRepository,
): CreateLinked {
  return (input) =>
    db.transaction((): LinkedInbox => {
      const id = store.insert({ ...input.settings, createdAt: input.createdAt });
      if (!input.endpointFor) return { id, endpointId: input.settings.endpointId, endpointSecret: null };
      const endpoint = endpoints.create(input.endpointFor(id));
      store.update(id, { ...input.settings, endpointId: endpoint.id });
      return { id, endpointId: endpoint.id, endpointSecret: endpoint.secret };
    })();
}

/** PostgreSQL (stores that cannot share a transaction): compensating writes when a later step fails. */
export function linkCompensating(store: InboxStorePort, endpoints: InboxEndpoints): CreateLinked {
  return async (input) => {
    const id = await store.insert({ ...input.settings, createdAt: input.createdAt });
    if (!input.endpointFor) return { id, endpointId: input.settings.endpointId, endpointSecret: null };
    let endpointId: string | null = null;
    try {
      const endpoint = await endpoints.create(input.endpointFor(id));
      endpointId = endpoint.id;
      await store.update(id, { ...input.settings, endpointId });
      return { id, endpointId, endpointSecret: endpoint.secret };
    } catch (err) {
      // best effort: the original error is what the caller needs; a failed take-back is not worth masking it
      await Promise.resolve(store.delete(id)).catch(() => false);
      if (endpointId) await Promise.resolve(endpoints.discard(endpointId)).catch(() => {});
      throw err;
    }
  };
}
