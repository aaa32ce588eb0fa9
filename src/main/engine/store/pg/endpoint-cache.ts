// PostgreSQL's endpoint cache: every live endpoint's row and unexpired sealed secrets, in memory, so the dispatcher's
// target() and the fan-out's matching() answer synchronously as under SQLite. Many processes share the database, so
// the cache is filled by load(), reloaded for an endpoint after each write this process makes, and by refresh(id)
// when another process changed one (the topic relay calls it on `endpoint.updated`).
// Those notifications come a moment after the change: before a pass that fires events or claims deliveries (and
// before an event's preview, a webhooks.test or a delivery signed now), the engine calls current(), which reads
// migration 4's counter of endpoint changes and reloads everything when it moved, so an endpoint another process made
// or changed is matched, sent to and signed as it now is by the next pass here (read-your-writes across processes,
// for one small read per pass).
// A target() asked for an endpoint the cache does not know reloads that endpoint in the background; loading(id) lets
// the dispatcher claim for it once that reload has found it, rather than dropping the wake-up that named it.
// Reloads may overlap (a write's reload and a relay's refresh of the same endpoint): each records when it started,
// and an answer is kept only when no reload of that endpoint started after it, so an older read never overwrites
// a newer one.
import { HookbenchError } from '../../../../shared';
import {
  type ActiveEndpoint,
  activeEndpoint,
  type DispatchTarget,
  dispatchTarget,
  type SecretRow,
} from '../../db/endpoint-logic';
import type { EndpointRow } from '../../db/endpoint-rows';
import type { Clock, Logger, SecretBox } from '../../types';
import type { Queryable } from './pool';

interface Cached {
  row: EndpointRow;
  /** unexpired when read, current first */
  secrets: SecretRow[];
  target: DispatchTarget;
}

/** Secret rows that still sign at `now`, for several endpoints at once, each endpoint's current one first. */
export const SECRETS_OF = `SELECT endpoint_id, sealed, expires_at FROM endpoint_secrets
  WHERE endpoint_id = ANY($1::text[]) AND (expires_at IS NULL OR expires_at > $2)
  ORDER BY endpoint_id, expires_at IS NOT NULL, id DESC`;

/** Live endpoints (the system one included), in SQLite's order: created, then id byte by byte. */
const LIVE = 'SELECT * FROM endpoints WHERE deleted_at IS NULL ORDER BY created_at, id COLLATE "C"';
const ONE = 'SELECT * FROM endpoints WHERE id = $1';
/** migration 4's counter (a bigint: compared as its text) */
const EPOCH = 'SELECT n::text AS n FROM endpoint_epoch WHERE id = 1';

export class PgEndpointCache {
  private entries = new Map<string, Cached>();
  private loaded = false;
  private active: ActiveEndpoint[] | null = null;
  private seq = 0;
  /** when the newest reload of each endpoint (or of all: '') started */
  private readonly started = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  /** ids a background reload was asked for and has not answered yet (one at a time each), with that reload */
  private readonly scheduled = new Map<string, Promise<void>>();
  /** the endpoint counter as read before the newest complete load (null: none yet) */
  private epoch: string | null = null;

  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock,
    private readonly box: SecretBox,
    private readonly systemSecret: () => string,
    private readonly log?: Logger,
  ) {}

  /** Every live endpoint, read again. */
  async load(): Promise<void> {
    const mine = ++this.seq;
    this.started.set('', mine);
    // read first: a change committed after it makes the next current() reload again (never one missed)
    const epoch = await this.readEpoch();
    const now = this.clock.now();
    const rows = (await this.db.query<EndpointRow>(LIVE)).rows;
    const secrets = await this.secretsOf(
      rows.map((r) => r.id),
      now,
    );
    if (this.started.get('') !== mine) return;
    const next = new Map<string, Cached>();
    for (const row of rows) next.set(row.id, this.entry(row, secrets.get(row.id) ?? []));
    // an endpoint reloaded on its own since this load began keeps that (newer) answer
    for (const [id, cached] of this.entries) {
      if ((this.started.get(id) ?? 0) > mine) next.set(id, cached);
    }
    this.entries = next;
    this.active = null;
    this.loaded = true;
    this.epoch = epoch;
  }

  /**
   * Up to date with every committed endpoint change the engine acts on: reloads everything when migration 4's counter
   * moved since the last load (another process made or changed an endpoint or its secrets, and its notice has not
   * arrived or has not been acted on yet). One small read when nothing changed.
   */
  async current(): Promise<void> {
    if ((await this.readEpoch()) !== this.epoch) await this.load();
  }

  private async readEpoch(): Promise<string | null> {
    return (await this.db.query<{ n: string }>(EPOCH)).rows[0]?.n ?? null;
  }

  /** One endpoint read again (a deleted one stays known as deleted; a missing one is forgotten); all without id. */
  async refresh(id?: string): Promise<void> {
    if (id === undefined) return this.load();
    const mine = ++this.seq;
    this.started.set(id, mine);
    const row = (await this.db.query<EndpointRow>(ONE, [id])).rows[0];
    const secrets = row ? ((await this.secretsOf([id], this.clock.now())).get(id) ?? []) : [];
    if (this.started.get(id) !== mine || (this.started.get('') ?? 0) > mine) return;
    if (row) this.entries.set(id, this.entry(row, secrets));
    else this.entries.delete(id);
    this.active = null;
  }

  /** A reload in the background (after a write whose caller cannot wait, or a stale entry); failures are logged. */
  schedule(id?: string): void {
    const key = id ?? '';
    if (this.scheduled.has(key)) return;
    const p = this.refresh(id)
      .catch((err: unknown) => {
        this.log?.warn('endpoint cache reload failed', { id: id ?? '(all)', error: (err as Error).message });
      })
      .finally(() => {
        this.scheduled.delete(key);
        this.inFlight.delete(p);
      });
    this.scheduled.set(key, p);
    this.inFlight.add(p);
  }

  /**
   * The reload target() asked for an endpoint it did not know (another process may have made it a moment ago, its
   * notice not here yet): resolves whether the endpoint is known once that reload is done. Undefined when none runs.
   */
  loading(id: string): Promise<boolean> | undefined {
    return this.scheduled.get(id)?.then(() => this.entries.has(id));
  }

  /** Resolves once every background reload asked for so far has finished. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /**
   * The dispatcher's view; null when unknown (and a reload of it is asked for, in case another process created it).
   * An entry past its validUntil (a grace-period secret expired) is answered without the expired secrets at once,
   * and read again in the background.
   */
  target(id: string): DispatchTarget | null {
    if (!this.loaded) throw notLoaded('PgEndpointStore.target');
    const hit = this.entries.get(id);
    if (!hit) {
      this.schedule(id);
      return null;
    }
    const now = this.clock.now();
    if (hit.target.validUntil > now) return hit.target;
    hit.secrets = hit.secrets.filter((s) => s.expires_at === null || s.expires_at > now);
    hit.target = dispatchTarget(hit.row, hit.secrets, this.box, this.systemSecret);
    this.schedule(id);
    return hit.target;
  }

  /** Live user endpoints fired events may go to, in created order. */
  activeEndpoints(): ActiveEndpoint[] {
    if (!this.loaded) throw notLoaded('PgEndpointStore.matching');
    this.active ??= [...this.entries.values()]
      .map((e) => e.row)
      .sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .flatMap((r) => activeEndpoint(r) ?? []);
    return this.active;
  }

  private entry(row: EndpointRow, secrets: SecretRow[]): Cached {
    return { row, secrets, target: dispatchTarget(row, secrets, this.box, this.systemSecret) };
  }

  private async secretsOf(ids: string[], now: number): Promise<Map<string, SecretRow[]>> {
    const by = new Map<string, SecretRow[]>();
    if (ids.length === 0) return by;
    const rows = (await this.db.query<SecretRow & { endpoint_id: string }>(SECRETS_OF, [ids, now])).rows;
    for (const { endpoint_id, sealed, expires_at } of rows) {
      const list = by.get(endpoint_id);
      if (list) list.push({ sealed, expires_at });
      else by.set(endpoint_id, [{ sealed, expires_at }]);
    }
    return by;
  }
}

/** Thrown by a cache read before load(): it would answer as if there were no endpoints (a wiring mistake). */
function notLoaded(what: string): HookbenchError {
  return new HookbenchError('internal', `${what} used before load()`);
}
