// An inbox's URL names its receiver's port, and an endpoint made for an inbox holds that URL. So that restarting the
// engine never leaves such endpoints sending to a closed port:
// - the receiver listens on the port this database's receiver used last (remembered in the settings table), or on
//   the port it is told (remembered then); the first time, on a free one (remembered);
// - once it listens there, endpoints that still hold an earlier address of one of its inboxes are pointed at the
//   current one (databases from before this, whose receiver took a new free port at every start). Only a plain-HTTP
//   loopback URL whose path is `/in/<id of an inbox there is>` counts as such an address: a tunnel's URL, another
//   machine's, or an endpoint a person pointed anywhere else stays as it is;
// - when another process holds the remembered port (this database's other engine, most likely: `serve` beside
//   `run --db`, or several processes on PostgreSQL), this one listens on a free port and neither remembers it nor
//   moves any endpoint: the inboxes are served at the held port, which outlives this process.
import type { EngineContext } from '../context';
import type { EndpointStorePort } from '../store/endpoint-ports';
import type { Awaitable } from './awaitable';
import type { InboxService } from './inbox-service';

/** The settings row (key) that remembers the receiver's port. */
export const INBOX_PORT_KEY = 'inbox_port';

/** Where the receiver's last port is kept: the settings table of SQLite or PostgreSQL. */
export interface PortMemory {
  get(): Awaitable<number | null>;
  set(port: number): Awaitable<void>;
}

/** A stored value of INBOX_PORT_KEY as a port, or null (absent, or not a port). */
export function portFromStored(value: string | undefined): number | null {
  const port = value === undefined ? Number.NaN : Number(value);
  return Number.isInteger(port) && port > 0 && port <= 65_535 ? port : null;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The inbox id of a loopback inbox address (`http://127.0.0.1:<port>/in/<id>`), else null. */
export function inboxIdOf(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' || !LOOPBACK.has(u.hostname) || u.search !== '' || u.username !== '') return null;
  const m = /^\/in\/([^/]+)$/.exec(u.pathname);
  return m?.[1] ?? null;
}

export interface RepointParts {
  /** the endpoints people send to (not the system endpoint), with their URLs */
  endpoints(): Awaitable<ReadonlyArray<{ id: string; url: string }>>;
  /** the ids of the inboxes there are */
  inboxIds(): Awaitable<Iterable<string>>;
  /** an inbox's URL at the receiver's current address */
  urlOf(inboxId: string): string;
  /** stores an endpoint's new URL (and tells whoever follows endpoint changes) */
  setUrl(endpointId: string, url: string): Awaitable<void>;
}

export interface Repointed {
  endpointId: string;
  from: string;
  to: string;
}

/** Points endpoints holding an earlier address of an inbox at its current one; what it changed. */
export async function repointInboxEndpoints(parts: RepointParts): Promise<Repointed[]> {
  const inboxes = new Set(await parts.inboxIds());
  const changed: Repointed[] = [];
  for (const e of await parts.endpoints()) {
    const inboxId = inboxIdOf(e.url);
    if (inboxId === null || !inboxes.has(inboxId)) continue;
    const to = parts.urlOf(inboxId);
    // loopback for loopback only (a receiver bound to another interface leaves its endpoints as they are)
    if (to === e.url || inboxIdOf(to) !== inboxId) continue;
    await parts.setUrl(e.id, to);
    changed.push({ endpointId: e.id, from: e.url, to });
  }
  return changed;
}

/**
 * Once the receiver listens: endpoints holding an earlier address of one of its inboxes follow it, through the
 * endpoint store (each change published as endpoint.updated). A failure is logged, not thrown: the engine still starts.
 */
export async function followReceiver(
  inbox: Pick<InboxService, 'ownsAddress' | 'baseUrl' | 'urlOf' | 'store'>,
  endpoints: Pick<EndpointStorePort<unknown>, 'list' | 'update'>,
  ctx: Pick<EngineContext, 'emit' | 'log'>,
): Promise<void> {
  if (!inbox.ownsAddress()) return;
  try {
    const changed = await repointInboxEndpoints({
      endpoints: () => endpoints.list(),
      inboxIds: async () => (await inbox.store.list()).map((i) => i.id),
      urlOf: (id) => inbox.urlOf(id),
      setUrl: async (id, url) => {
        await endpoints.update({ id, url });
        ctx.emit('endpoint.updated', { id });
      },
    });
    if (changed.length > 0) {
      ctx.log.info('endpoints of inboxes now point at the receiver', {
        endpoints: changed.length,
        at: inbox.baseUrl(),
      });
    }
  } catch (err) {
    ctx.log.warn('endpoints of inboxes could not follow the receiver', { error: String(err) });
  }
}
