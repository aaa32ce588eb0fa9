// What the next commit writes. Fired events waiting for their commit and attempt outcomes waiting to be recorded
// gather here; the dispatcher's pass is the one place that flushes them, in ONE transaction together with its
// claims and the leases of the new deliveries it has room for. A commit costs about the same for one row as for
// sixty (it writes the same b-tree pages to the WAL): profiled, commits were two thirds of the cost of firing one
// event at a time, and most of the cost of acknowledging one attempt at a time.
import type { Event } from '../../../shared';
import type { Accepted } from '../events/service';
import type { Outcome } from './outcomes';

/** A fired event waiting for its commit, and its caller's promise. */
export interface PendingEvent {
  accepted: Accepted;
  resolve: (ev: Event) => void;
  reject: (err: unknown) => void;
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

  addEvent(e: PendingEvent): void {
    this.events.push(e);
    if (this.events.length === 1) this.flusher.eventAdded();
  }

  addOutcome(o: Outcome): void {
    this.outcomes.push(o);
    this.flusher.outcomeAdded(this.outcomes.length);
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
