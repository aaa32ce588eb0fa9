// Claims of one endpoint bounded across processes: at most `maxInFlight` live leases in all processes together
// (per-endpoint concurrency) and no more than the endpoint's rate limit (endpoints.rate_limit_per_sec, a token
// bucket in endpoint_rate, migration 3). Both bounds read state other processes write, so the read, the claim and
// the bucket's update happen in one transaction under a per-endpoint lock: two claimers of one endpoint run one
// after the other, and the second's statements (new READ COMMITTED snapshots, taken after the lock) see the
// first's committed leases and tokens.
//
// The lock is pg_advisory_xact_lock on (CLAIM_LOCK_CLASS, hashtext(endpoint id)), not `SELECT ... FROM endpoints
// FOR UPDATE`: a row lock on the endpoint would also hold up whatever else touches that row meanwhile (an attempt's
// outcome updating consecutive_failures, an edit, and with FOR UPDATE even event intake's foreign-key checks on
// new deliveries). The advisory lock serializes claims of that endpoint and nothing else, and ends with the
// transaction. Claims of different endpoints never wait on each other (unless their ids' hashes collide).
import type pg from 'pg';
import type { ClaimedRow } from '../../delivery/queue';
import { PgDeliveryStates } from './delivery-states';
import { CLAIM_LOCK_CLASS, lockAllInOrder, lockOne } from './lock-keys';
import { inTransaction, type PgTarget } from './transaction';

export interface ClaimWithin {
  endpointId: string;
  now: number;
  leaseUntil: number;
  /** most rows this claim takes */
  limit: number;
  /** most live leases of this endpoint across all processes, this claim's included */
  maxInFlight: number;
}

export interface ClaimedWithin {
  rows: ClaimedRow[];
  /** live leases of the endpoint in all processes after this claim */
  live: number;
  /** when the rate limit held this claim back: the time its next token comes (ms); else null */
  tokenAt: number | null;
}

const LIMITS = `
  SELECT e.rate_limit_per_sec AS rate, r.tokens, r.refilled_at,
    (SELECT count(*) FROM deliveries d
      WHERE d.endpoint_id = e.id AND d.status = 'sending' AND d.lease_until > $2)::int AS live
  FROM endpoints e LEFT JOIN endpoint_rate r ON r.endpoint_id = e.id
  WHERE e.id = $1`;

const SPEND = `
  INSERT INTO endpoint_rate (endpoint_id, tokens, refilled_at) VALUES ($1, $2, $3)
  ON CONFLICT (endpoint_id) DO UPDATE SET tokens = excluded.tokens,
    refilled_at = greatest(endpoint_rate.refilled_at, excluded.refilled_at)`;

interface Limits {
  rate: number | null;
  tokens: number | null;
  refilled_at: number | null;
  live: number;
}

/**
 * The token bucket's content at `now`, as delivery/rate-limiter.ts counts it: a burst of one second's worth (at
 * least 1), refilled at `rate` per second. A bucket last refilled "in the future" (another process's clock runs
 * ahead) is taken as refilled now, and its refill time never moves back (SPEND): clock skew never makes tokens.
 */
export function tokensAt(rate: number, tokens: number | null, refilledAt: number | null, now: number): number {
  const burst = Math.max(1, rate);
  if (tokens === null || refilledAt === null) return burst;
  return Math.min(burst, tokens + (Math.max(0, now - refilledAt) * rate) / 1000);
}

/**
 * Takes the claim locks of several endpoints for the caller's transaction, in the order of their lock keys. A
 * transaction that claims more than one endpoint holds each lock to its commit: taken one by one in the caller's
 * order, two processes listing the same endpoints in other orders (each dispatcher's round-robin has its own) could
 * each hold one and wait for the other's (measured: `deadlock detected` in a pass). claimWithin's own lock is then
 * taken again by the same session, which does not wait.
 */
export async function lockClaims(tx: pg.PoolClient, endpointIds: readonly string[]): Promise<void> {
  if (endpointIds.length > 1) await lockAllInOrder(tx, CLAIM_LOCK_CLASS, endpointIds);
}

/**
 * Claims due deliveries of one endpoint within its bounds across processes. `db`: a pool (the claim is its own
 * transaction) or a client in the caller's transaction (the leases and the spent tokens commit with it).
 */
export function claimWithin(db: PgTarget, c: ClaimWithin): Promise<ClaimedWithin> {
  return inTransaction(db, async (tx) => {
    await lockOne(tx, CLAIM_LOCK_CLASS, c.endpointId);
    const limits = (await tx.query<Limits>(LIMITS, [c.endpointId, c.now])).rows[0];
    if (!limits) return { rows: [], live: 0, tokenAt: null };
    const rate = limits.rate !== null && limits.rate > 0 ? limits.rate : null;
    const tokens = rate === null ? Number.POSITIVE_INFINITY : tokensAt(rate, limits.tokens, limits.refilled_at, c.now);
    const room = Math.max(0, Math.min(c.limit, c.maxInFlight - limits.live));
    const take = Math.min(room, Math.floor(tokens));
    const rows = take > 0 ? await new PgDeliveryStates(tx).claim(c.endpointId, c.now, c.leaseUntil, take) : [];
    const left = tokens - rows.length;
    if (rate !== null && rows.length > 0) await tx.query(SPEND, [c.endpointId, left, c.now]);
    const heldByRate = rate !== null && take < room && left < 1;
    return {
      rows,
      live: limits.live + rows.length,
      tokenAt: heldByRate ? c.now + Math.ceil(((1 - left) * 1000) / rate) : null,
    };
  });
}
