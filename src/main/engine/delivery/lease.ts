// The lease rule, written once. A claim leases a delivery for one attempt: the endpoint's timeout plus a grace
// period (body reading, the acknowledgement). The lease is written to the row in wall-clock time, for other
// processes and for a restart after a crash; inside this process every lease is measured on the monotonic clock,
// so a wall-clock step (suspend/resume, NTP) never makes an open attempt look expired, and lease recovery never
// takes back a lease this process holds. Fencing (lease_seq) covers the rest: an outcome whose claim no longer
// holds changes nothing.
import { SlotMap } from '../slot-map';
import type { Clock } from '../types';

/** The wall-clock lease a claim made now writes to the row. */
export function leaseUntil(now: number, timeoutMs: number, graceMs: number): number {
  return now + timeoutMs + graceMs;
}

/** The process's monotonic time in ms (an injected clock may provide its own, for tests). */
export function monotonicNow(clock: Clock): number {
  return clock.monotonic ? clock.monotonic() : performance.now();
}

interface Held {
  seq: number;
  endpointId: string;
  timeoutMs: number;
  /** monotonic ms when the lease runs out unless renewed */
  until: number;
}

/** The leases this process holds, by delivery id, on the monotonic clock. */
export class LeaseBook {
  /** a SlotMap, not a Map: one lease set and dropped per delivery (see slot-map.ts) */
  private readonly held = new SlotMap<string, Held>();

  constructor(
    private readonly clock: Clock,
    private readonly graceMs: number,
  ) {}

  /** The wall-clock lease for a claim made now (the row's lease_until). */
  wallUntil(timeoutMs: number): number {
    return leaseUntil(this.clock.now(), timeoutMs, this.graceMs);
  }

  hold(id: string, seq: number, endpointId: string, timeoutMs: number): void {
    this.held.set(id, {
      seq,
      endpointId,
      timeoutMs,
      until: leaseUntil(monotonicNow(this.clock), timeoutMs, this.graceMs),
    });
  }

  /** The lease was renewed in the row: it runs a full period again from now. */
  renewed(id: string): void {
    const h = this.held.get(id);
    if (h) h.until = leaseUntil(monotonicNow(this.clock), h.timeoutMs, this.graceMs);
  }

  drop(id: string): void {
    this.held.delete(id);
  }

  holds(id: string, seq: number): boolean {
    return this.held.get(id)?.seq === seq;
  }

  /** Does the lease still cover `needMs` more (an attempt about to start needs its timeout and a margin)? */
  covers(id: string, needMs: number): boolean {
    const h = this.held.get(id);
    return h !== undefined && h.until - monotonicNow(this.clock) >= needMs;
  }

  /** Leases within `marginMs` of running out (renew them while their attempts run). */
  expiring(marginMs: number): Array<{ id: string; seq: number; timeoutMs: number }> {
    const now = monotonicNow(this.clock);
    const out: Array<{ id: string; seq: number; timeoutMs: number }> = [];
    this.held.forEach((h, id) => {
      if (h.until - now < marginMs) out.push({ id, seq: h.seq, timeoutMs: h.timeoutMs });
    });
    return out;
  }

  ids(): string[] {
    return this.held.keysArray();
  }

  get size(): number {
    return this.held.size;
  }
}
