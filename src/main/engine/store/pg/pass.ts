// One dispatcher pass on PostgreSQL: what the SQLite dispatcher's pass does in one transaction (delivery/
// dispatcher.ts passTx: record the outcomes, claim per endpoint, write the fired events with leases for those the
// dispatcher has room for), here on one pooled connection between BEGIN and COMMIT, with one statement per table for
// the whole batch. Many processes may run passes on one database at once:
// - the fired events' idempotency keys are locked first (in one order), so a key fired through two processes at once
//   fires once: the second pass reads the first one's key once it has committed;
// - outcomes lock their endpoints' rows (in id order) for the failure counters, so counts and auto-disable are exact;
// - claims take rows FOR UPDATE SKIP LOCKED: two processes never claim the same delivery, neither waits; each
//   endpoint's claim runs under its claim lock (claims.ts), all of a pass's taken at once in key order, after the
//   outcomes' row locks: every pass takes its locks in one order (keys, rows, claims), so two passes never deadlock;
// - a failed pass rolls back whole: its outcomes' deliveries stay leased and come back through lease recovery
//   (at-least-once, as on SQLite), its events are refused to their callers.
import type pg from 'pg';
import type { Settings } from '../../../../shared';
import { SYSTEM_ENDPOINT_ID } from '../../db/endpoints';
import type { Outcome } from '../../delivery/outcomes';
import type { ClaimedDelivery, ClaimedEvent, ClaimedRow, DeliveryState } from '../../delivery/queue';
import { pausedReason } from '../../delivery/retry';
import { disabledData, exhaustedData, type OperationalType, SYSTEM_TARGETS } from '../../endpoints/operational';
import { planEvent } from '../../events/plan';
import { type CreateResult, checkedJson, type LeaseFor } from '../../events/service';
import { claimWithin, lockClaims } from './claims';
import { PgDeliveryStates } from './delivery-states';
import { insertPlans, lockIdempotencyKeys, type PassEvent, writeEvents } from './pass-events';
import { type AutoDisable, type RecordedOutcomes, recordOutcomes } from './pass-outcomes';

export type { PassEvent } from './pass-events';

/** One endpoint's claim in a pass. */
export interface PassClaim {
  endpointId: string;
  limit: number;
  /** the lease as written (wall clock) */
  leaseUntil: number;
  /**
   * the endpoint's live leases in every process together, at most (claimWithin: per-endpoint concurrency and the
   * rate limit held across processes); absent: a plain claim of `limit`
   */
  maxInFlight?: number;
}

/**
 * An endpoint whose claim was held back by the shared limit is looked at again this much later (sooner when this
 * process records an outcome for it: PgDispatchStore marks it due then).
 */
export const SHARED_LIMIT_RECHECK_MS = 50;

export interface PgPassInput {
  events: readonly PassEvent[];
  outcomes: readonly Outcome[];
  claims: readonly PassClaim[];
  now: number;
  settings: Settings;
  /** leases for the new events' deliveries, given what this pass claimed (the dispatcher's room) */
  leaseFor?: (claimed: readonly ClaimedDelivery[], drained: ReadonlyMap<string, number | null>) => LeaseFor;
  /** retry jitter (tests pin it) */
  random?: () => number;
}

/** An auto-disable with what it did: its endpoint's pending deliveries paused, the operational event written. */
export interface PassDisabled extends AutoDisable {
  paused: DeliveryState[];
  /** `paused` and the attempts the pass held for it (as Disabled.pausedCount) */
  pausedCount: number;
  notice: CreateResult | null;
}

export interface PgPassResult {
  created: Array<CreateResult | Error>;
  /** notices: the delivery.exhausted operational events written */
  written: Omit<RecordedOutcomes, 'disabled'> & { disabled: PassDisabled[]; notices: CreateResult[] };
  claimed: ClaimedDelivery[];
  /** endpoints whose claim took all that was due: their next due time (null: nothing pending) */
  drained: Map<string, number | null>;
  /** 1, or more when PostgreSQL rolled the pass back as a deadlock or serialization victim and it ran again */
  tries: number;
}

const NEXT_DUE = "SELECT MIN(next_attempt_at) AS at FROM deliveries WHERE status = 'pending' AND endpoint_id = $1";
const EVENTS_OF = `SELECT id, type, version, created_at AS event_created_at, data FROM events
  WHERE id = ANY($1::text[])`;
const SYSTEM_ENDPOINT_LIVE = 'SELECT 1 FROM endpoints WHERE id = $1 AND deleted_at IS NULL';

/**
 * Operational events (endpoints/operational.ts) as deliveries to the system endpoint, in the pass's transaction:
 * when a notification URL is set and the system endpoint is live (the settings store keeps it so), else none.
 */
async function writeOperational(
  db: pg.PoolClient,
  states: PgDeliveryStates,
  type: OperationalType,
  data: readonly unknown[],
  settings: Settings,
  now: number,
): Promise<CreateResult[]> {
  if (data.length === 0 || !settings.notificationUrl) return [];
  if ((await db.query(SYSTEM_ENDPOINT_LIVE, [SYSTEM_ENDPOINT_ID])).rowCount !== 1) return [];
  const max = settings.retry.maxAttempts;
  const plans = data.map((x) => planEvent(type, 'v1', x, checkedJson(x), SYSTEM_TARGETS, now, max));
  await insertPlans(db, states, plans);
  return plans.map((p) => ({ event: p.event, created: true, queued: [SYSTEM_ENDPOINT_ID] }));
}

async function nextDue(db: pg.PoolClient, endpointId: string): Promise<number | null> {
  return (await db.query<{ at: number | null }>(NEXT_DUE, [endpointId])).rows[0]?.at ?? null;
}

/**
 * A pass that fails with one of these SQLSTATEs (deadlock_detected, serialization_failure) rolled back whole and is
 * run again, up to PASS_TRIES times in all: PostgreSQL asks this of every transaction it may choose as a victim.
 * Given up, its outcomes would wait out their leases and be sent again.
 */
const RETRYABLE = new Set(['40P01', '40001']);
const PASS_TRIES = 3;

export class PgPass {
  constructor(private readonly pool: pg.Pool) {}

  async run(input: PgPassInput): Promise<PgPassResult> {
    for (let tries = 1; ; tries++) {
      try {
        return { ...(await this.runOnce(input)), tries };
      } catch (err) {
        const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
        if (tries >= PASS_TRIES || typeof code !== 'string' || !RETRYABLE.has(code)) throw err;
      }
    }
  }

  private async runOnce(input: PgPassInput): Promise<Omit<PgPassResult, 'tries'>> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await lockIdempotencyKeys(client, input.events);
      const states = new PgDeliveryStates(client);
      const { now, settings } = input;
      const recorded = await recordOutcomes(client, states, input.outcomes, settings, now, input.random);
      const disabled: PassDisabled[] = [];
      for (const off of recorded.disabled)
        disabled.push(await this.disable(client, states, off, recorded, settings, now));
      const notices = await writeOperational(
        client,
        states,
        'delivery.exhausted',
        recorded.exhausted.map(exhaustedData),
        settings,
        now,
      );
      if (notices.length > 0 || disabled.some((d) => d.notice)) recorded.due.set(SYSTEM_ENDPOINT_ID, now);
      const { claimed, drained } = await this.claim(client, states, input.claims, now);
      const leaseFor = input.leaseFor?.(claimed, drained);
      const created = await writeEvents(client, states, input.events, settings.retry.maxAttempts, leaseFor);
      await client.query('COMMIT');
      return { created, written: { ...recorded, disabled, notices }, claimed, drained };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /** The auto-disable's effects, as EndpointDisabler.disableInTx has them on SQLite. */
  private async disable(
    db: pg.PoolClient,
    states: PgDeliveryStates,
    off: AutoDisable,
    recorded: RecordedOutcomes,
    settings: Settings,
    now: number,
  ): Promise<PassDisabled> {
    const all = await states.pauseEndpoint(off.endpointId, pausedReason('auto'), now);
    // the pass's attempts it held (the one that tripped it among them) are paused already: counted, not announced
    // again (their outcome's delivery.updated says it)
    const held = new Set(recorded.changed.filter((s) => s.endpoint_id === off.endpointId).map((s) => s.id));
    const paused = all.filter((s) => !held.has(s.id));
    const pausedCount = all.length;
    const data = disabledData(off.endpointId, off.url, off.reason, pausedCount);
    const [notice] = await writeOperational(db, states, 'endpoint.disabled', [data], settings, now);
    return { ...off, paused, pausedCount, notice: notice ?? null };
  }

  /** Each endpoint's claim in turn, then the claimed rows' events in one read. */
  private async claim(
    db: pg.PoolClient,
    states: PgDeliveryStates,
    claims: readonly PassClaim[],
    now: number,
  ): Promise<{ claimed: ClaimedDelivery[]; drained: Map<string, number | null> }> {
    const rows: ClaimedRow[] = [];
    const drained = new Map<string, number | null>();
    await lockClaims(
      db,
      claims.filter((c) => c.maxInFlight !== undefined).map((c) => c.endpointId),
    );
    for (const c of claims) {
      if (c.maxInFlight === undefined) {
        const got = await states.claim(c.endpointId, now, c.leaseUntil, c.limit);
        rows.push(...got);
        if (got.length < c.limit) drained.set(c.endpointId, await nextDue(db, c.endpointId));
        continue;
      }
      const got = await claimWithin(db, { ...c, maxInFlight: c.maxInFlight, now });
      rows.push(...got.rows);
      if (got.rows.length >= c.limit) continue;
      // held back by the rate limit (until its next token), by other processes' leases (look again shortly), or
      // everything due was taken (its next due time)
      if (got.tokenAt !== null) drained.set(c.endpointId, got.tokenAt);
      else if (got.live >= c.maxInFlight) drained.set(c.endpointId, now + SHARED_LIMIT_RECHECK_MS);
      else drained.set(c.endpointId, await nextDue(db, c.endpointId));
    }
    if (rows.length === 0) return { claimed: [], drained };
    const events = new Map<string, ClaimedEvent>();
    const ids = [...new Set(rows.map((r) => r.event_id))];
    for (const e of (await db.query<ClaimedEvent & { id: string }>(EVENTS_OF, [ids])).rows) events.set(e.id, e);
    const claimed: ClaimedDelivery[] = [];
    for (const r of rows) {
      const e = events.get(r.event_id);
      if (e)
        claimed.push({ ...r, type: e.type, version: e.version, event_created_at: e.event_created_at, data: e.data });
    }
    return { claimed, drained };
  }
}
