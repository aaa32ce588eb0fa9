// The delivery state machine's operations as one interface, so the engine can drive either store: SQLite's
// DeliveryStates answers synchronously (its batched fast path stays as it is), PostgreSQL's PgDeliveryStates with
// promises. Both build their statements from the same TRANSITIONS table (state.ts).
import type { DeliveryStatus, PausedReason } from '../../../shared';
import type { ClaimedRow, DeliveryState } from './queue';
import type { Finish, NewDelivery } from './state';

/** A value now (SQLite) or later (PostgreSQL); callers `await` either. */
export type Awaitable<T> = T | Promise<T>;

/** The fence of a delivery row: whether an outcome for (leaseSeq) may still move it, and the attempts counted. */
export interface DeliveryFence {
  status: DeliveryStatus;
  leaseSeq: number;
  attemptCount: number;
}

export interface DeliveryStateStore {
  /** create: a new delivery, pending (due now), leased as written, or paused; the status it got */
  insert(d: NewDelivery): Awaitable<DeliveryStatus>;
  /** claim: up to `limit` of one endpoint's due deliveries, leased until `leaseUntil` under a new lease_seq */
  claim(endpointId: string, now: number, leaseUntil: number, limit: number): Awaitable<ClaimedRow[]>;
  /** an attempt's outcome, fenced by lease_seq and attempt count: the attempt's number, or null when superseded */
  finish(f: Finish): Awaitable<number | null>;
  fence(id: string): Awaitable<DeliveryFence | null>;
  /** counts a superseded attempt without any state change; its number */
  countSuperseded(id: string, now: number): Awaitable<number | null>;
  /** release: back to pending without an attempt, due at `at`, while the claim holds */
  release(id: string, leaseSeq: number, at: number, now: number): Awaitable<DeliveryState | undefined>;
  /** hold without an attempt (endpoint disabled or deleted meanwhile), while the claim holds */
  hold(
    id: string,
    leaseSeq: number,
    status: 'paused' | 'cancelled',
    reason: PausedReason | null,
    now: number,
  ): Awaitable<DeliveryState | undefined>;
  /** extends a lease while its claim holds */
  renew(id: string, leaseSeq: number, until: number): Awaitable<boolean>;
  /** expire: leases that ran out go back to pending, except those this process holds */
  expire(now: number, held: readonly string[]): Awaitable<DeliveryState[]>;
  /** expire every lease: the process that held them is known dead */
  expireAll(now: number): Awaitable<DeliveryState[]>;
  pauseEndpoint(endpointId: string, reason: PausedReason, now: number): Awaitable<DeliveryState[]>;
  resumeEndpoint(endpointId: string, now: number): Awaitable<DeliveryState[]>;
  cancelEndpoint(endpointId: string, now: number): Awaitable<DeliveryState[]>;
  cancel(id: string, now: number): Awaitable<DeliveryState | undefined>;
  hurry(id: string, now: number): Awaitable<DeliveryState | undefined>;
  /** reopen: one more attempt, now (pending) or when its endpoint is enabled again (paused) */
  reopen(
    id: string,
    to: 'pending' | 'paused',
    reason: PausedReason | null,
    now: number,
  ): Awaitable<DeliveryState | undefined>;
}
