// The inbox service's ports on PostgreSQL: PgInboxStore on the pool, verifying secrets from PgEndpointStore's cache
// (load() it first, as the core does), and inboxes.create's inbox + endpoint by compensating writes (PgEndpointStore
// opens its own transaction, so one spanning both stores is not possible: see receiver/inbox-link.ts). Each inbox
// write through the service NOTIFYs INBOX_CHANNEL with the inbox's id: a process LISTENing calls its service's
// refresh(id), so its receiver answers with the new script (or a 404) from the next request. The receiver's last
// port is remembered in the shared settings table: with several processes on one machine, the first one holds it
// and the others listen elsewhere, leaving the inboxes' URLs at the held port (receiver/inbox-address.ts).
import type pg from 'pg';
import { INBOX_PORT_KEY, portFromStored } from '../../receiver/inbox-address';
import { cachedInboxEndpoints } from '../../receiver/inbox-endpoints';
import { linkCompensating } from '../../receiver/inbox-link';
import type { InboxServicePorts } from '../../receiver/inbox-service';
import type { Clock } from '../../types';
import type { EndpointStorePort } from '../endpoint-ports';
import { PgInboxStore } from './inbox-store';
import { pgUnreachable } from './pool';
import { SETTINGS_SQL } from './settings';

/** NOTIFY channel of inbox writes; the payload is the inbox's id. */
export const INBOX_CHANNEL = 'hookbench_inboxes';

export function pgInboxPorts(
  pool: pg.Pool,
  endpoints: Pick<EndpointStorePort<unknown>, 'get' | 'create' | 'markDeleted' | 'target'>,
  clock: Pick<Clock, 'now'>,
): InboxServicePorts {
  const store = new PgInboxStore(pool);
  const linked = cachedInboxEndpoints(endpoints, () => clock.now());
  return {
    store,
    endpoints: linked,
    createLinked: linkCompensating(store, linked),
    unreachable: pgUnreachable,
    announce: async (inboxId) => {
      await pool.query('SELECT pg_notify($1, $2)', [INBOX_CHANNEL, inboxId]);
    },
    portMemory: {
      get: async () => {
        const r = await pool.query<{ value: string }>(SETTINGS_SQL.get, [INBOX_PORT_KEY]);
        return portFromStored(r.rows[0]?.value);
      },
      set: async (port) => {
        await pool.query(SETTINGS_SQL.put, [INBOX_PORT_KEY, String(port)]);
      },
    },
  };
}
