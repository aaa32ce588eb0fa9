// Per-endpoint rate limit as a token bucket with reservations: each delivery is given the earliest slot the
// rate allows, so a burst is spread out in one pass (each waiting delivery is rescheduled once, never fails).
import { SlotMap } from '../slot-map';

interface Bucket {
  /** tokens available at `at` (negative: slots already promised to waiting deliveries) */
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  /** delivery id -> the time its reserved slot opens (a SlotMap: one set and delete per delivery, see slot-map.ts) */
  private readonly reserved = new SlotMap<string, number>();

  /**
   * Returns 0 when the delivery may go now, else how many ms to wait (its slot is then reserved).
   * The burst allowance is one second's worth of deliveries (at least 1).
   */
  reserve(endpointId: string, deliveryId: string, perSec: number, now: number): number {
    const slot = this.reserved.get(deliveryId);
    if (slot !== undefined) {
      if (now >= slot) {
        this.reserved.delete(deliveryId);
        return 0;
      }
      return slot - now;
    }
    const burst = Math.max(1, perSec);
    const b = this.buckets.get(endpointId) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) * perSec) / 1000);
    b.at = now;
    b.tokens -= 1;
    this.buckets.set(endpointId, b);
    if (b.tokens >= 0) return 0;
    const wait = Math.ceil((-b.tokens * 1000) / perSec);
    this.reserved.set(deliveryId, now + wait);
    return wait;
  }
}
