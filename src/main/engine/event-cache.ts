// The events created lately, kept in memory for the dispatcher: a delivery is usually claimed moments after its
// event was written, and reading the event back (two lookups by id per claimed delivery, one of them a 1 KiB
// payload) was a third of the cost of a claim. Events never change once written, so an entry cannot go stale;
// a miss (an older event, another process's) is read from the database as before.
import type { ClaimedEvent, EventLookup } from './queue';

/**
 * Enough for the claims that follow creation closely (a paced stream, a burst's first batches); not more: every
 * entry outlives a few garbage collections, and a larger cache measurably raised the process's peak memory.
 */
const MAX_EVENTS = 1024;

export class EventCache implements EventLookup {
  private readonly events = new Map<string, ClaimedEvent>();

  constructor(private readonly max = MAX_EVENTS) {}

  put(eventId: string, ev: ClaimedEvent): void {
    if (this.events.size >= this.max) {
      // Map keeps insertion order: the first key is the oldest event
      const oldest = this.events.keys().next().value;
      if (oldest !== undefined) this.events.delete(oldest);
    }
    this.events.set(eventId, ev);
  }

  get(eventId: string): ClaimedEvent | undefined {
    return this.events.get(eventId);
  }
}
