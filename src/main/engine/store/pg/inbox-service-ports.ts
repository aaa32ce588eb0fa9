// The inbox service's ports on PostgreSQL: PgInboxStore on the pool, verifying secrets from PgEndpointStore's cache
// (load() it first, as the core does), and inboxes.create's inbox + endpoint by compensating writes (PgEndpointStore
// opens its own transaction, so one spanning both stores is not possible: see receiver/inbox-link.ts).
import type pg from 'pg';
import { cachedInboxEndpoints } from '../../receiver/inbox-endpoints';
import { linkCompensating } from '../../receiver/inbox-link';
import type { InboxServicePorts } from '../../receiver/inbox-service';
import type { Clock } from '../../types';
import type { EndpointStorePort } from '../endpoint-ports';
import { PgInboxStore } from './inbox-store';

export function pgInboxPorts(
  pool: pg.Pool,
  endpoints: Pick<EndpointStorePort<unknown>, 'get' | 'create' | 'markDeleted' | 'target'>,
  clock: Pick<Clock, 'now'>,
): InboxServicePorts {
  const store = new PgInboxStore(pool);
  const linked = cachedInboxEndpoints(endpoints, () => clock.now());
  return { store, endpoints: linked, createLinked: linkCompensating(store, linked) };
}
