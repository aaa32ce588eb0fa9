// events.create: a fired event is checked, then joins the dispatcher's commit batch; the caller's promise resolves
// once the batch's commit is done (durable: nothing is acknowledged before it is on disk), or rejects with that
// event's own error. Every event fired in the same turn of the event loop shares one commit, and so do the
// outcomes and claims of the dispatcher's pass (see delivery/commit-batch.ts).
import type { z } from 'zod';
import type { Event, EventInput } from '../../../shared';
import type { CommitBatch } from '../delivery/commit-batch';
import type { EventService } from './service';

export class EventIntake {
  constructor(
    private readonly events: EventService,
    private readonly batch: CommitBatch,
  ) {}

  /** Resolves to the event once committed; rejects with its error (bad input: at once, nothing written). */
  fire(input: z.output<typeof EventInput>): Promise<Event> {
    let accepted: ReturnType<EventService['accept']>;
    try {
      accepted = this.events.accept(input);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.batch.fire(accepted);
  }
}
