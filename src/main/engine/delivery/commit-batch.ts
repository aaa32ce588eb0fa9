// What the next commit writes. Fired events waiting for their commit and attempt outcomes waiting to be recorded
// gather here; the dispatcher's pass is the one place that flushes them, in ONE transaction together with its
// claims and the leases of the new deliveries it has room for. A commit costs about the same for one row as for
// sixty (it writes the same b-tree pages to the WAL): profiled, commits were two thirds of the cost of firing one
// event at a time, and most of the cost of acknowledging one attempt at a time.
import type { Event } from '../../../shared';
import type { Accepted } from '../events/service';
import type { Outcome } from './outcomes';

/**
 * A fired event waiting for its commit, and its caller's promise. Per-event objects on this path are made by
 * constructors, not object literals: V8 pretenures a literal whose objects survive a scavenge (a burst holds hundreds
 * of events for one commit), and a pretenured wrapper, dead but in old space, keeps its event's 1 KiB payload text
 * alive through every scavenge until a full collection (measured: ~2.8 KB per event promoted at a steady 2,000/s
 * after a burst). Objects made by a constructor are never pretenured.
 */
export class PendingEvent {
  constructor(
    readonly accepted: Accepted,
    readonly resolve: (ev: Event) => void,
    readonly reject: (err: unknown) => void,
  ) {}
}

/** Where the batch asks for a flush (the dispatcher). */
export interface Flusher {
  /** an event was added: flush at the end of this turn of the event loop (with the turn's other events) */
  eventAdded(): void;
  /** an outcome was added, `buffered` in all: flush soon, together with others */
  outcomeAdded(buffered: number): void;
}

export class CommitBatch {
  private events: PendingEvent[] = [];
  private outcomes: Outcome[] = [];

  constructor(private readonly flusher: Flusher) {}

  /** Adds an accepted event; resolves to it once its commit is done, or rejects with its own error. */
  fire(accepted: Accepted): Promise<Event> {
    return new Promise((resolve, reject) => this.addEvent(new PendingEvent(accepted, resolve, reject)));
  }

  private addEvent(e: PendingEvent): void {
    this.events.push(e);
    if (this.events.length === 1) this.flusher.eventAdded();
  }

  addOutcome(o: Outcome): void {
    this.outcomes.push(o);
    this.flusher.outcomeAdded(this.outcomes.length);
  }

  /** Outcomes a failed write took, back in front of the ones added since (written with the next pass). */
  putBack(outcomes: readonly Outcome[]): void {
    if (outcomes.length > 0) this.outcomes = [...outcomes, ...this.outcomes];
  }

  get outcomeCount(): number {
    return this.outcomes.length;
  }

  get isEmpty(): boolean {
    return this.events.length === 0 && this.outcomes.length === 0;
  }

  /** Everything gathered so far, for one write (the batch starts empty again). */
  take(): { events: PendingEvent[]; outcomes: Outcome[] } {
    const taken = { events: this.events, outcomes: this.outcomes };
    this.events = [];
    this.outcomes = [];
    return taken;
  }
}
