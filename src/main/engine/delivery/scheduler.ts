// The dispatcher's memory of what it holds: attempts running per endpoint, and deliveries claimed ahead that wait
// for a slot (in claim order per endpoint; endpoints take turns). No I/O here: the dispatcher decides when to
// claim, start and give back.
import type { ClaimedDelivery } from './queue';

export class ClaimedWork {
  /** attempts running now */
  inFlight = 0;
  /** deliveries waiting in memory */
  waiting = 0;
  private readonly running = new Map<string, number>();
  private readonly queued = new Map<string, ClaimedDelivery[]>();

  /**
   * @param perEndpoint attempts in flight at once to one endpoint
   * @param rounds deliveries an endpoint may hold (running and waiting), in rounds of perEndpoint
   */
  constructor(
    private readonly perEndpoint: number,
    private readonly rounds: number,
  ) {}

  add(d: ClaimedDelivery): void {
    const list = this.queued.get(d.endpoint_id);
    if (list) list.push(d);
    else this.queued.set(d.endpoint_id, [d]);
    this.waiting++;
  }

  /**
   * The next waiting delivery allowed to start (its endpoint below its limit, `concurrency` not reached), taking
   * endpoints in turn; null when none can. It counts as running from here: call finished() when it is done.
   */
  next(concurrency: number): ClaimedDelivery | null {
    if (this.inFlight >= concurrency) return null;
    for (const [endpointId, list] of this.queued) {
      if ((this.running.get(endpointId) ?? 0) >= this.perEndpoint) continue;
      const d = list.shift() as ClaimedDelivery;
      this.waiting--;
      // the endpoint goes to the back of the rotation (or leaves it when it has nothing more waiting)
      this.queued.delete(endpointId);
      if (list.length > 0) this.queued.set(endpointId, list);
      this.inFlight++;
      this.running.set(endpointId, (this.running.get(endpointId) ?? 0) + 1);
      return d;
    }
    return null;
  }

  /** A delivery taken by next() is not run after all (its lease was lost). */
  dropped(endpointId: string): void {
    this.finished(endpointId);
  }

  finished(endpointId: string): void {
    this.inFlight--;
    const left = (this.running.get(endpointId) ?? 1) - 1;
    if (left > 0) this.running.set(endpointId, left);
    else this.running.delete(endpointId);
  }

  /** deliveries of the endpoint held here: running and waiting */
  claimedFor(endpointId: string): number {
    return (this.running.get(endpointId) ?? 0) + (this.queued.get(endpointId)?.length ?? 0);
  }

  /** Does the endpoint hold all its rounds (running and waiting)? Claims then leave it out. */
  saturated(endpointId: string): boolean {
    return this.claimedFor(endpointId) >= this.rounds * this.perEndpoint;
  }

  saturatedEndpoints(): string[] {
    const out: string[] = [];
    for (const id of this.running.keys()) if (this.saturated(id)) out.push(id);
    for (const id of this.queued.keys()) if (!this.running.has(id) && this.saturated(id)) out.push(id);
    return out;
  }

  /** Every waiting delivery, removed (to give them back on stop). */
  takeWaiting(): ClaimedDelivery[] {
    const all = [...this.queued.values()].flat();
    this.queued.clear();
    this.waiting = 0;
    return all;
  }
}
